import { strict as assert } from "node:assert";
import { Cache, cacheDefaults, type CacheArgs } from "../../components/cache";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, tags } from "./support";

const group = "aws:elasticache/replicationGroup:ReplicationGroup";
const parameterGroup = "aws:elasticache/parameterGroup:ParameterGroup";

function args(parameters: Record<string, string>): CacheArgs {
  return { ...cacheDefaults.prod, parameters, tier: "prod", placement: awsPlacement(), tags };
}

describe("Cache on aws with Redis settings (seed 003: maxmemory-policy allkeys-lru)", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Cache("cache", args({ "maxmemory-policy": "allkeys-lru" }));
    await settle();
  });

  it("holds the settings in a parameter group of the engine's family, redis7", () => {
    const inputs = recorded.inputs(recorded.one(parameterGroup, "cache-params"));
    assert.equal(inputs.family, "redis7");
    assert.equal(inputs.name, "platform-test-cache-redis7");
    assert.deepEqual(inputs.parameters, [{ name: "maxmemory-policy", value: "allkeys-lru" }]);
  });

  it("runs the replication group on that parameter group, which it waits for", () => {
    const params = recorded.one(parameterGroup, "cache-params");
    const redis = recorded.one(group, "cache-redis");
    assert.equal(recorded.inputs(redis).parameterGroupName, params.outputs.name);
    assert.ok(redis.dependencies.includes(params.urn));
  });
});

describe("Cache on aws without Redis settings", () => {
  it("builds no parameter group and runs on ElastiCache's default.redis7", async () => {
    const recorded = useMocks();
    new Cache("cache", args({}));
    await settle();
    assert.equal(recorded.ofType(parameterGroup).length, 0);
    assert.equal(
      recorded.inputs(recorded.one(group, "cache-redis")).parameterGroupName,
      "default.redis7",
    );
  });
});
