import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};

describe("Cache config: Redis settings (platform:cache.parameters)", () => {
  it("passes the stack's settings through to the cache", () => {
    const cfg = parseStackConfig(
      source({ ...prod, cache: { parameters: { "maxmemory-policy": "allkeys-lru" } } }),
    );
    assert.deepEqual(cfg.cache.parameters, { "maxmemory-policy": "allkeys-lru" });
  });

  it("defaults to no settings (the target's own defaults)", () => {
    assert.deepEqual(parseStackConfig(source(prod)).cache.parameters, {});
  });

  it("refuses appendonly, which managed Redis 7 does not offer, and says what does", () => {
    const found = problems({ ...prod, cache: { parameters: { appendonly: "yes" } } });
    const line = found.find((p) => p.startsWith("platform:cache.parameters.appendonly"));
    assert.ok(
      line,
      `no problem names platform:cache.parameters.appendonly; got:\n${found.join("\n")}`,
    );
    assert.match(line, /no append-only file; snapshots .* and replicas/);
  });

  it("refuses maxmemory, which the node type sets", () => {
    const found = problems({ ...prod, cache: { parameters: { maxmemory: "2gb" } } });
    const line = found.find((p) => p.startsWith("platform:cache.parameters.maxmemory"));
    assert.ok(
      line,
      `no problem names platform:cache.parameters.maxmemory; got:\n${found.join("\n")}`,
    );
    assert.match(line, /the node type sets maxmemory/);
  });
});
