import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { autoscalingDefaults, type ServiceSettings } from "../../components/workloads";
import { servicesTheStandbyCanRun, usersOfAwsOnlyData } from "../../compose/gcp";
import { connectionSecrets, type PrimaryCluster } from "../../compose/in-cluster";

function service(
  name: string,
  uses: ServiceSettings["uses"],
  calls: string[] = [],
): ServiceSettings {
  return {
    name,
    image: "example/app:1.0.0",
    port: 3000,
    replicas: 3,
    resources: {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "200m", memory: "256Mi" },
    },
    probes: {
      liveness: {
        initialDelaySeconds: 1,
        periodSeconds: 1,
        timeoutSeconds: 1,
        failureThreshold: 1,
      },
      readiness: {
        initialDelaySeconds: 1,
        periodSeconds: 1,
        timeoutSeconds: 1,
        failureThreshold: 1,
      },
    },
    env: {},
    secretEnv: {},
    autoscaling: autoscalingDefaults.prod,
    exposure: { kind: "none" },
    serviceAccount: { annotations: {}, automountToken: false },
    calls,
    egress: [],
    uses,
  };
}

describe("The standby and what services use", () => {
  const services = [
    service("export", { buckets: { uploads: "write" } }),
    service("search-api", { buckets: {}, search: "read" }),
    service("notifier", { buckets: {}, topic: "write" }),
    service("worker", { buckets: {}, queue: "read" }),
    service("gateway", undefined, ["search-api"]),
    service("web", undefined),
  ];

  it("leaves out services that use the queue, the topic or search, which it does not have", () => {
    assert.deepEqual(usersOfAwsOnlyData(services), ["search-api", "notifier", "worker"]);
  });

  it("leaves out their callers too, and keeps a service that uses only a bucket", () => {
    const { kept, leftOut } = servicesTheStandbyCanRun(services, [], usersOfAwsOnlyData(services));
    assert.deepEqual(
      kept.map((s) => s.name),
      ["export", "web"],
    );
    assert.deepEqual(leftOut.sort(), ["gateway", "notifier", "search-api", "worker"]);
  });
});

describe("The primary's connections Secret", () => {
  it("holds the database and Redis URLs, and not the search domain's master credentials", () => {
    const primary = {
      database: { connectionString: pulumi.secret("postgresql://db") },
      cache: { connectionString: pulumi.secret("rediss://cache") },
      search: { connectionString: pulumi.secret("https://admin:pw@search") },
    } as unknown as PrimaryCluster;
    assert.deepEqual(Object.keys(connectionSecrets(primary)).sort(), ["database-url", "redis-url"]);
  });
});
