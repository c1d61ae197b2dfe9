import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { defaultContentSecurityPolicy } from "../../components/edge";
import { problems, source } from "../support/config";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};
const edge = {
  enabled: true,
  zoneName: "example.com",
  hosts: ["app"],
  loadBalancer: false,
  origins: { aws: "lb.us-east-1.elb.amazonaws.com" },
};

describe("Edge config: Content-Security-Policy (platform:edge.contentSecurityPolicy)", () => {
  it("takes the stack's policy", () => {
    const policy = "default-src 'self'; frame-ancestors 'none'";
    const cfg = parseStackConfig(
      source({ ...prod, edge: { ...edge, contentSecurityPolicy: policy } }),
    );
    assert.equal(cfg.edge?.contentSecurityPolicy, policy);
  });

  it("defaults to the platform's policy", () => {
    const cfg = parseStackConfig(source({ ...prod, edge }));
    assert.equal(cfg.edge?.contentSecurityPolicy, defaultContentSecurityPolicy);
  });

  it("refuses a value that is not a list of directives", () => {
    const found = problems({
      ...prod,
      edge: { ...edge, contentSecurityPolicy: "default-src 'self'\nX-Injected: 1" },
    });
    const line = found.find((p) => p.startsWith("platform:edge.contentSecurityPolicy"));
    assert.ok(
      line,
      `no problem names platform:edge.contentSecurityPolicy; got:\n${found.join("\n")}`,
    );
    assert.match(line, /is not a Content-Security-Policy/);
  });
});
