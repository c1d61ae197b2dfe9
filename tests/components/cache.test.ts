import { strict as assert } from "node:assert";
import { Cache, cacheDefaults, type CacheArgs } from "../../components/cache";
import { wrapSecret } from "../../tools/plan/values";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { assertAdmitsOnlyClients, assertOnlyInSecrets, awsPlacement, tags } from "./support";

const group = "aws:elasticache/replicationGroup:ReplicationGroup";

function args(tier: "staging" | "prod"): CacheArgs {
  return { ...cacheDefaults[tier], tier, placement: awsPlacement(), tags };
}

describe("Cache on aws in prod", () => {
  let recorded: Recorded;
  let cache: Cache;
  before(async () => {
    recorded = useMocks();
    cache = new Cache("cache", args("prod"));
    await settle();
  });
  const redis = () => recorded.inputs(recorded.one(group, "cache-redis"));

  it("runs Redis 7 on the seed's cache.r6g.large", () => {
    assert.equal(redis().engine, "redis");
    assert.equal(redis().engineVersion, "7.1");
    assert.equal(redis().parameterGroupName, "default.redis7");
    assert.equal(redis().nodeType, "cache.r6g.large");
    assert.equal(redis().port, 6379);
  });

  it("has 3 nodes with automatic failover across zones", () => {
    assert.equal(redis().numCacheClusters, 3);
    assert.equal(redis().automaticFailoverEnabled, true);
    assert.equal(redis().multiAzEnabled, true);
  });

  it("encrypts at rest with its customer key and in transit with TLS", () => {
    const key = recorded.one("aws:kms/key:Key", "cache-key");
    assert.equal(redis().atRestEncryptionEnabled, true);
    assert.equal(redis().kmsKeyId, key.outputs.arn);
    assert.equal(redis().transitEncryptionEnabled, true);
  });

  it("requires the generated auth token, sent as a secret", () => {
    const record = recorded.one(group, "cache-redis");
    assert.equal(typeof redis().authToken, "string");
    assert.equal((redis().authToken as string).length, 64);
    assert.deepEqual(record.inputs.authToken, wrapSecret(redis().authToken));
  });

  it("delivers the slow log to a CloudWatch log group encrypted with its key", () => {
    const logGroup = recorded.one("aws:cloudwatch/logGroup:LogGroup", "cache-slow-log");
    assert.equal(recorded.inputs(logGroup).retentionInDays, 30);
    assert.equal(
      recorded.inputs(logGroup).kmsKeyId,
      recorded.one("aws:kms/key:Key", "cache-key").outputs.arn,
    );
    assert.deepEqual(redis().logDeliveryConfigurations, [
      {
        destination: logGroup.outputs.name,
        destinationType: "cloudwatch-logs",
        logFormat: "text",
        logType: "slow-log",
      },
    ]);
  });

  it("lets CloudWatch Logs use its key", () => {
    const keyPolicy = JSON.parse(
      recorded.inputs(recorded.one("aws:kms/key:Key", "cache-key")).policy as string,
    ) as { Statement: { Sid: string; Principal: unknown }[] };
    assert.deepEqual(keyPolicy.Statement.find((s) => s.Sid === "ServicesUse")?.Principal, {
      Service: ["logs.us-east-1.amazonaws.com"],
    });
  });

  it("keeps snapshots 7 days, takes a final snapshot and is protected", () => {
    assert.equal(redis().snapshotRetentionLimit, 7);
    assert.equal(redis().snapshotWindow, "02:00-03:00");
    assert.equal(redis().finalSnapshotIdentifier, "platform-test-cache-final-snapshot");
    assert.equal(recorded.one(group, "cache-redis").protect, true);
    assert.equal(recorded.one("aws:kms/key:Key", "cache-key").protect, true);
  });

  it("lives in the private subnets and admits only the workload clients on 6379", () => {
    const subnets = recorded.one("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
    assert.deepEqual(recorded.inputs(subnets).subnetIds, awsPlacement().subnetIds);
    assert.equal(redis().subnetGroupName, subnets.outputs.name);
    const sg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "cache-sg");
    assertAdmitsOnlyClients(recorded.inputs(sg), 6379);
    assert.deepEqual(redis().securityGroupIds, [sg.id]);
  });

  it("never records the auth token in plain text", async () => {
    const token = await resolve(cache.authToken);
    assert.equal(token.secret, true);
    assertOnlyInSecrets(recorded.all, token.value);
  });

  it("gives a rediss:// connection string, as a secret", async () => {
    const conn = await resolve(cache.connectionString);
    const token = (await resolve(cache.authToken)).value;
    const host = (await resolve(cache.host)).value;
    assert.equal(conn.secret, true);
    assert.equal(conn.value, `rediss://:${token}@${host}:6379`);
  });

  it("names its three member clusters as ElastiCache does, for the CloudWatch alarms", async () => {
    const arn = String(recorded.one(group, "cache-redis").outputs.arn);
    const id = arn.split(":replicationgroup:")[1]!;
    assert.match(id, /^cache-redis-[0-9a-f]+$/);
    const ids = await Promise.all(cache.nodeIds.map(async (n) => (await resolve(n)).value));
    assert.deepEqual(ids, [`${id}-001`, `${id}-002`, `${id}-003`]);
  });
});

describe("Cache on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Cache("cache", args("staging"));
    await settle();
  });
  const redis = () => recorded.inputs(recorded.one(group, "cache-redis"));

  it("runs 2 cache.t4g.medium nodes without failover", () => {
    assert.equal(redis().nodeType, "cache.t4g.medium");
    assert.equal(redis().numCacheClusters, 2);
    assert.equal(redis().automaticFailoverEnabled, false);
    assert.equal(redis().multiAzEnabled, false);
  });

  it("is still encrypted at rest and in transit, with an auth token", () => {
    assert.equal(redis().atRestEncryptionEnabled, true);
    assert.equal(redis().transitEncryptionEnabled, true);
    assert.equal((redis().authToken as string).length, 64);
  });

  it("is not protected and takes no final snapshot", () => {
    assert.equal(recorded.one(group, "cache-redis").protect, false);
    assert.equal(redis().finalSnapshotIdentifier, undefined);
    assert.equal(redis().snapshotRetentionLimit, 1);
  });

  it("admits only the workload clients on 6379", () => {
    assertAdmitsOnlyClients(
      recorded.inputs(recorded.one("aws:ec2/securityGroup:SecurityGroup", "cache-sg")),
      6379,
    );
  });
});

describe("Cache settings", () => {
  it("refuse failover with a single node", () => {
    useMocks();
    assert.throws(() => new Cache("cache", { ...args("prod"), nodes: 1 }), {
      name: "ComponentError",
      message:
        "Cache cache: invalid args:\n  - nodes: 1; highAvailability needs at least 2 nodes (a primary and a replica)",
    });
  });
});
