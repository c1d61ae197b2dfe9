import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import { parseStackConfig } from "../../config";
import { rdsInstanceClasses } from "../../config/data-services";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};
const staging = { tier: "staging", target: "aws", aws: { region: "us-east-1" } };
const onGcp = {
  tier: "staging",
  target: "gcp",
  gcp: { project: "platform-staging", region: "europe-west1" },
  cache: { nodes: 1 },
};

describe("Data service config", () => {
  describe("resolves", () => {
    it("prod to database, cache, buckets and backups on, search and queue off, with the seeds' values", () => {
      const cfg = parseStackConfig(source(prod));
      assert.deepEqual(
        [cfg.database, cfg.cache, cfg.objectStore, cfg.search, cfg.queue, cfg.backup].map(
          (s) => s.enabled,
        ),
        [true, true, true, false, false, true],
      );
      assert.equal(cfg.database.instanceClass, "db.r6g.xlarge");
      assert.equal(cfg.database.maxAllocatedStorageGb, 1000);
      assert.equal(cfg.database.backupWindow, "03:00-04:00");
      assert.equal(cfg.database.maintenanceWindow, "sun:04:00-sun:05:00");
      assert.equal(cfg.cache.nodes, 3);
      assert.equal(cfg.objectStore.crossRegionReplication, true);
      assert.deepEqual(
        cfg.backup.rules.map((r) => [r.name, r.retentionDays]),
        [
          ["daily", 7],
          ["weekly", 30],
          ["monthly", 365],
        ],
      );
      assert.equal(cfg.backup.crossRegionCopy, true);
    });

    it("staging to database, cache and buckets only", () => {
      const cfg = parseStackConfig(source(staging));
      assert.deepEqual(
        [cfg.database, cfg.cache, cfg.objectStore, cfg.search, cfg.queue, cfg.backup].map(
          (s) => s.enabled,
        ),
        [true, true, true, false, false, false],
      );
      assert.equal(cfg.database.highAvailability, false);
      assert.equal(cfg.database.deletionProtection, false);
    });

    it("prod to OpenSearch and SQS+SNS only when the stack turns them on", () => {
      const cfg = parseStackConfig(
        source({ ...prod, search: { enabled: true }, queue: { enabled: true } }),
      );
      assert.equal(cfg.search.enabled, true);
      assert.equal(cfg.search.instanceType, "r6g.large.search");
      assert.equal(cfg.search.instanceCount, 3);
      assert.equal(cfg.queue.enabled, true);
    });

    it("overrides over the tier's defaults, and bucket overrides by role", () => {
      const cfg = parseStackConfig(
        source({
          ...staging,
          database: { instanceClass: "db.r6g.2xlarge" },
          search: { enabled: true },
          objectStore: { buckets: { uploads: { expireAfterDays: 400 }, media: {} } },
        }),
      );
      assert.equal(cfg.database.instanceClass, "db.r6g.2xlarge");
      assert.equal(cfg.database.backupRetentionDays, 7);
      assert.equal(cfg.database.logRetentionDays, 14);
      assert.equal(cfg.search.enabled, true);
      assert.deepEqual(cfg.objectStore.buckets, [
        {
          role: "uploads",
          noncurrentVersionDays: 30,
          infrequentAccessAfterDays: 90,
          expireAfterDays: 400,
        },
        {
          role: "backups",
          noncurrentVersionDays: 7,
          infrequentAccessAfterDays: 30,
          expireAfterDays: 365,
          expirePrefixes: ["k8s-backups", "postgres"],
        },
        {
          role: "media",
          noncurrentVersionDays: 30,
          infrequentAccessAfterDays: 0,
          expireAfterDays: 0,
        },
      ]);
    });
  });

  const rejections: { what: string; values: Record<string, unknown>; key: string; says: RegExp }[] =
    [
      {
        what: "an instance class RDS does not have",
        values: { ...prod, database: { instanceClass: "db.x1.huge" } },
        key: "platform:database.instanceClass",
        says: /^platform:database\.instanceClass: "db\.x1\.huge" is not an RDS instance class; expected one of db\.t4g\.micro, .*db\.r6g\.xlarge/,
      },
      {
        what: "a replica class RDS does not have",
        values: { ...prod, database: { readReplicaInstanceClass: "r6g.large" } },
        key: "platform:database.readReplicaInstanceClass",
        says: /"r6g.large" is not an RDS instance class/,
      },
      {
        what: "an unsupported PostgreSQL version",
        values: { ...prod, database: { engineVersion: "9.6" } },
        key: "platform:database.engineVersion",
        says: /"9.6" is not a supported PostgreSQL version; expected "14" to "17"/,
      },
      {
        what: "backups kept for zero days",
        values: { ...prod, database: { backupRetentionDays: 0 } },
        key: "platform:database.backupRetentionDays",
        says: /0 is too small; expected days from 1 to 35/,
      },
      {
        what: "a log retention CloudWatch does not offer",
        values: { ...prod, database: { logRetentionDays: 45 } },
        key: "platform:database.logRetentionDays",
        says: /45 is not a CloudWatch Logs retention; expected one of 1, 3, 5, 7, 14, 30, 60, 90/,
      },
      {
        what: "a malformed backup window",
        values: { ...prod, database: { backupWindow: "3am-4am" } },
        key: "platform:database.backupWindow",
        says: /"3am-4am" is not a backup window; expected "hh:mm-hh:mm"/,
      },
      {
        what: "a malformed maintenance window",
        values: { ...prod, database: { maintenanceWindow: "sunday 04:00" } },
        key: "platform:database.maintenanceWindow",
        says: /"sunday 04:00" is not a maintenance window; expected "ddd:hh:mm-ddd:hh:mm"/,
      },
      {
        what: "a storage ceiling below the initial storage",
        values: { ...prod, database: { allocatedStorageGb: 200, maxAllocatedStorageGb: 150 } },
        key: "platform:database.maxAllocatedStorageGb",
        says: /150 is below allocatedStorageGb \(200\); expected at least 200/,
      },
      {
        what: "a reserved master user name",
        values: { ...prod, database: { username: "postgres" } },
        key: "platform:database.username",
        says: /"postgres" is reserved/,
      },
      {
        what: "a switch given as text",
        values: { ...prod, database: { enabled: "yes" } },
        key: "platform:database.enabled",
        says: /"yes" is not a boolean; expected true or false/,
      },
      {
        what: "a node type ElastiCache does not have",
        values: { ...prod, cache: { nodeType: "cache.x9.mega" } },
        key: "platform:cache.nodeType",
        says: /"cache.x9.mega" is not an ElastiCache node type; expected one of cache\.t4g\.micro/,
      },
      {
        what: "a Redis version that is not 7",
        values: { ...prod, cache: { engineVersion: "6.2" } },
        key: "platform:cache.engineVersion",
        says: /"6.2" is not a Redis 7 version; expected "7.0" or "7.1"/,
      },
      {
        what: "failover with a single node",
        values: { ...prod, cache: { nodes: 1 } },
        key: "platform:cache.nodes",
        says: /1 is too few for highAvailability; expected at least 2/,
      },
      {
        what: "a slow-log retention CloudWatch does not offer",
        values: { ...prod, cache: { slowLogRetentionDays: 10 } },
        key: "platform:cache.slowLogRetentionDays",
        says: /10 is not a CloudWatch retention; expected one of 1, 3, 5, 7, 14, 30/,
      },
      {
        what: "infrequent access sooner than S3 allows",
        values: {
          ...prod,
          objectStore: { buckets: { uploads: { infrequentAccessAfterDays: 10 } } },
        },
        key: "platform:objectStore.buckets.uploads.infrequentAccessAfterDays",
        says: /10 is too early for infrequent access; expected 0 \(never\) or at least 30 days/,
      },
      {
        what: "objects that expire before they move to infrequent access",
        values: { ...prod, objectStore: { buckets: { backups: { expireAfterDays: 20 } } } },
        key: "platform:objectStore.buckets.backups.expireAfterDays",
        says: /20 expires objects before they move to infrequent access \(day 30\)/,
      },
      {
        what: "a bucket role that cannot be part of a bucket name",
        values: { ...prod, objectStore: { buckets: { Media_Files: {} } } },
        key: "platform:objectStore.buckets",
        says: /is not a bucket role; expected 2-20 lowercase letters/,
      },
      {
        what: "replication with no replica region",
        values: { ...prod, aws: { region: "us-east-1" } },
        key: "platform:objectStore.crossRegionReplication",
        says: /needs a second region; set platform:aws.replicaRegion/,
      },
      {
        what: "backup copies with no replica region",
        values: { ...prod, aws: { region: "us-east-1" } },
        key: "platform:backup.crossRegionCopy",
        says: /needs a second region; set platform:aws.replicaRegion/,
      },
      {
        what: "a replica region equal to the primary",
        values: { ...prod, aws: { region: "us-east-1", replicaRegion: "us-east-1" } },
        key: "platform:aws.replicaRegion",
        says: /"us-east-1" is the primary region; expected a different region/,
      },
      {
        what: "an OpenSearch instance type without the .search suffix",
        values: { ...prod, search: { instanceType: "r6g.large" } },
        key: "platform:search.instanceType",
        says: /"r6g.large" is not an OpenSearch instance type; expected e.g. "r6g.large.search"/,
      },
      {
        what: "search nodes that cannot spread evenly over the zones",
        values: { ...prod, search: { enabled: true, instanceCount: 4 } },
        key: "platform:search.instanceCount",
        says: /4 cannot be spread evenly over 3 zones; expected a multiple of 3/,
      },
      {
        what: "a cache of two nodes without HA on gcp, which Memorystore runs as one",
        values: { ...onGcp, cache: { nodes: 2 } },
        key: "platform:cache.nodes",
        says: /^platform:cache\.nodes: is 2; without highAvailability Memorystore runs 1 node \(on target "gcp"\)$/,
      },
      {
        what: "search on gcp, which has no GCP implementation",
        values: { ...onGcp, search: { enabled: true } },
        key: "platform:search.enabled",
        says: /true has no GCP implementation yet; expected false on target "gcp"/,
      },
      {
        what: "a visibility timeout under Pub/Sub's 10-second ack deadline on gcp",
        values: { ...onGcp, queue: { enabled: true, visibilityTimeoutSeconds: 5 } },
        key: "platform:queue.visibilityTimeoutSeconds",
        says: /5 is outside Pub\/Sub's ack deadline; expected seconds from 10 to 600 on target "gcp"/,
      },
      {
        what: "fewer receives than Pub/Sub's 5 delivery attempts on gcp",
        values: { ...onGcp, queue: { enabled: true, maxReceiveCount: 3 } },
        key: "platform:queue.maxReceiveCount",
        says: /3 is outside Pub\/Sub's delivery attempts before dead lettering; expected 5 to 100/,
      },
      {
        what: "the AWS Backup plan on gcp",
        values: { ...onGcp, backup: { enabled: true } },
        key: "platform:backup.enabled",
        says: /has no GCP implementation yet/,
      },
      {
        what: "a queue retention SQS does not allow",
        values: { ...prod, queue: { messageRetentionDays: 30 } },
        key: "platform:queue.messageRetentionDays",
        says: /30 is too large; expected days from 1 to 14/,
      },
      {
        what: "dead letters kept shorter than messages",
        values: {
          ...prod,
          queue: { enabled: true, messageRetentionDays: 7, deadLetterRetentionDays: 3 },
        },
        key: "platform:queue.deadLetterRetentionDays",
        says: /3 is shorter than messageRetentionDays \(7\)/,
      },
      {
        what: "a backup schedule that is not a cron expression",
        values: {
          ...prod,
          backup: { rules: [{ name: "daily", schedule: "every day", retentionDays: 7 }] },
        },
        key: "platform:backup.rules[0].schedule",
        says: /"every day" is not an AWS cron expression/,
      },
      {
        what: "two backup rules with one name",
        values: {
          ...prod,
          backup: {
            rules: [
              { name: "daily", schedule: "cron(0 2 * * ? *)", retentionDays: 7 },
              { name: "daily", schedule: "cron(0 3 * * ? *)", retentionDays: 7 },
            ],
          },
        },
        key: "platform:backup.rules[1].name",
        says: /"daily" is used by an earlier rule/,
      },
      {
        what: "backups with the database off",
        values: { ...prod, database: { enabled: false } },
        key: "platform:backup.enabled",
        says: /backs up the database, which is off/,
      },
      {
        what: "a misspelt database key",
        values: { ...prod, database: { instanceType: "db.r6g.large" } },
        key: "platform:database.instanceType",
        says: /unknown key; .*allowed here: enabled, engineVersion, instanceClass/,
      },
    ];

  describe("rejects", () => {
    for (const { what, values, key, says } of rejections) {
      it(`${what}, naming ${key}`, () => {
        const found = problems(values);
        const line = found.find((p) => p.startsWith(`${key}:`) || p.startsWith(`${key} `));
        assert.ok(line, `no problem names ${key}; got:\n${found.join("\n")}`);
        assert.match(line, says);
      });
    }

    it("lists every RDS class it accepts in the message", () => {
      const line = problems({ ...prod, database: { instanceClass: "db.x1.huge" } })[0]!;
      for (const c of rdsInstanceClasses) assert.ok(line.includes(c), c);
    });
  });
});
