import { strict as assert } from "node:assert";
import { Edge, edgeDefaults, type EdgeArgs } from "../../components/edge";
import { settle, useMocks, type Recorded } from "../support/mocks";

const zoneSetting = "cloudflare:index/zoneSetting:ZoneSetting";
const ruleset = "cloudflare:index/ruleset:Ruleset";

function argsFor(overrides: Partial<EdgeArgs> = {}): EdgeArgs {
  return {
    ...edgeDefaults.staging,
    tier: "staging",
    namePrefix: "platform-staging",
    zone: { name: "example.com" },
    hosts: ["app"],
    origins: { aws: { hostname: "lb.us-east-1.elb.amazonaws.com" } },
    ...overrides,
  };
}

function headerValues(recorded: Recorded): Record<string, string> {
  const [rule] = recorded.inputs(recorded.one(ruleset, "edge-headers")).rules as {
    actionParameters: { headers: Record<string, { operation: string; value: string }> };
  }[];
  return Object.fromEntries(
    Object.entries(rule!.actionParameters.headers).map(([h, v]) => [h, v.value]),
  );
}

describe("Edge TLS ciphers on Cloudflare, on a zone that may restrict them", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Edge("edge", argsFor({ modernCiphersOnly: true }));
    await settle();
  });

  it("offers only Cloudflare's Modern TLS 1.2 suites: ECDHE with AES-GCM or ChaCha20-Poly1305", () => {
    const ciphers = recorded.inputs(recorded.one(zoneSetting, "edge-ciphers"));
    assert.equal(ciphers.settingId, "ciphers");
    assert.deepEqual(ciphers.value, [
      "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-CHACHA20-POLY1305",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",
    ]);
    for (const suite of ciphers.value as string[]) {
      assert.match(suite, /^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    }
  });

  it("keeps TLS 1.0 and 1.1 off and TLS 1.3 on, where the cipher list does not apply", () => {
    assert.equal(recorded.inputs(recorded.one(zoneSetting, "edge-min-tls-version")).value, "1.2");
    assert.equal(recorded.inputs(recorded.one(zoneSetting, "edge-tls-1-3")).value, "on");
  });
});

describe("Edge TLS ciphers on Cloudflare by default", () => {
  it("leaves the zone's cipher list alone, which Cloudflare refuses to change without Advanced Certificate Manager", async () => {
    const recorded = useMocks();
    new Edge("edge", argsFor());
    await settle();
    const settings = recorded.ofType(zoneSetting).map((s) => recorded.inputs(s).settingId);
    assert.ok(!settings.includes("ciphers"), settings.join(", "));
    assert.ok(settings.includes("min_tls_version") && settings.includes("tls_1_3"));
  });
});

describe("Edge Content-Security-Policy on Cloudflare", () => {
  it("sets the platform's default policy on every response when the stack names none", async () => {
    const recorded = useMocks();
    new Edge("edge", argsFor());
    await settle();
    assert.equal(
      headerValues(recorded)["Content-Security-Policy"],
      "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; upgrade-insecure-requests",
    );
  });

  it("sets the stack's own policy, beside the other security headers", async () => {
    const recorded = useMocks();
    const policy = "default-src 'self'; frame-ancestors 'none'";
    new Edge("edge", argsFor({ contentSecurityPolicy: policy }));
    await settle();
    const headers = headerValues(recorded);
    assert.equal(headers["Content-Security-Policy"], policy);
    assert.equal(headers["X-Frame-Options"], "DENY");
  });
});
