import { strict as assert } from "node:assert";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import {
  caBundle,
  createGcpCache,
  memorystoreSizeGb,
  type GcpCacheArgs,
} from "../../components/cache/gcp";
import type { Tier } from "../../config/tiers";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { carriers, plainTextLeaks, testParent } from "./gcp-support";

const networkId = "projects/platform-prod-standby/global/networks/std-vpc";

const settings: Record<Tier, Omit<CacheArgs, "tier" | "placement" | "tags">> = {
  prod: {
    engineVersion: "7.1",
    nodeType: "cache.r6g.large",
    nodes: 3,
    highAvailability: true,
    snapshotRetentionDays: 7,
    slowLogRetentionDays: 30,
    deletionProtection: true,
  },
  staging: {
    engineVersion: "7.1",
    nodeType: "cache.t4g.medium",
    nodes: 1,
    highAvailability: false,
    snapshotRetentionDays: 1,
    slowLogRetentionDays: 30,
    deletionProtection: false,
  },
  dev: {
    engineVersion: "7.1",
    nodeType: "cache.t4g.micro",
    nodes: 1,
    highAvailability: false,
    snapshotRetentionDays: 0,
    slowLogRetentionDays: 7,
    deletionProtection: false,
  },
};

function args(tier: Tier, overrides: Partial<GcpCacheArgs> = {}): GcpCacheArgs {
  return {
    ...settings[tier],
    tier,
    placement: { target: "gcp", networkId },
    tags: { tier },
    ...overrides,
  };
}

async function build(a: GcpCacheArgs): Promise<{ recorded: Recorded; built: CacheOutputs }> {
  const recorded = useMocks();
  const built = createGcpCache("cache", a, testParent());
  await settle();
  return { recorded, built };
}

const redisType = "gcp:redis/instance:Instance";

describe("Cache on gcp in prod", () => {
  let recorded: Recorded;
  let built: CacheOutputs;
  let redis: Record<string, unknown>;

  before(async () => {
    ({ recorded, built } = await build(args("prod")));
    redis = recorded.inputs(recorded.one(redisType, "cache-redis"));
  });

  it("names one node for monitoring: the Memorystore instance's full name, Cloud Monitoring's instance_id", async () => {
    const ids = await Promise.all(built.nodeIds.map(async (n) => (await resolve(n)).value));
    const name = String(recorded.one(redisType, "cache-redis").outputs.name);
    assert.deepEqual(ids, [`projects/mock-project/locations/us-central1/instances/${name}`]);
  });

  it("runs Redis 7 on STANDARD_HA with two read replicas (seed 000: 3 nodes)", () => {
    assert.equal(redis.redisVersion, "REDIS_7_0");
    assert.equal(redis.tier, "STANDARD_HA");
    assert.equal(redis.memorySizeGb, 13);
    assert.equal(redis.readReplicasMode, "READ_REPLICAS_ENABLED");
    assert.equal(redis.replicaCount, 2);
  });

  it("encrypts in transit and requires AUTH", () => {
    assert.equal(redis.transitEncryptionMode, "SERVER_AUTHENTICATION");
    assert.equal(redis.authEnabled, true);
  });

  it("is reachable only over private service access on the VPC", () => {
    assert.equal(redis.connectMode, "PRIVATE_SERVICE_ACCESS");
    assert.equal(redis.authorizedNetwork, networkId);
  });

  it("is protected from deletion (Memorystore has no protection flag of its own)", () => {
    assert.equal(recorded.one(redisType).protect, true);
  });

  it("snapshots to RDB every hour", () => {
    assert.deepEqual(redis.persistenceConfig, {
      persistenceMode: "RDB",
      rdbSnapshotPeriod: "ONE_HOUR",
    });
  });

  it("is maintained on Sundays at 05:00 UTC", () => {
    assert.deepEqual(redis.maintenancePolicy, {
      weeklyMaintenanceWindows: [
        { day: "SUNDAY", startTime: { hours: 5, minutes: 0, seconds: 0, nanos: 0 } },
      ],
    });
  });

  it("hands clients the instance's server CA as a PEM bundle, so a client verifying TLS trusts it", async () => {
    const name = String(recorded.one(redisType, "cache-redis").outputs.name);
    assert.ok(built.caCertificate);
    assert.equal((await resolve(built.caCertificate)).value, `mock-redis-ca-${name}\n`);
  });

  it("trusts every CA the instance lists while Memorystore rotates its CA", () => {
    assert.equal(
      caBundle([{ cert: "-----A-----\n" }, { cert: "-----B-----" }]),
      "-----A-----\n-----B-----\n",
    );
  });

  it("keeps the AUTH string secret everywhere and gives a secret rediss:// URL on the TLS port", async () => {
    const token = await resolve(built.authToken);
    assert.equal(token.secret, true);
    assert.deepEqual(carriers(recorded, token.value), ["gcp:redis/instance:Instance/cache-redis"]);
    assert.deepEqual(plainTextLeaks(recorded, token.value), []);
    const host = recorded.one(redisType).outputs.host;
    const conn = await resolve(built.connectionString);
    assert.equal(conn.secret, true);
    assert.equal(conn.value, `rediss://:${token.value}@${String(host)}:6378`);
    assert.equal((await resolve(built.port)).value, 6378);
  });
});

describe("Cache on gcp in staging and dev", () => {
  it("runs one BASIC node in staging, still with TLS, AUTH and snapshots", async () => {
    const { recorded } = await build(args("staging"));
    const redis = recorded.inputs(recorded.one(redisType));
    assert.equal(redis.tier, "BASIC");
    assert.equal(redis.memorySizeGb, 3);
    assert.equal(redis.transitEncryptionMode, "SERVER_AUTHENTICATION");
    assert.equal(redis.authEnabled, true);
    assert.equal(redis.connectMode, "PRIVATE_SERVICE_ACCESS");
    assert.equal(redis.replicaCount, undefined);
    assert.deepEqual(redis.persistenceConfig, {
      persistenceMode: "RDB",
      rdbSnapshotPeriod: "ONE_HOUR",
    });
  });

  it("keeps no snapshots in dev when none are asked for", async () => {
    const { recorded } = await build(args("dev"));
    const redis = recorded.inputs(recorded.one(redisType));
    assert.deepEqual(redis.persistenceConfig, { persistenceMode: "DISABLED" });
    assert.equal(redis.memorySizeGb, 1);
    assert.equal(recorded.one(redisType).protect, false);
  });

  it("keeps one failover replica, and no read replicas, for an HA instance under 5 GiB", async () => {
    const { recorded } = await build(args("prod", { nodeType: "cache.t4g.medium" }));
    const redis = recorded.inputs(recorded.one(redisType));
    assert.equal(redis.tier, "STANDARD_HA");
    assert.equal(redis.readReplicasMode, undefined);
    assert.equal(redis.replicaCount, undefined);
  });
});

describe("Cache settings for Memorystore", () => {
  const sizes: [string, number][] = [
    ["cache.r6g.large", 13],
    ["cache.t4g.micro", 1],
    ["16gb", 16],
  ];
  for (const [nodeType, gb] of sizes) {
    it(`sizes ${nodeType} at ${gb} GiB`, () => assert.equal(memorystoreSizeGb(nodeType), gb));
  }

  it("refuses every bad setting at once, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        createGcpCache(
          "bad",
          args("prod", { engineVersion: "6.2", nodeType: "cache.x9.huge", nodes: 9 }),
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "Cache",
        resourceName: "bad",
        problems: [
          'engineVersion "6.2" is not offered; expected one of 7.0, 7.1, 7.2',
          'nodeType "cache.x9.huge" has no Memorystore size; use "<n>gb" (1-300) or one of cache.t4g.micro, cache.t4g.small, cache.t4g.medium, cache.m6g.large, cache.r6g.large, cache.r6g.xlarge',
          "nodes is 9; with highAvailability expected 2 to 6 (primary + 1-5 replicas)",
        ],
      },
    );
    assert.equal(recorded.ofType(redisType).length, 0);
  });

  it("refuses several nodes without high availability", () => {
    useMocks();
    assert.throws(() => createGcpCache("bad", args("staging", { nodes: 2 }), testParent()), {
      name: "ComponentError",
      component: "Cache",
      resourceName: "bad",
      problems: ["nodes is 2; without highAvailability Memorystore runs 1 node"],
    });
  });
});
