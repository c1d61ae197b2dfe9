import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};
const staging = { tier: "staging", target: "aws", aws: { region: "us-east-1" } };

describe("Observability config: access log retention (platform:observability.accessLogRetentionDays)", () => {
  it("keeps access logs 365 days in prod and 90 in staging unless the stack says otherwise", () => {
    assert.equal(parseStackConfig(source(prod)).observability.settings.accessLogRetentionDays, 365);
    assert.equal(
      parseStackConfig(source(staging)).observability.settings.accessLogRetentionDays,
      90,
    );
  });

  it("takes the stack's value", () => {
    const cfg = parseStackConfig(
      source({ ...prod, observability: { accessLogRetentionDays: 731 } }),
    );
    assert.equal(cfg.observability.settings.accessLogRetentionDays, 731);
  });

  it("refuses a retention CloudWatch Logs does not offer", () => {
    const found = problems({ ...prod, observability: { accessLogRetentionDays: 100 } });
    const line = found.find((p) => p.startsWith("platform:observability.accessLogRetentionDays"));
    assert.ok(line, found.join("\n"));
    assert.match(line, /is not a CloudWatch Logs retention/);
  });
});
