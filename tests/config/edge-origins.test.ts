import { strict as assert } from "node:assert";
import { ingressOrigins, parseStackConfig } from "../../config";
import { problems as problemsOf, source as sourceOf } from "../support/config";

// Behind the edge, both origins' certificates are issued by DNS-01 with a secret token.
const source = (values: Record<string, unknown>) => sourceOf(values, ["ingress"]);
const problems = (values: Record<string, unknown>) => problemsOf(values, ["ingress"]);

const acmeEmail = "platform-team@example.com";

const prod = {
  tier: "prod",
  target: "aws",
  standby: "gcp",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
  gcp: { project: "platform-prod-standby", region: "us-central1" },
  ingress: { cloudflareApiToken: "cloudflare-dns-token" },
  workloads: {
    acmeEmail,
    // A service on each load-balanced host, its readiness path (/ready) routed by its ingress.
    services: ["app", "api"].map((host) => ({
      name: host,
      image: `example/${host}:1.0.0`,
      port: 8080,
      resources: {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "200m", memory: "256Mi" },
      },
      exposure: { kind: "ingress", host: `${host}.example.com` },
    })),
  },
};

const edge = {
  enabled: true,
  zoneName: "example.com",
  accountId: "0123456789abcdef0123456789abcdef",
  hosts: ["app", "api"],
};

describe("Edge origins from the ingress controllers", () => {
  describe("come from", () => {
    const cases = [
      {
        what: "the primary on aws and the GCP standby",
        cfg: { target: "aws", standby: "gcp", acmeEmail },
        origins: { aws: "primary", gcp: "standby" },
      },
      {
        what: "the primary on aws alone",
        cfg: { target: "aws", standby: "none", acmeEmail },
        origins: { aws: "primary" },
      },
      {
        what: "the primary on gcp",
        cfg: { target: "gcp", standby: "none", acmeEmail },
        origins: { gcp: "primary" },
      },
      {
        what: "nothing on the local target, which has no public load balancer",
        cfg: { target: "local", standby: "none", acmeEmail },
        origins: {},
      },
      {
        what: "nothing when no service is exposed by ingress",
        cfg: { target: "aws", standby: "gcp", acmeEmail: undefined },
        origins: {},
      },
    ] as const;
    for (const { what, cfg, origins } of cases) {
      it(what, () => assert.deepEqual(ingressOrigins(cfg), origins));
    }
  });

  describe("accepts", () => {
    it("a prod load balancer with no origins stated when both clouds run an ingress", () => {
      const cfg = parseStackConfig(source({ ...prod, edge }));
      assert.deepEqual(cfg.edge?.origins, {});
      assert.equal(cfg.edge?.loadBalancer, true);
    });

    it("a stated origin as an override of the derived one", () => {
      const cfg = parseStackConfig(
        source({ ...prod, edge: { ...edge, origins: { gcp: "standby.example.net" } } }),
      );
      assert.deepEqual(cfg.edge?.origins, { gcp: "standby.example.net" });
    });

    it("a GCP primary pool served by the GCP standby's ingress", () => {
      const cfg = parseStackConfig(source({ ...prod, edge: { ...edge, primaryPool: "gcp" } }));
      assert.equal(cfg.edge?.primaryPool, "gcp");
    });
  });

  describe("rejects", () => {
    it("an edge with no ingress at all and no AWS origin, naming the key", () => {
      assert.deepEqual(problems({ ...prod, workloads: {}, edge }), [
        'platform:edge.origins.aws: (missing) is required: platform:edge.primaryPool is "aws"; no service is exposed by ingress (platform:workloads.acmeEmail is unset), so no ingress controller gives it: set the hostname of the AWS load balancer the edge fronts',
        "platform:edge.origins.gcp: (missing) is required for the load balancer (platform:edge.loadBalancer is true in prod); no service is exposed by ingress (platform:workloads.acmeEmail is unset), so no ingress controller gives it: set the hostname of the GCP load balancer the edge fronts",
      ]);
    });

    it("a local stack's edge with no AWS origin", () => {
      assert.deepEqual(
        problems({ tier: "dev", target: "local", workloads: { acmeEmail }, edge: { ...edge } }),
        [
          'platform:edge.origins.aws: (missing) is required: platform:edge.primaryPool is "aws"; platform:target is "local", so no ingress controller runs on aws: set the hostname of the AWS load balancer the edge fronts',
        ],
      );
    });

    it("a GCP primary pool with no GCP standby and no GCP origin", () => {
      assert.deepEqual(
        problems({
          ...prod,
          tier: "staging",
          standby: "none",
          edge: { ...edge, primaryPool: "gcp", accountId: undefined },
        }),
        [
          'platform:edge.origins.gcp: (missing) is required: platform:edge.primaryPool is "gcp"; neither platform:target nor platform:standby is "gcp", so no ingress controller runs on gcp: set the hostname of the GCP load balancer the edge fronts',
        ],
      );
    });
  });
});
