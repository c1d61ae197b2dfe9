import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { rateLimitPresets } from "../../components/edge";
import { parseStackConfig, type PlatformConfig } from "../../config";
import { source } from "../support/config";

const withEdge = (rateLimits: unknown[]) => ({
  tier: "staging",
  target: "aws",
  aws: { region: "us-east-1" },
  edge: {
    enabled: true,
    zoneName: "example.com",
    hosts: ["api"],
    rateLimits,
    origins: { aws: "lb.example.com" },
  },
});

/** The config and the warnings the plan prints while it is read. */
function parseWarning(values: Record<string, unknown>): {
  config: PlatformConfig;
  warned: string[];
} {
  const warned: string[] = [];
  const original = pulumi.log.warn;
  pulumi.log.warn = (msg: string) => {
    warned.push(msg);
    return Promise.resolve();
  };
  try {
    return { config: parseStackConfig(source(values)), warned };
  } finally {
    pulumi.log.warn = original;
  }
}

describe("Rate limit presets named after what they do", () => {
  it("reads per-ip-100-per-minute and per-ip-10-per-second without a word", () => {
    const { config, warned } = parseWarning(
      withEdge([{ preset: "per-ip-100-per-minute" }, { preset: "per-ip-10-per-second" }]),
    );
    assert.deepEqual(
      config.edge?.rateLimits.map((r) => r.name),
      ["per-ip-100-per-minute", "per-ip-10-per-second"],
    );
    assert.deepEqual(warned, []);
  });

  it("still reads the former seed-004 and seed-003, each the same limit, and names the preset to write", () => {
    const { config, warned } = parseWarning(
      withEdge([{ preset: "seed-004" }, { preset: "seed-003", hosts: ["api"] }]),
    );
    assert.deepEqual(config.edge?.rateLimits, [
      { ...rateLimitPresets["per-ip-100-per-minute"], hosts: [] },
      { ...rateLimitPresets["per-ip-10-per-second"], hosts: ["api"] },
    ]);
    assert.deepEqual(warned, [
      'platform:edge.rateLimits[0].preset: "seed-004" is the former name of "per-ip-100-per-minute", which it still means; write "per-ip-100-per-minute"',
      'platform:edge.rateLimits[1].preset: "seed-003" is the former name of "per-ip-10-per-second", which it still means; write "per-ip-10-per-second"',
    ]);
  });
});
