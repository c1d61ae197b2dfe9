import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { barmanCloudPlugin } from "../../components/database/timescale";
import { unknownValue } from "../../tools/plan/values";
import { barmanCloudPlugin as policyBarmanCloudPlugin } from "../../policies/data-protection/cnpg-cluster-backed-up";
import type { FakeResource } from "../support/policy";
import { repoRoot } from "../support/run";
import { assertFindings, usePack, withField } from "./pack";

const prod = { enforcementLevel: "mandatory", environment: "prod" };

/** Stateful resources as prod builds them: protected, deletion-protected, backed up. */
const rdsInstance: FakeResource = {
  type: "aws:rds/instance:Instance",
  name: "db",
  protect: true,
  props: {
    deletionProtection: true,
    backupRetentionPeriod: 7,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "db-final",
  },
};
/** The analytics replica: RDS takes no backups or final snapshot of it, its source does. */
const readReplica: FakeResource = {
  type: "aws:rds/instance:Instance",
  name: "db-replica",
  protect: true,
  props: { deletionProtection: true, replicateSourceDb: "db", skipFinalSnapshot: true },
};
const rdsCluster: FakeResource = {
  type: "aws:rds/cluster:Cluster",
  name: "aurora",
  protect: true,
  props: {
    deletionProtection: true,
    backupRetentionPeriod: 14,
    finalSnapshotIdentifier: "aurora-final",
  },
};
const replicationGroup: FakeResource = {
  type: "aws:elasticache/replicationGroup:ReplicationGroup",
  name: "cache",
  protect: true,
  props: { snapshotRetentionLimit: 7, finalSnapshotIdentifier: "cache-final" },
};
const domain: FakeResource = {
  type: "aws:opensearch/domain:Domain",
  name: "search",
  protect: true,
  props: {},
};
const cloudSql: FakeResource = {
  type: "gcp:sql/databaseInstance:DatabaseInstance",
  name: "standby-db",
  protect: true,
  props: {
    deletionProtection: true,
    settings: {
      deletionProtectionEnabled: true,
      backupConfiguration: {
        enabled: true,
        backupRetentionSettings: { retainedBackups: 7, retentionUnit: "COUNT" },
      },
    },
  },
};
const memorystore: FakeResource = {
  type: "gcp:redis/instance:Instance",
  name: "standby-cache",
  protect: true,
  props: {},
};
const backupBucket: FakeResource = {
  type: "aws:s3/bucket:Bucket",
  name: "db-backups",
  protect: true,
  props: { bucket: "platform-db-backups" },
};
const assetsBucket: FakeResource = {
  type: "aws:s3/bucket:Bucket",
  name: "assets",
  props: { bucket: "platform-assets" },
};

interface Case {
  readonly it: string;
  readonly resource: FakeResource;
  readonly messages: readonly RegExp[];
}

const cases: Record<string, { passes: FakeResource[]; fails: Case[] }> = {
  "prod-stateful-resources-protected": {
    passes: [
      rdsInstance,
      rdsCluster,
      replicationGroup,
      domain,
      cloudSql,
      memorystore,
      backupBucket,
      assetsBucket,
    ],
    fails: [
      ...[
        rdsInstance,
        rdsCluster,
        replicationGroup,
        domain,
        cloudSql,
        memorystore,
        backupBucket,
      ].map((r) => ({
        it: `fails an unprotected ${r.type}`,
        resource: { ...r, protect: false },
        messages: [
          new RegExp(
            `^${r.name}: the resource is not protected; create it with \\{ protect: true \\}\\.$`,
          ),
        ],
      })),
    ],
  },
  "prod-deletion-protection": {
    passes: [
      rdsInstance,
      rdsCluster,
      cloudSql,
      withField(cloudSql, "props.deletionProtection", undefined),
    ],
    fails: [
      {
        it: "fails an RDS instance without deletion protection",
        resource: withField(rdsInstance, "props.deletionProtection", false),
        messages: [/^db: deletion protection is off; set deletionProtection: true\.$/],
      },
      {
        it: "fails an Aurora cluster that leaves deletion protection unset",
        resource: withField(rdsCluster, "props.deletionProtection", undefined),
        messages: [/^aurora: deletion protection is off/],
      },
      {
        it: "fails a Cloud SQL instance with the provider's guard off",
        resource: withField(cloudSql, "props.deletionProtection", false),
        messages: [
          /^standby-db: the provider's deletion guard is off; set deletionProtection: true\.$/,
        ],
      },
      {
        it: "fails a Cloud SQL instance without the cloud's deletion protection",
        resource: withField(cloudSql, "props.settings.deletionProtectionEnabled", undefined),
        messages: [
          /^standby-db: Cloud SQL deletion protection is off; set settings.deletionProtectionEnabled: true\.$/,
        ],
      },
    ],
  },
  "prod-backup-retention": {
    passes: [rdsInstance, readReplica, rdsCluster, replicationGroup, cloudSql],
    fails: [
      {
        it: "fails an RDS instance keeping 6 days of backups",
        resource: withField(rdsInstance, "props.backupRetentionPeriod", 6),
        messages: [/^db: backups are kept 6 days; set backupRetentionPeriod to at least 7\.$/],
      },
      {
        it: "fails an RDS instance whose replicateSourceDb is empty, as it is no replica",
        resource: withField(readReplica, "props.replicateSourceDb", ""),
        messages: [
          /^db-replica: backups are kept unset days; set backupRetentionPeriod to at least 7\.$/,
        ],
      },
      {
        it: "fails an Aurora cluster with the default retention",
        resource: withField(rdsCluster, "props.backupRetentionPeriod", undefined),
        messages: [
          /^aurora: backups are kept unset days; set backupRetentionPeriod to at least 7\.$/,
        ],
      },
      {
        it: "fails a replication group without snapshots",
        resource: withField(replicationGroup, "props.snapshotRetentionLimit", 0),
        messages: [/^cache: backups are kept 0 days; set snapshotRetentionLimit to at least 7\.$/],
      },
      {
        it: "fails a Cloud SQL instance with backups off",
        resource: withField(cloudSql, "props.settings.backupConfiguration.enabled", false),
        messages: [
          /^standby-db: backups are kept 0 days; set settings.backupConfiguration \(enabled: true, backupRetentionSettings.retainedBackups\) to at least 7\.$/,
        ],
      },
      {
        it: "fails a Cloud SQL instance keeping 3 backups",
        resource: withField(
          cloudSql,
          "props.settings.backupConfiguration.backupRetentionSettings.retainedBackups",
          3,
        ),
        messages: [/^standby-db: backups are kept 3 days/],
      },
    ],
  },
  "prod-final-snapshot": {
    passes: [rdsInstance, readReplica, rdsCluster, replicationGroup],
    fails: [
      {
        it: "fails an instance that skips its final snapshot",
        resource: withField(rdsInstance, "props.skipFinalSnapshot", true),
        messages: [/^db: deletion skips the final snapshot; set skipFinalSnapshot: false\.$/],
      },
      {
        it: "fails an RDS instance with no replicateSourceDb that skips its final snapshot",
        resource: withField(readReplica, "props.replicateSourceDb", undefined),
        messages: [
          /^db-replica: deletion skips the final snapshot; set skipFinalSnapshot: false\.$/,
          /^db-replica: no finalSnapshotIdentifier; name the snapshot taken on deletion\.$/,
        ],
      },
      {
        it: "fails a cluster without a final snapshot name",
        resource: withField(rdsCluster, "props.finalSnapshotIdentifier", undefined),
        messages: [/^aurora: no finalSnapshotIdentifier; name the snapshot taken on deletion\.$/],
      },
      {
        it: "fails a replication group with an empty final snapshot name",
        resource: withField(replicationGroup, "props.finalSnapshotIdentifier", ""),
        messages: [/^cache: no finalSnapshotIdentifier/],
      },
    ],
  },
};

describe("Data protection policies in prod, through the analyzer protocol", function () {
  const pack = usePack(Object.fromEntries(Object.keys(cases).map((p) => [p, prod])));

  for (const [policy, { passes, fails }] of Object.entries(cases)) {
    describe(policy, () => {
      it("passes stateful resources built the prod way", async () => {
        for (const resource of passes)
          assert.deepEqual(await pack.analyze(resource, policy), [], resource.name);
      });
      for (const c of fails) {
        it(c.it, async () =>
          assertFindings(await pack.analyze(c.resource, policy), policy, c.messages),
        );
      }
    });
  }

  describe("configuration", () => {
    afterEach(async () => pack.configure());

    for (const [policy, { fails }] of Object.entries(cases)) {
      it(`${policy} stays silent when the stack is not configured as prod`, async () => {
        await pack.configure({ [policy]: { enforcementLevel: "mandatory" } });
        for (const c of fails) assert.deepEqual(await pack.analyze(c.resource, policy), []);
      });
    }

    it("raises the retention minimum from config", async () => {
      const policy = "prod-backup-retention";
      await pack.configure({ [policy]: { ...prod, minimumRetentionDays: 30 } });
      assertFindings(await pack.analyze(rdsInstance, policy), policy, [
        /^db: backups are kept 7 days; set backupRetentionPeriod to at least 30\.$/,
      ]);
    });

    it("treats buckets matching the configured pattern as backup buckets", async () => {
      const policy = "prod-stateful-resources-protected";
      await pack.configure({ [policy]: { ...prod, backupBucketPattern: "assets" } });
      assertFindings(await pack.analyze(assetsBucket, policy), policy, [
        /^assets: the resource is not protected/,
      ]);
    });

    it("reports at the level the stack's policy config sets", async () => {
      const policy = "prod-final-snapshot";
      await pack.configure({ [policy]: { ...prod, enforcementLevel: "advisory" } });
      const found = await pack.analyze(
        withField(rdsInstance, "props.skipFinalSnapshot", true),
        policy,
      );
      assertFindings(found, policy, [/skips the final snapshot/], "advisory");
    });
  });
});

/** The timescaledb engine's Cluster: WAL archived by the barman-cloud plugin. */
const cnpgCluster: FakeResource = {
  type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
  name: "database-cluster",
  protect: true,
  props: {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "platform-prod", namespace: "production-database" },
    spec: {
      instances: 3,
      plugins: [
        {
          name: barmanCloudPlugin,
          isWALArchiver: true,
          parameters: { barmanObjectName: "platform-prod-backups" },
        },
      ],
    },
  },
};
/** The ObjectStore the plugin archives to, as the engine builds it. */
const cnpgObjectStore: FakeResource = {
  type: "kubernetes:barmancloud.cnpg.io/v1:ObjectStore",
  name: "database-object-store",
  protect: true,
  props: {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name: "platform-prod-backups", namespace: "production-database" },
    spec: {
      retentionPolicy: "7d",
      configuration: {
        destinationPath: "s3://platform-prod-backups/postgres",
        s3Credentials: { inheritFromIAMRole: true },
      },
    },
  },
};
/** Its daily base backup through the plugin. */
const cnpgDailyBackup: FakeResource = {
  type: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
  name: "database-daily-backup",
  protect: true,
  props: {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name: "platform-prod-daily", namespace: "production-database" },
    spec: {
      schedule: "0 0 3 * * *",
      cluster: { name: "platform-prod" },
      method: "plugin",
      pluginConfiguration: { name: barmanCloudPlugin },
    },
  },
};
/** A Cluster on the in-tree object store, backed up by the default method. */
const inTreeCluster = withField(
  withField(cnpgCluster, "props.spec.plugins", undefined),
  "props.spec.backup",
  { barmanObjectStore: { destinationPath: "s3://platform-backups/database" } },
);
const inTreeBackup = withField(
  withField(cnpgDailyBackup, "props.spec.method", undefined),
  "props.spec.pluginConfiguration",
  undefined,
);

interface StackCase {
  readonly it: string;
  readonly stack: FakeResource[];
  readonly messages: readonly RegExp[];
}

const noWal =
  /^Cluster production-database\/platform-prod does not archive its WAL; add a plugin with isWALArchiver: true \(barman-cloud\.cloudnative-pg\.io\) or spec\.backup\.barmanObjectStore\.$/;
const noObjectName =
  /^Cluster production-database\/platform-prod archives its WAL through barman-cloud\.cloudnative-pg\.io without an ObjectStore; set the plugin's parameters\.barmanObjectName\.$/;
const missingObjectStore =
  /^Cluster production-database\/platform-prod archives its WAL to ObjectStore "platform-prod-backups", which the stack does not define with a spec\.configuration\.destinationPath in namespace production-database; add it\.$/;
const noSchedule =
  /^Cluster production-database\/platform-prod takes no scheduled backups; add a ScheduledBackup with spec\.cluster\.name "platform-prod" that is not suspended\.$/;
const unservedMethod =
  /^Cluster production-database\/platform-prod cannot run its ScheduledBackups' method; name one of its plugins in pluginConfiguration\.name \(method plugin\), or configure the Cluster's spec\.backup for the method\.$/;

const cnpgCases: { passes: FakeResource[][]; fails: StackCase[] } = {
  passes: [
    [cnpgCluster, cnpgObjectStore, cnpgDailyBackup],
    [inTreeCluster, inTreeBackup],
    [
      withField(cnpgCluster, "props.spec.plugins.0.enabled", true),
      cnpgObjectStore,
      cnpgDailyBackup,
    ],
    // The ObjectStore without a namespace, created where its provider is set to: the Cluster's.
    [
      cnpgCluster,
      {
        ...withField(cnpgObjectStore, "props.metadata.namespace", undefined),
        providerInputs: { namespace: "production-database" },
      },
      cnpgDailyBackup,
    ],
    // Whole blocks a first preview cannot know yet.
    [
      cnpgCluster,
      withField(cnpgObjectStore, "props.spec.configuration", unknownValue),
      cnpgDailyBackup,
    ],
    [withField(cnpgCluster, "props.spec.plugins.0.parameters", unknownValue), cnpgDailyBackup],
    [
      cnpgCluster,
      withField(cnpgObjectStore, "props.metadata.namespace", unknownValue),
      cnpgDailyBackup,
    ],
  ],
  fails: [
    {
      it: "fails a Cluster whose plugin is not its WAL archiver",
      stack: [
        withField(cnpgCluster, "props.spec.plugins.0.isWALArchiver", false),
        cnpgObjectStore,
        cnpgDailyBackup,
      ],
      messages: [noWal],
    },
    {
      it: "fails a Cluster whose WAL-archiving plugin is disabled, which no backup can use either",
      stack: [
        withField(cnpgCluster, "props.spec.plugins.0.enabled", false),
        cnpgObjectStore,
        cnpgDailyBackup,
      ],
      messages: [noWal, unservedMethod],
    },
    {
      it: "fails an in-tree object store without a destination path",
      stack: [
        withField(inTreeCluster, "props.spec.backup.barmanObjectStore.destinationPath", ""),
        inTreeBackup,
      ],
      messages: [noWal, unservedMethod],
    },
    {
      it: "fails a Cluster whose barman-cloud archiver names no ObjectStore, which the plugin skips",
      stack: [
        withField(cnpgCluster, "props.spec.plugins.0.parameters", undefined),
        cnpgObjectStore,
        cnpgDailyBackup,
      ],
      messages: [noObjectName],
    },
    {
      it: "fails a Cluster whose barman-cloud archiver names an ObjectStore the stack does not define",
      stack: [cnpgCluster, cnpgDailyBackup],
      messages: [missingObjectStore],
    },
    {
      it: "fails an ObjectStore without a destination path",
      stack: [
        cnpgCluster,
        withField(cnpgObjectStore, "props.spec.configuration.destinationPath", ""),
        cnpgDailyBackup,
      ],
      messages: [missingObjectStore],
    },
    {
      it: "fails an ObjectStore without a namespace whose provider puts it in another one",
      stack: [
        cnpgCluster,
        {
          ...withField(cnpgObjectStore, "props.metadata.namespace", undefined),
          providerInputs: { namespace: "production" },
        },
        cnpgDailyBackup,
      ],
      messages: [missingObjectStore],
    },
    {
      it: "fails a Cluster whose ObjectStore lives in another namespace",
      stack: [
        cnpgCluster,
        withField(cnpgObjectStore, "props.metadata.namespace", "production"),
        cnpgDailyBackup,
      ],
      messages: [missingObjectStore],
    },
    {
      it: "fails a Cluster with no ScheduledBackup",
      stack: [cnpgCluster, cnpgObjectStore],
      messages: [noSchedule],
    },
    {
      it: "fails a Cluster whose only ScheduledBackup is suspended",
      stack: [cnpgCluster, cnpgObjectStore, withField(cnpgDailyBackup, "props.spec.suspend", true)],
      messages: [noSchedule],
    },
    {
      it: "fails a Cluster whose ScheduledBackup names another Cluster",
      stack: [
        cnpgCluster,
        cnpgObjectStore,
        withField(cnpgDailyBackup, "props.spec.cluster.name", "other"),
      ],
      messages: [noSchedule],
    },
    {
      it: "fails a Cluster whose ScheduledBackup lives in another namespace",
      stack: [
        cnpgCluster,
        cnpgObjectStore,
        withField(cnpgDailyBackup, "props.metadata.namespace", "production"),
      ],
      messages: [noSchedule],
    },
    {
      it: "fails a ScheduledBackup through a plugin the Cluster does not run",
      stack: [
        cnpgCluster,
        cnpgObjectStore,
        withField(cnpgDailyBackup, "props.spec.pluginConfiguration.name", "pgbackrest.dalibo.com"),
      ],
      messages: [unservedMethod],
    },
    {
      it: "fails a ScheduledBackup on the default method for a Cluster with only the plugin",
      stack: [
        cnpgCluster,
        cnpgObjectStore,
        withField(cnpgDailyBackup, "props.spec.method", undefined),
      ],
      messages: [unservedMethod],
    },
  ],
};

describe("cnpg-cluster-backed-up, through the analyzer protocol", function () {
  const policy = "cnpg-cluster-backed-up";
  const pack = usePack({ [policy]: "mandatory" });

  describe("as prod's policy config makes it: mandatory", () => {
    it("passes Clusters that archive their WAL and take scheduled backups", async () => {
      for (const stack of cnpgCases.passes)
        assert.deepEqual(await pack.analyzeStack(stack, policy), [], stack[0]!.name);
    });
    for (const c of cnpgCases.fails) {
      it(c.it, async () =>
        assertFindings(await pack.analyzeStack(c.stack, policy), policy, c.messages),
      );
    }
  });

  describe("without a level in the stack's policy config", () => {
    afterEach(async () => pack.configure());

    it("reports a Cluster without backups as advisory", async () => {
      await pack.configure({ [policy]: {} });
      assertFindings(
        await pack.analyzeStack([cnpgCluster, cnpgObjectStore], policy),
        policy,
        [noSchedule],
        "advisory",
      );
    });
  });
});

describe("cnpg-cluster-backed-up and the timescaledb engine", () => {
  it("know the Barman Cloud plugin by the same name", () => {
    assert.equal(policyBarmanCloudPlugin, barmanCloudPlugin);
  });
});

describe("cnpg-cluster-backed-up in the stacks' policy configs", () => {
  const levelIn = (file: string): unknown =>
    (JSON.parse(fs.readFileSync(path.join(repoRoot, file), "utf8")) as Record<string, unknown>)[
      "cnpg-cluster-backed-up"
    ];

  it("is mandatory in prod and in the prod stack of the example with a timescaledb Cluster", () => {
    assert.equal(levelIn("Pulumi.prod.policy.json"), "mandatory");
    assert.equal(levelIn("examples/corporate-intel/Pulumi.prod.policy.json"), "mandatory");
  });

  it("is advisory in staging and dev, whose configs make every other policy mandatory", () => {
    assert.equal(levelIn("Pulumi.staging.policy.json"), "advisory");
    assert.equal(levelIn("Pulumi.dev.policy.json"), "advisory");
  });
});
