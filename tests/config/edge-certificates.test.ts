import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { inZone } from "../../config/sections/edge";
import { problems, source } from "../support/config";
import { resolve } from "../support/mocks";

const token = "cloudflare-dns-token";

const service = (name: string, host: string) => ({
  name,
  image: `shop/${name}:1.0.0`,
  port: 8080,
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "200m", memory: "256Mi" },
  },
  exposure: { kind: "ingress", host, path: "/" },
});

/** A staging stack behind the edge on shop.example.com, its API exposed by ingress. */
const edgeStack = (extra: Record<string, unknown> = {}, hosts = ["api.shop.example.com"]) => ({
  tier: "staging",
  target: "aws",
  aws: { region: "us-east-1" },
  workloads: {
    acmeEmail: "platform-team@example.com",
    services: hosts.map((host, i) => service(`svc${i}`, host)),
  },
  edge: { enabled: true, zoneName: "shop.example.com", hosts: ["api"] },
  ...extra,
});

describe("Ingress certificates behind the edge in stack config", () => {
  describe("accepts", () => {
    it("a DNS-01 token, and issues every host of the edge's zone by DNS-01", async () => {
      const cfg = parseStackConfig(
        source(edgeStack({ ingress: { cloudflareApiToken: token } }), ["ingress"]),
      );
      assert.deepEqual(cfg.acmeDns01?.zones, ["shop.example.com"]);
      const stored = await resolve(cfg.acmeDns01!.cloudflareApiToken);
      assert.deepEqual(stored, { value: token, secret: true });
    });

    it("a wildcard host of the zone beside a named one, with one solver zone each", () => {
      const cfg = parseStackConfig(
        source(
          edgeStack({ ingress: { cloudflareApiToken: token } }, [
            "api.shop.example.com",
            "*.tenants.shop.example.com",
          ]),
          ["ingress"],
        ),
      );
      assert.deepEqual(cfg.acmeDns01?.zones, ["tenants.shop.example.com", "shop.example.com"]);
    });

    it("HTTP-01 alone without the edge: no token, no DNS-01 solver", () => {
      const cfg = parseStackConfig(source(edgeStack({ edge: { enabled: false } })));
      assert.equal(cfg.acmeDns01, undefined);
    });
  });

  describe("refuses", () => {
    it("no DNS-01 token: HTTP-01 cannot issue behind the proxy", () => {
      assert.deepEqual(problems(edgeStack()), [
        'platform:ingress.cloudflareApiToken: (missing) is required when a service is exposed by ingress behind the edge: certificates are issued by ACME DNS-01 on "shop.example.com"; set a secret token with Zone:DNS:Edit and Zone:Zone:Read on it',
      ]);
    });

    it("an ingress host outside the edge's zone, which the locked load balancer would serve to nobody", () => {
      const found = problems(
        edgeStack({ ingress: { cloudflareApiToken: token } }, [
          "api.shop.example.com",
          "admin.example.org",
        ]),
        ["ingress"],
      );
      assert.deepEqual(found, [
        'platform:workloads.services[1].exposure.host: "admin.example.org" is outside platform:edge.zoneName "shop.example.com"; behind the edge the load balancers admit only Cloudflare, so expose a host in the zone',
      ]);
    });

    it("an edge given by zone id alone: the DNS-01 solver selects hosts by zone name", () => {
      const found = problems(
        edgeStack({
          ingress: { cloudflareApiToken: token },
          edge: { enabled: true, zoneId: "0123456789abcdef0123456789abcdef", hosts: ["api"] },
        }),
        ["ingress"],
      );
      assert.equal(found.length, 1);
      assert.match(found[0]!, /^platform:edge\.zoneName: \(missing\) is required when a service/);
    });
  });
});

describe("Hosts in the edge's zone", () => {
  for (const [host, zone, inside] of [
    ["shop.example.com", "shop.example.com", true],
    ["api.shop.example.com", "shop.example.com", true],
    ["*.tenants.shop.example.com", "shop.example.com", true],
    ["*.shop.example.com", "shop.example.com", true],
    ["evilshop.example.com", "shop.example.com", false],
    ["shop.example.com.evil.org", "shop.example.com", false],
  ] as const) {
    it(`${host} is ${inside ? "" : "not "}in ${zone}`, () => {
      assert.equal(inZone(host, zone), inside);
    });
  }
});
