import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import { parseStackConfig } from "../../config";
import { resolve } from "../support/mocks";

const token = "cloudflare-dns-token";

const service = (name: string, host: string, path: string) => ({
  name,
  image: `directory/${name}:1.0.0`,
  port: 8080,
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "200m", memory: "256Mi" },
  },
  exposure: { kind: "ingress", host, path },
});

const tenantStack = (extra: Record<string, unknown> = {}) => ({
  tier: "staging",
  target: "aws",
  aws: { region: "us-east-1" },
  workloads: {
    acmeEmail: "platform-team@example.com",
    services: [
      service("frontend", "*.directory.example.com", "/"),
      service("backend", "*.directory.example.com", "/api"),
      service("admin", "admin.example.org", "/"),
    ],
  },
  ...extra,
});

describe("Tenant subdomains in stack config", () => {
  describe("accepts", () => {
    it("wildcard ingress hosts with a secret DNS-01 token, one solver zone per wildcard domain", async () => {
      const cfg = parseStackConfig(
        source(tenantStack({ ingress: { cloudflareApiToken: token } }), ["ingress"]),
      );
      assert.deepEqual(cfg.acmeDns01?.zones, ["directory.example.com"]);
      const resolved = await resolve(cfg.acmeDns01!.cloudflareApiToken);
      assert.deepEqual(resolved, { value: token, secret: true });
    });

    it("a token with no wildcard host, and sets up no DNS-01 solver", () => {
      const cfg = parseStackConfig(
        source(
          {
            ...tenantStack({ ingress: { cloudflareApiToken: token } }),
            workloads: {
              acmeEmail: "platform-team@example.com",
              services: [service("admin", "admin.example.org", "/")],
            },
          },
          ["ingress"],
        ),
      );
      assert.equal(cfg.acmeDns01, undefined);
    });

    it("a wildcard edge host next to named hosts", () => {
      const cfg = parseStackConfig(
        source(
          tenantStack({
            ingress: { cloudflareApiToken: token },
            // Behind the edge every ingress host is in its zone (admin.example.org is not).
            workloads: {
              acmeEmail: "platform-team@example.com",
              services: [
                service("frontend", "*.directory.example.com", "/"),
                service("backend", "*.directory.example.com", "/api"),
              ],
            },
            edge: {
              enabled: true,
              zoneName: "directory.example.com",
              hosts: ["app", "*"],
              origins: { aws: "directory-0123456789.us-east-1.elb.amazonaws.com" },
              rateLimits: [{ preset: "per-ip-100-per-minute", hosts: ["*"] }],
            },
          }),
          ["ingress"],
        ),
      );
      assert.deepEqual(cfg.edge?.hosts, ["app", "*"]);
      assert.deepEqual(cfg.edge?.rateLimits[0]?.hosts, ["*"]);
    });
  });

  describe("refuses", () => {
    it("a wildcard ingress host without the DNS-01 token, naming the host and the key to set", () => {
      const found = problems(tenantStack());
      assert.equal(found.length, 2);
      assert.match(
        found[0]!,
        /^platform:workloads\.services\[0\]\.exposure\.host: "\*\.directory\.example\.com" is a wildcard.*DNS-01; set platform:ingress\.cloudflareApiToken/,
      );
      assert.match(found[1]!, /^platform:workloads\.services\[1\]\.exposure\.host: /);
    });

    it("the token stored as plain text, without showing it", () => {
      const found = problems(tenantStack({ ingress: { cloudflareApiToken: token } }));
      assert.deepEqual(found, [
        "platform:ingress.cloudflareApiToken: [plain text] is a credential stored as plain text; " +
          "set it with `pulumi config set --secret --path 'platform:ingress.cloudflareApiToken' <value>`",
      ]);
    });

    it("a wildcard that is not the leftmost label", () => {
      const found = problems(
        tenantStack({
          workloads: {
            acmeEmail: "platform-team@example.com",
            services: [service("frontend", "app.*.example.com", "/")],
          },
        }),
      );
      assert.equal(found.length, 1);
      assert.match(
        found[0]!,
        /^platform:workloads\.services\[0\]\.exposure\.host: "app\.\*\.example\.com" is not a host name; expected e\.g\. api\.example\.com, or "\*\.example\.com" for every subdomain/,
      );
    });

    it("a wildcard edge host behind the load balancer", () => {
      const found = problems(
        {
          tier: "prod",
          target: "aws",
          standby: "gcp",
          aws: { region: "us-east-1", replicaRegion: "us-west-2" },
          gcp: { project: "platform-prod-standby", region: "us-central1" },
          edge: {
            enabled: true,
            zoneName: "directory.example.com",
            accountId: "0123456789abcdef0123456789abcdef",
            hosts: ["app", "*"],
            origins: { aws: "web.example.net", gcp: "standby.example.net" },
          },
        },
        [],
      );
      assert.deepEqual(found, [
        'platform:edge.hosts: "*" cannot be load balanced (platform:edge.loadBalancer is true in prod); ' +
          "Cloudflare load balancers take named hosts, so set platform:edge.loadBalancer false or name the hosts",
      ]);
    });
  });
});
