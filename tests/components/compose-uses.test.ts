import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings } from "../../components/workloads";
import { aService } from "../support/service";
import {
  awsOnlyUsesOf,
  servicesTheStandbyCanRun,
  withoutMissingConnections,
} from "../../config/standby";
import { connectionSecrets, type PrimaryCluster } from "../../compose/in-cluster";

function service(
  name: string,
  uses: ServiceSettings["uses"],
  calls: string[] = [],
): ServiceSettings {
  return aService({ name, uses, calls });
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

  it("names the queue, the topic and search as what it does not have", () => {
    assert.deepEqual(services.map(awsOnlyUsesOf), [[], ["search"], ["topic"], ["queue"], [], []]);
  });

  it("leaves out their callers too, and keeps a service that uses only a bucket", () => {
    const { kept, leftOut } = servicesTheStandbyCanRun(services, []);
    assert.deepEqual(
      kept.map((s) => s.name),
      ["export", "web"],
    );
    assert.deepEqual(leftOut.sort(), ["gateway", "notifier", "search-api", "worker"]);
  });

  it("runs a service without search when the stack says it starts without it, granting only its buckets", () => {
    const { kept, leftOut } = servicesTheStandbyCanRun(services, [], ["search"]);
    assert.deepEqual(
      kept.map((s) => s.name),
      ["export", "search-api", "gateway", "web"],
    );
    assert.deepEqual(leftOut.sort(), ["notifier", "worker"]);
    assert.deepEqual(withoutMissingConnections(kept[1]!, []).uses, { buckets: {} });
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
