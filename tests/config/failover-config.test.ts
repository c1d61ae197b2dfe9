import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems as problemsOf, source as sourceOf } from "../support/config";
import { standbyConnectionKeys } from "../../config/standby";

// The DNS-01 token is a Pulumi secret in every stack here, as config requires of credentials.
const source = (values: Record<string, unknown>) => sourceOf(values, ["ingress"]);
const problems = (values: Record<string, unknown>) => problemsOf(values, ["ingress"]);

const resources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "200m", memory: "256Mi" },
};

/** Seed 000's shape: web on app.*, api on api.* reading the database, Redis and OpenSearch. */
const web = {
  name: "web",
  image: "example/web:1.0.0",
  port: 8080,
  resources,
  probes: { readiness: { httpGet: { path: "/health" } } },
  exposure: { kind: "ingress", host: "app.example.com", path: "/" },
  calls: ["api"],
};
const api = {
  name: "api",
  image: "example/api:1.0.0",
  port: 3000,
  resources,
  secretEnv: {
    DATABASE_URL: { secret: "connections", key: "database-url" },
    REDIS_URL: { secret: "connections", key: "redis-url" },
  },
  uses: { search: "read" },
  exposure: { kind: "ingress", host: "api.example.com", path: "/" },
};

function prodWith(services: unknown[], edge: Record<string, unknown> = {}) {
  return {
    tier: "prod",
    target: "aws",
    standby: "gcp",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    gcp: { project: "platform-prod-standby", region: "us-central1" },
    search: { enabled: true },
    workloads: { acmeEmail: "platform-team@example.com", services },
    // Behind the edge, both origins' certificates are issued by DNS-01 with this token.
    ingress: { cloudflareApiToken: "cloudflare-dns-token" },
    edge: {
      enabled: true,
      zoneName: "example.com",
      accountId: "0123456789abcdef0123456789abcdef",
      hosts: ["app", "api"],
      ...edge,
    },
  };
}

const withoutSearch = { failover: { standbyRunsWithout: ["search"] } };

describe("Failover config: every load-balanced host has a health path both clusters route", () => {
  it("takes each host's monitor path from the readiness probe of a service exposed there", () => {
    const cfg = parseStackConfig(source(prodWith([web, api], withoutSearch)));
    assert.deepEqual(cfg.edge?.healthPaths, { app: "/health", api: "/ready" });
  });

  it("refuses a load-balanced host no service is exposed on, naming the host's key", () => {
    assert.deepEqual(problems(prodWith([api], withoutSearch)), [
      'platform:edge.hosts[0]: "app" is load balanced, but no service is exposed by ingress on app.example.com, so its health monitor has no path either cluster answers and both pools would be unhealthy; expose a service on app.example.com whose readiness probe (httpGet on its port) lies under its ingress path, or remove the host',
    ]);
  });

  it("refuses a host whose services' readiness paths lie outside their ingress prefixes", () => {
    const auth = {
      ...api,
      name: "auth",
      secretEnv: {},
      uses: undefined,
      exposure: { ...api.exposure, path: "/auth" },
    };
    assert.deepEqual(problems(prodWith([{ ...web, calls: [] }, auth])), [
      'platform:edge.hosts[1]: "api" is load balanced, but no service exposed on api.example.com (auth) has an HTTP readiness probe on its own port under its ingress path, so its health monitor has no path either cluster answers and both pools would be unhealthy; expose a service on api.example.com whose readiness probe (httpGet on its port) lies under its ingress path, or remove the host',
    ]);
  });

  it("accepts a readiness path under the ingress prefix, and probes it", () => {
    const auth = {
      ...api,
      name: "auth",
      secretEnv: {},
      uses: undefined,
      probes: { readiness: { httpGet: { path: "/auth/ready" } } },
      exposure: { ...api.exposure, path: "/auth" },
    };
    const cfg = parseStackConfig(source(prodWith([{ ...web, calls: [] }, auth])));
    assert.deepEqual(cfg.edge?.healthPaths, { app: "/health", api: "/auth/ready" });
  });

  it("refuses a readiness probe on another port, which the ingress never reaches", () => {
    const side = { ...web, probes: { readiness: { httpGet: { path: "/health", port: 9090 } } } };
    assert.match(
      problems(prodWith([side, api], withoutSearch))[0]!,
      /^platform:edge\.hosts\[0\]: "app" is load balanced, but no service exposed on app\.example\.com \(web\) has an HTTP readiness probe on its own port/,
    );
  });

  it("leaves hosts alone when both origins are load balancers outside the stack", () => {
    const cfg = parseStackConfig(
      source(
        prodWith([], {
          origins: { aws: "lb.us-east-1.elb.amazonaws.com", gcp: "standby.example.net" },
        }),
      ),
    );
    assert.deepEqual(cfg.edge?.healthPaths, {});
  });
});

describe("Failover config: the standby runs every service behind a failover host", () => {
  it("refuses a standby that leaves out the services of both hosts, naming host, service and key", () => {
    assert.deepEqual(problems(prodWith([web, api])), [
      'platform:edge.hosts[0]: "app" fails over to the gcp standby, but the standby leaves out service web (exposed on app.example.com): it calls api, which uses the search (platform:workloads.services[].uses), which the standby has no counterpart for; list the key or use in platform:edge.failover.standbyRunsWithout if the service starts without it, or set platform:edge.loadBalancer false',
      'platform:edge.hosts[1]: "api" fails over to the gcp standby, but the standby leaves out service api (exposed on api.example.com): it uses the search (platform:workloads.services[].uses), which the standby has no counterpart for; list the key or use in platform:edge.failover.standbyRunsWithout if the service starts without it, or set platform:edge.loadBalancer false',
    ]);
  });

  it("accepts it once the stack states the services start without OpenSearch on the standby", () => {
    const cfg = parseStackConfig(source(prodWith([web, api], withoutSearch)));
    assert.deepEqual(cfg.failover.standbyRunsWithout, ["search"]);
    // The monitor's timing stays free of the recovery keys.
    assert.deepEqual(Object.keys(cfg.edge!.failover).sort(), [
      "consecutiveDown",
      "consecutiveUp",
      "intervalSeconds",
      "retries",
      "timeoutSeconds",
    ]);
  });

  it("refuses a connection key that is not a key", () => {
    assert.match(
      problems(prodWith([web, api], { failover: { standbyRunsWithout: ["Search URL"] } }))[0]!,
      /^platform:edge\.failover\.standbyRunsWithout\[0\]: .*is not a connection key/,
    );
  });
});

describe("Failover config: the RTO against its stated target", () => {
  it("accepts seed 002's one hour", () => {
    const cfg = parseStackConfig(
      source(
        prodWith([web, api], { failover: { ...withoutSearch.failover, rtoTargetSeconds: 3600 } }),
      ),
    );
    assert.equal(cfg.failover.rtoTargetSeconds, 3600);
  });

  it("refuses a target below the computed RTO, naming the key and the sum", () => {
    const [problem] = problems(
      prodWith([web, api], { failover: { ...withoutSearch.failover, rtoTargetSeconds: 300 } }),
    );
    assert.match(
      problem!,
      /^platform:edge\.failover\.rtoTargetSeconds: 300 is below the RTO the design gives, 355 s \(failover 165 s .* \+ scale-up 190 s \(web 1 -> 3 replicas: .*\) \+ nodes 0 s .*\); shorten the monitor timing/,
    );
  });
});

describe("Failover config: the standby's connections", () => {
  it("carry Memorystore's server CA beside its URL, so a service verifying TLS runs there", () => {
    assert.deepEqual(
      standbyConnectionKeys({ database: { enabled: true }, cache: { enabled: true } }),
      ["database-url", "redis-url", "redis-ca"],
    );
    assert.deepEqual(
      standbyConnectionKeys({ database: { enabled: true }, cache: { enabled: false } }),
      ["database-url"],
    );
  });
});
