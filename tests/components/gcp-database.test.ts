import { strict as assert } from "node:assert";
import {
  backupStartTime,
  cloudSqlMaintenanceWindow,
  cloudSqlTier,
  createGcpDatabase,
  customTierProblems,
  rdsClassToCloudSqlTier,
  retainedBackups,
  transactionLogDays,
  type GcpDatabaseArgs,
} from "../../components/database/gcp";
import {
  Database,
  databaseArgProblems,
  type DatabaseArgs,
  type DatabaseOutputs,
} from "../../components/database";
import { ComponentError } from "../../components/errors";
import type { Tier } from "../../config/tiers";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { carriers, plainTextLeaks, testParent } from "./gcp-support";

const networkId = "projects/platform-prod-standby/global/networks/std-vpc";

/** Per-tier settings as the stacks pass them (seed 000 sizes prod; seed 001/003 keep 7 days). */
const settings: Record<Tier, Omit<DatabaseArgs, "tier" | "placement" | "tags">> = {
  prod: {
    engineVersion: "15",
    instanceClass: "db.r6g.xlarge",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 1000,
    highAvailability: true,
    backupRetentionDays: 7,
    logRetentionDays: 30,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    deletionProtection: true,
    readReplica: true,
    readReplicaInstanceClass: "db.r6g.large",
    extensions: ["vector", "pg_stat_statements"],
    databaseName: "app",
    username: "app",
  },
  staging: {
    engineVersion: "15",
    instanceClass: "db.r6g.large",
    allocatedStorageGb: 50,
    maxAllocatedStorageGb: 200,
    highAvailability: false,
    backupRetentionDays: 7,
    logRetentionDays: 30,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    deletionProtection: false,
    readReplica: false,
    readReplicaInstanceClass: "db.r6g.large",
    extensions: [],
    databaseName: "app",
    username: "app",
  },
  dev: {
    engineVersion: "15",
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 50,
    highAvailability: false,
    backupRetentionDays: 1,
    logRetentionDays: 30,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    deletionProtection: false,
    readReplica: false,
    readReplicaInstanceClass: "db.r6g.large",
    extensions: [],
    databaseName: "app",
    username: "app",
  },
};

function args(tier: Tier, overrides: Partial<GcpDatabaseArgs> = {}): GcpDatabaseArgs {
  return {
    ...settings[tier],
    tier,
    placement: { target: "gcp", networkId },
    tags: { tier, "managed-by": "pulumi" },
    ...overrides,
  };
}

async function build(a: GcpDatabaseArgs): Promise<{ recorded: Recorded; built: DatabaseOutputs }> {
  const recorded = useMocks();
  const built = createGcpDatabase("db", a, testParent());
  await settle();
  return { recorded, built };
}

const instanceType = "gcp:sql/databaseInstance:DatabaseInstance";
type Settings = Record<string, Record<string, unknown>> & Record<string, unknown>;

describe("Database on gcp in prod", () => {
  let recorded: Recorded;
  let built: DatabaseOutputs;
  let instance: Record<string, unknown>;
  let s: Settings;

  before(async () => {
    ({ recorded, built } = await build(args("prod")));
    instance = recorded.inputs(recorded.one(instanceType, "db-postgres"));
    s = instance.settings as Settings;
  });

  it("names the primary and its replica by Cloud Monitoring's database_id, project:instance", async () => {
    const id = (n: string) => {
      const o = recorded.one(instanceType, n).outputs;
      return `${String(o.project)}:${String(o.name)}`;
    };
    assert.equal((await resolve(built.instanceId)).value, id("db-postgres"));
    assert.match(id("db-postgres"), /^mock-project:db-postgres-[0-9a-f]{7}$/);
    const replicas = await Promise.all(
      built.replicaInstanceIds.map(async (r) => (await resolve(r)).value),
    );
    assert.deepEqual(replicas, [id("db-replica")]);
  });

  it("runs PostgreSQL 15 on the tier mapped from db.r6g.xlarge", () => {
    assert.equal(instance.databaseVersion, "POSTGRES_15");
    assert.equal(s.tier, "db-custom-6-32768");
    assert.equal(s.edition, "ENTERPRISE");
  });

  it("has a private IP on the VPC only and accepts only TLS connections", () => {
    assert.deepEqual(s.ipConfiguration, {
      ipv4Enabled: false,
      privateNetwork: networkId,
      sslMode: "ENCRYPTED_ONLY",
      enablePrivatePathForGoogleCloudServices: true,
    });
  });

  it("is regional: a standby in a second zone takes over automatically", () => {
    assert.equal(s.availabilityType, "REGIONAL");
  });

  it("keeps point-in-time recovery over 7 days of WAL (seed 001) and 8 daily backups, more than the log days as Cloud SQL requires", () => {
    assert.deepEqual(s.backupConfiguration, {
      enabled: true,
      startTime: "03:00",
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 7,
      backupRetentionSettings: { retainedBackups: 8, retentionUnit: "COUNT" },
    });
  });

  it("is maintained on Sundays at 04:00 UTC on the stable track", () => {
    assert.deepEqual(s.maintenanceWindow, { day: 7, hour: 4, updateTrack: "stable" });
  });

  it("grows storage on SSD from 100 GiB up to 1000 GiB (seed 000)", () => {
    assert.equal(s.diskType, "PD_SSD");
    assert.equal(s.diskSize, 100);
    assert.equal(s.diskAutoresize, true);
    assert.equal(s.diskAutoresizeLimit, 1000);
  });

  it("logs slow statements over 1 s, lock waits and connections", () => {
    assert.deepEqual(s.databaseFlags, [
      { name: "log_checkpoints", value: "on" },
      { name: "log_connections", value: "on" },
      { name: "log_disconnections", value: "on" },
      { name: "log_lock_waits", value: "on" },
      { name: "log_min_duration_statement", value: "1000" },
      { name: "log_temp_files", value: "0" },
    ]);
  });

  it("refuses deletion twice: Cloud SQL's own protections and protect", () => {
    assert.equal(instance.deletionProtection, true);
    assert.equal(s.deletionProtectionEnabled, true);
    assert.equal(recorded.one(instanceType, "db-postgres").protect, true);
    assert.equal(recorded.one("gcp:sql/database:Database").protect, true);
  });

  it("adds a private, TLS-only read replica of the primary", async () => {
    const replica = recorded.inputs(recorded.one(instanceType, "db-replica"));
    assert.equal(
      replica.masterInstanceName,
      recorded.one(instanceType, "db-postgres").outputs.name,
    );
    assert.deepEqual((replica.settings as Settings).ipConfiguration, s.ipConfiguration);
    assert.equal(replica.deletionProtection, true);
    assert.equal(recorded.one(instanceType, "db-replica").protect, true);
    assert.ok(built.readerHost);
    assert.equal(
      (await resolve(built.readerHost)).value,
      recorded.one(instanceType, "db-replica").outputs.privateIpAddress,
    );
  });

  it("labels the instance with the stack's tags", () => {
    assert.deepEqual(s.userLabels, { tier: "prod", "managed-by": "pulumi" });
  });

  it("creates the application database and its user", () => {
    const database = recorded.inputs(recorded.one("gcp:sql/database:Database", "db-db"));
    assert.equal(database.name, "app");
    const user = recorded.inputs(recorded.one("gcp:sql/user:User", "db-user"));
    assert.equal(user.name, "app");
  });

  it("generates a 32-character password and keeps it secret everywhere", async () => {
    const password = await resolve(built.password);
    assert.equal(password.secret, true);
    assert.equal(password.value.length, 32);
    assert.equal(recorded.inputs(recorded.one("gcp:sql/user:User")).password, password.value);
    assert.deepEqual(carriers(recorded, password.value).sort(), [
      "gcp:sql/user:User/db-user",
      "random:index/randomPassword:RandomPassword/db-password",
    ]);
    assert.deepEqual(plainTextLeaks(recorded, password.value), []);
  });

  it("gives a secret connection string that requires TLS", async () => {
    const password = (await resolve(built.password)).value;
    const host = recorded.one(instanceType, "db-postgres").outputs.privateIpAddress;
    const conn = await resolve(built.connectionString);
    assert.equal(conn.secret, true);
    assert.equal(
      conn.value,
      `postgresql://app:${password}@${String(host)}:5432/app?sslmode=require`,
    );
    assert.equal((await resolve(built.port)).value, 5432);
  });
});

describe("Database on gcp in staging", () => {
  it("is zonal, keeps 8 backups over 7 days of point-in-time recovery, and can be deleted", async () => {
    const { recorded } = await build(args("staging"));
    const r = recorded.one(instanceType);
    const s = recorded.inputs(r).settings as Settings;
    assert.equal(s.tier, "db-custom-4-16384");
    assert.equal(s.availabilityType, "ZONAL");
    assert.equal(s.backupConfiguration.pointInTimeRecoveryEnabled, true);
    assert.deepEqual(s.backupConfiguration.backupRetentionSettings, {
      retainedBackups: 8,
      retentionUnit: "COUNT",
    });
    assert.equal((s.ipConfiguration as Record<string, unknown>).ipv4Enabled, false);
    assert.equal((s.ipConfiguration as Record<string, unknown>).sslMode, "ENCRYPTED_ONLY");
    assert.equal(recorded.inputs(r).deletionProtection, false);
    assert.equal(s.deletionProtectionEnabled, false);
    assert.equal(r.protect, false);
    assert.equal(recorded.ofType(instanceType).length, 1);
  });
});

describe("Database on gcp in dev", () => {
  it("keeps 1 day of WAL and 2 backups, one more than the log days, still private and TLS-only", async () => {
    const { recorded } = await build(args("dev"));
    const s = recorded.inputs(recorded.one(instanceType)).settings as Settings;
    assert.equal(s.tier, "db-custom-2-4096");
    assert.equal(s.backupConfiguration.transactionLogRetentionDays, 1);
    assert.deepEqual(s.backupConfiguration.backupRetentionSettings, {
      retainedBackups: 2,
      retentionUnit: "COUNT",
    });
    assert.equal((s.ipConfiguration as Record<string, unknown>).ipv4Enabled, false);
  });
});

describe("Database on gcp as the replica of an external primary", () => {
  it("starts without the application database, which the replication brings", async () => {
    const { recorded } = await build({ ...args("prod"), externalReplica: true });
    assert.deepEqual(recorded.ofType("gcp:sql/database:Database"), []);
    assert.equal(recorded.ofType(instanceType).length, 2);
    recorded.one("gcp:sql/user:User", "db-user");
  });

  it("ignores what the demotion into a replica and the promotion change, so neither replaces it", async () => {
    const { recorded } = await build({ ...args("prod"), externalReplica: true });
    const instance = recorded.one(instanceType, "db-postgres");
    assert.deepEqual(instance.ignoreChanges, [
      "masterInstanceName",
      "replicaConfiguration",
      "instanceType",
    ]);
    assert.equal(instance.protect, true);
    const own = await build(args("prod"));
    assert.deepEqual(own.recorded.one(instanceType, "db-postgres").ignoreChanges, []);
  });
});

describe("Database settings for Cloud SQL", () => {
  it("maps every RDS class to a custom tier Cloud SQL accepts", () => {
    for (const [rds, tier] of Object.entries(rdsClassToCloudSqlTier)) {
      assert.deepEqual(customTierProblems(tier), [], `${rds} -> ${tier}`);
    }
  });

  const tiers: [string, string][] = [
    ["db.r6g.xlarge", "db-custom-6-32768"],
    ["db.r6g.large", "db-custom-4-16384"],
    ["db.t4g.medium", "db-custom-2-4096"],
    ["db-custom-4-16384", "db-custom-4-16384"],
    ["db-perf-optimized-N-4", "db-perf-optimized-N-4"],
  ];
  for (const [given, expected] of tiers) {
    it(`takes ${given} as ${expected}`, () => assert.equal(cloudSqlTier(given), expected));
  }

  const badTiers: [string, RegExp][] = [
    ["db-custom-4-32768", /at most 6.5 GiB per vCPU/],
    ["db-custom-3-8192", /3 vCPUs: expected 1 or an even number/],
    ["db-custom-2-4000", /4000 MiB: expected a multiple of 256/],
    ["db.x2g.large", /has no Cloud SQL tier; use a Cloud SQL tier/],
  ];
  for (const [given, message] of badTiers) {
    it(`refuses ${given}`, () => assert.throws(() => cloudSqlTier(given), message));
  }

  it("reads the windows as Cloud SQL wants them", () => {
    assert.deepEqual(cloudSqlMaintenanceWindow("mon:22:30-mon:23:30"), { day: 1, hour: 22 });
    assert.equal(backupStartTime("02:00-03:00"), "02:00");
    assert.throws(() => cloudSqlMaintenanceWindow("sunday 4am"), /is not "ddd:hh:mm-ddd:hh:mm"/);
    assert.throws(() => backupStartTime("3am"), /is not "hh:mm-hh:mm" UTC/);
  });

  it("keeps WAL for the backup retention, within Cloud SQL's 1 to 7 days", () => {
    assert.deepEqual([1, 3, 7, 30].map(transactionLogDays), [1, 3, 7, 7]);
  });

  it("always keeps more backups than days of transaction logs, which the Admin API refuses otherwise", () => {
    assert.deepEqual([1, 2, 6, 7, 8, 30].map(retainedBackups), [2, 3, 7, 8, 8, 30]);
    for (const days of [1, 2, 6, 7, 8, 30, 35]) {
      assert.ok(retainedBackups(days) > transactionLogDays(days), `${days} days`);
    }
  });

  it("refuses every bad setting at once, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        createGcpDatabase(
          "bad",
          args("prod", {
            engineVersion: "12",
            instanceClass: "db.x2g.large",
            extensions: ["timescaledb"],
            backupRetentionDays: 0,
          }),
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "Database",
        resourceName: "bad",
        problems: [
          'engineVersion "12" is not offered; expected one of 14, 15, 16',
          'instanceClass "db.x2g.large" has no Cloud SQL tier; use a Cloud SQL tier (db-custom-<vCPUs>-<MiB>) or one of db.t4g.micro, db.t4g.small, db.t4g.medium, db.t4g.large, db.m6g.large, db.m6g.xlarge, db.r6g.large, db.r6g.xlarge, db.r6g.2xlarge',
          "backupRetentionDays is 0; expected at least 1",
          "extensions timescaledb are not available on Cloud SQL; supported: vector, pg_trgm, pgcrypto, uuid-ossp, pg_stat_statements, postgis, hstore, citext, btree_gin, btree_gist",
        ],
      },
    );
    assert.equal(recorded.ofType(instanceType).length, 0);
  });

  it("applies Cloud SQL's rules to a gcp placement only", () => {
    const onGcp = args("prod", { engineVersion: "17" });
    const local: DatabaseArgs = { ...onGcp, placement: { target: "local", namespace: "data" } };
    assert.deepEqual(databaseArgProblems(onGcp), [
      'engineVersion "17" is not offered; expected one of 14, 15, 16',
    ]);
    assert.deepEqual(databaseArgProblems(local), [
      'engineVersion "17" has no pinned local PostgreSQL image; expected one of 15, 16',
    ]);
  });

  it("is refused by the Database component with its one error, before anything is registered", () => {
    const recorded = useMocks();
    assert.throws(
      () => new Database("standby-db", args("prod", { backupWindow: "3am" })),
      (e: unknown) =>
        e instanceof ComponentError &&
        e.message ===
          'Database standby-db: invalid args:\n  - backupWindow "3am" is not "hh:mm-hh:mm" UTC (e.g. 03:00-04:00)',
    );
    assert.equal(recorded.all.length, 0);
  });
});
