import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import { parseStackConfig } from "../../config";

const validProd = {
  tier: "prod",
  target: "aws",
  standby: "gcp",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
  gcp: { project: "platform-prod-standby", region: "us-central1" },
};

const prodEdge = {
  enabled: true,
  zoneName: "example.com",
  accountId: "0123456789abcdef0123456789abcdef",
  hosts: ["app", "api"],
  origins: { aws: "web-0123456789.us-east-1.elb.amazonaws.com", gcp: "standby.example.net" },
};
const withEdge = (edge: Record<string, unknown>) => ({
  ...validProd,
  edge: { ...prodEdge, ...edge },
});

describe("Stack config", () => {
  describe("accepts", () => {
    it("the prod stack and resolves the tier's defaults", () => {
      const cfg = parseStackConfig(source(validProd));
      assert.equal(cfg.tier, "prod");
      assert.equal(cfg.network.cidrBlock, "10.10.0.0/16");
      assert.equal(cfg.network.azCount, 3);
      assert.deepEqual(
        [...cfg.network.interfaceEndpoints],
        ["ecr.api", "ecr.dkr", "sts", "sqs", "sns", "kms", "logs", "s3"],
      );
      assert.equal(cfg.namespaces[0]?.name, "production");
      assert.equal(cfg.namespaces[0]?.quota.requestsCpu, "10");
      assert.equal(cfg.namespaces[0]?.quota.limitsMemory, "40Gi");
      assert.equal(cfg.namespaces[0]?.quota.persistentVolumeClaims, 10);
      assert.equal(cfg.baseName, "platform-test");
    });

    it("a dev stack that states only its tier and target", () => {
      const cfg = parseStackConfig(source({ tier: "dev", target: "local" }));
      assert.equal(cfg.standby, "none");
      assert.equal(cfg.namespaces[0]?.name, "dev");
      assert.deepEqual(
        cfg.namespaces.map((n) => n.name),
        ["dev", "monitoring"],
      );
    });

    it("overrides that the stack states, keeping the rest of the tier's defaults", () => {
      const cfg = parseStackConfig(
        source({
          tier: "staging",
          target: "aws",
          aws: { region: "eu-west-1" },
          workloads: { quota: { pods: 30 } },
        }),
      );
      assert.equal(cfg.namespaces[0]?.quota.pods, 30);
      assert.equal(cfg.namespaces[0]?.quota.requestsCpu, "4");
    });
  });

  describe("accepts the edge", () => {
    it("in prod, resolved over the prod defaults", () => {
      const edge = parseStackConfig(source(withEdge({}))).edge;
      assert.ok(edge);
      assert.deepEqual(edge.zone, { name: "example.com" });
      assert.equal(edge.wafMode, "block");
      assert.equal(edge.owaspScoreThreshold, 25);
      assert.equal(edge.hstsMaxAgeSeconds, 63_072_000);
      assert.equal(edge.loadBalancer, true);
      assert.equal(edge.primaryPool, "aws");
      assert.deepEqual(edge.failover, {
        intervalSeconds: 60,
        timeoutSeconds: 5,
        retries: 2,
        consecutiveDown: 2,
        consecutiveUp: 2,
      });
      assert.deepEqual(edge.rateLimits, [
        {
          name: "per-ip-100-per-minute",
          requestsPerPeriod: 100,
          periodSeconds: 60,
          mitigationTimeoutSeconds: 60,
          action: "block",
          hosts: [],
        },
      ]);
    });

    it("with rate limits from presets, the keys a stack states overriding them", () => {
      const edge = parseStackConfig(
        source(
          withEdge({
            rateLimits: [
              { preset: "per-ip-10-per-second", hosts: ["api"], mitigationTimeoutSeconds: 60 },
              { name: "login", requestsPerPeriod: 5, periodSeconds: 60, hosts: ["app"] },
            ],
          }),
        ),
      ).edge;
      assert.deepEqual(edge?.rateLimits, [
        {
          name: "per-ip-10-per-second",
          requestsPerPeriod: 100,
          periodSeconds: 10,
          mitigationTimeoutSeconds: 60,
          action: "block",
          hosts: ["api"],
        },
        {
          name: "login",
          requestsPerPeriod: 5,
          periodSeconds: 60,
          mitigationTimeoutSeconds: 60,
          action: "block",
          hosts: ["app"],
        },
      ]);
    });

    it("only when enabled", () => {
      assert.equal(parseStackConfig(source(validProd)).edge, undefined);
      assert.equal(parseStackConfig(source(withEdge({ enabled: false }))).edge, undefined);
    });

    it("in staging, logging only and without a load balancer", () => {
      const edge = parseStackConfig(
        source({
          tier: "staging",
          target: "aws",
          aws: { region: "us-east-1" },
          edge: { ...prodEdge, accountId: undefined, origins: { aws: prodEdge.origins.aws } },
        }),
      ).edge;
      assert.equal(edge?.wafMode, "log");
      assert.equal(edge?.loadBalancer, false);
    });
  });

  const rejections: { what: string; values: Record<string, unknown>; key: string; says: RegExp }[] =
    [
      {
        what: "an unknown tier",
        values: { ...validProd, tier: "qa" },
        key: "platform:tier",
        says: /"qa".*expected one of dev, staging, prod/,
      },
      {
        what: "a missing tier",
        values: { target: "local" },
        key: "platform:tier",
        says: /\(missing\)/,
      },
      {
        what: "an unknown target",
        values: { ...validProd, target: "azure" },
        key: "platform:target",
        says: /"azure".*local, aws, gcp/,
      },
      {
        what: "an unsupported standby",
        values: { ...validProd, standby: "aws" },
        key: "platform:standby",
        says: /"aws".*"none" or "gcp"/,
      },
      {
        what: "a region that does not exist",
        values: { ...validProd, aws: { region: "us-east" } },
        key: "platform:aws.region",
        says: /"us-east" is not an AWS region/,
      },
      {
        what: "an AWS target with no AWS settings",
        values: { tier: "staging", target: "aws" },
        key: "platform:aws",
        says: /is required when platform:target is "aws"/,
      },
      {
        what: "a malformed GCP project id",
        values: { ...validProd, gcp: { project: "Bad_Project", region: "us-central1" } },
        key: "platform:gcp.project",
        says: /"Bad_Project" is not a GCP project id/,
      },
      {
        what: "a GCP standby with no GCP settings",
        values: { ...validProd, gcp: undefined },
        key: "platform:gcp",
        says: /is required when GCP is the target or the standby/,
      },
      {
        what: "a GCP standby behind a GCP primary",
        values: { ...validProd, target: "gcp" },
        key: "platform:standby",
        says: /only supported with platform:target "aws"/,
      },
      {
        what: "prod on a local cluster",
        values: { tier: "prod", target: "local" },
        key: "platform:target",
        says: /cannot run the prod tier/,
      },
      {
        what: "a misspelt top-level key",
        values: { ...validProd, netwrok: { azCount: 3 } },
        key: "platform:netwrok",
        says: /unknown key \(did you mean "network"\?\); .*allowed here: .*network/,
      },
      {
        what: "a misspelt nested key",
        values: { ...validProd, network: { cidr: "10.0.0.0/16" } },
        key: "platform:network.cidr",
        says: /unknown key; .*allowed here: cidrBlock, azCount/,
      },
      {
        what: "a VPC range wider than /16",
        values: { ...validProd, network: { cidrBlock: "10.0.0.0/8" } },
        key: "platform:network.cidrBlock",
        says: /"10.0.0.0\/8" has prefix \/8; expected an IPv4 CIDR block between \/16 and \/24/,
      },
      {
        what: "a single availability zone",
        values: { ...validProd, network: { azCount: 1 } },
        key: "platform:network.azCount",
        says: /1 is too few availability zones/,
      },
      {
        what: "an availability zone count given as text",
        values: { ...validProd, network: { azCount: "three" } },
        key: "platform:network.azCount",
        says: /"three" is not a number/,
      },
      {
        what: "an interface endpoint for a service the network does not offer",
        values: { ...validProd, network: { interfaceEndpoints: ["sts", "dynamodb"] } },
        key: "platform:network.interfaceEndpoints[1]",
        says: /"dynamodb" is not a service with an interface endpoint here; expected one of ecr\.api, ecr\.dkr, sts, sqs, sns, kms, logs, s3/,
      },
      {
        what: "an interface endpoint listed twice",
        values: { ...validProd, network: { interfaceEndpoints: ["sqs", "sqs"] } },
        key: "platform:network.interfaceEndpoints",
        says: /lists a service twice/,
      },
      {
        what: "a namespace name that is not a DNS label",
        values: { ...validProd, workloads: { namespace: "Prod_NS" } },
        key: "platform:workloads.namespace",
        says: /"Prod_NS" is not a valid Namespace name; expected a DNS-1123 label/,
      },
      {
        what: "a CPU quota that is not a quantity",
        values: { ...validProd, workloads: { quota: { requestsCpu: "ten" } } },
        key: "platform:workloads.quota.requestsCpu",
        says: /"ten" is not a Kubernetes quantity/,
      },
      {
        what: "a pod quota of zero",
        values: { ...validProd, workloads: { quota: { pods: 0 } } },
        key: "platform:workloads.quota.pods",
        says: /0 is not allowed; expected a value >= 1/,
      },
      {
        what: "an empty kubeconfig context",
        values: { tier: "dev", target: "local", local: { kubeContext: "" } },
        key: "platform:local.kubeContext",
        says: /"" is not allowed; expected at least 1 character/,
      },
      {
        what: "an edge with no zone",
        values: withEdge({ zoneName: undefined }),
        key: "platform:edge.zoneName",
        says: /\(missing\) is required when platform:edge\.enabled is true/,
      },
      {
        what: "an edge with no public hosts",
        values: withEdge({ hosts: undefined }),
        key: "platform:edge.hosts",
        says: /\(missing\) is required when platform:edge\.enabled is true/,
      },
      {
        what: "an edge host that is not a DNS label",
        values: withEdge({ hosts: ["App_1"] }),
        key: "platform:edge.hosts[0]",
        says: /"App_1" is not a host label/,
      },
      {
        what: "a zone id that is not 32 hex digits",
        values: withEdge({ zoneId: "zone-1" }),
        key: "platform:edge.zoneId",
        says: /"zone-1" is not a Cloudflare zone id; expected 32 hex digits/,
      },
      {
        what: "an edge with no AWS origin and no ingress to derive it from",
        values: withEdge({ origins: { gcp: "standby.example.net" } }),
        key: "platform:edge.origins.aws",
        says: /\(missing\) is required: platform:edge\.primaryPool is "aws"; no service is exposed by ingress \(platform:workloads\.acmeEmail is unset\)/,
      },
      {
        what: "a WAF mode Cloudflare does not have",
        values: withEdge({ wafMode: "simulate" }),
        key: "platform:edge.wafMode",
        says: /"simulate" is not a WAF mode; expected "block" or "log"/,
      },
      {
        what: "an OWASP score threshold Cloudflare does not offer",
        values: withEdge({ owaspScoreThreshold: 50 }),
        key: "platform:edge.owaspScoreThreshold",
        says: /50 is not allowed; expected one of 25, 40, 60/,
      },
      {
        what: "a rate limit period Cloudflare does not accept",
        values: withEdge({ rateLimits: [{ preset: "per-ip-100-per-minute", periodSeconds: 30 }] }),
        key: "platform:edge.rateLimits[0].periodSeconds",
        says: /30 is not allowed; expected one of 10, 60, 120, 300, 600, 3600/,
      },
      {
        what: "an unknown rate limit preset",
        values: withEdge({ rateLimits: [{ preset: "seed-009" }] }),
        key: "platform:edge.rateLimits[0].preset",
        says: /"seed-009" is not a rate limit preset; expected one of per-ip-10-per-second, per-ip-100-per-minute/,
      },
      {
        what: "a rate limit with neither a preset nor a threshold",
        values: withEdge({ rateLimits: [{ name: "login", periodSeconds: 60 }] }),
        key: "platform:edge.rateLimits[0].requestsPerPeriod",
        says: /\(missing\) is required in a rate limit without a preset/,
      },
      {
        what: "a rate limit on a host the edge does not serve",
        values: withEdge({ rateLimits: [{ preset: "per-ip-10-per-second", hosts: ["admin"] }] }),
        key: "platform:edge.rateLimits[0].hosts[0]",
        says: /"admin" is not a public host; expected one of app, api/,
      },
      {
        what: "an HSTS max-age under a year",
        values: withEdge({ hstsMaxAgeSeconds: 86_400 }),
        key: "platform:edge.hstsMaxAgeSeconds",
        says: /86400 is too short for HSTS preload/,
      },
      {
        what: "a prod load balancer without the Cloudflare account",
        values: withEdge({ accountId: undefined }),
        key: "platform:edge.accountId",
        says: /\(missing\) is required for the load balancer/,
      },
      {
        what: "a prod load balancer without a GCP origin",
        values: withEdge({ origins: { aws: prodEdge.origins.aws } }),
        key: "platform:edge.origins.gcp",
        says: /\(missing\) is required for the load balancer/,
      },
      {
        what: "a load balancer with no standby to fail over to",
        values: { ...withEdge({}), standby: "none" },
        key: "platform:edge.loadBalancer",
        says: /needs a standby to fail over to, but platform:standby is "none"/,
      },
      {
        what: "a health check interval below Cloudflare's minimum",
        values: withEdge({ failover: { intervalSeconds: 5 } }),
        key: "platform:edge.failover.intervalSeconds",
        says: /5 is below Cloudflare's minimum interval/,
      },
      {
        what: "a monitor whose failover exceeds 5 minutes (seed 002)",
        values: withEdge({ failover: { intervalSeconds: 120, consecutiveDown: 3 } }),
        key: "platform:edge.failover",
        says: /worst-case failover takes 405 s .*not under the 300 s of seed 002; lower platform:edge\.failover\.intervalSeconds, platform:edge\.failover\.consecutiveDown/,
      },
    ];

  describe("rejects", () => {
    for (const { what, values, key, says } of rejections) {
      it(`${what}, naming ${key}`, () => {
        const found = problems(values);
        const line = found.find((p) => p.startsWith(`${key}:`) || p.startsWith(`${key} `));
        assert.ok(line, `no problem names ${key}; got:\n${found.join("\n")}`);
        assert.match(line, says);
      });
    }

    it("with every problem listed at once", () => {
      const found = problems({ tier: "qa", target: "azure", network: { azCount: 9 } });
      assert.deepEqual(
        found.map((p) => p.split(":").slice(0, 2).join(":").split(" ")[0]),
        ["platform:tier", "platform:target", "platform:network.azCount"],
      );
    });

    it("without echoing the value of a secret key", () => {
      const found = problems({ ...validProd, aws: { region: "hunter2-not-a-region" } }, ["aws"]);
      assert.ok(
        found.some((p) => p.startsWith("platform:aws.region: [secret]")),
        found.join("\n"),
      );
      assert.ok(!found.join("\n").includes("hunter2"));
    });
  });
});
