import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseArgs, DatabaseOutputs } from "./index";
import { collectProblems, ComponentError } from "../errors";
import { gcpLabels } from "../gcp/labels";
import type { GcpPlacement } from "../placement";

/** Database args placed on GCP. */
export type GcpDatabaseArgs = DatabaseArgs & { readonly placement: GcpPlacement };

/** PostgreSQL major versions Cloud SQL offers that the platform accepts. */
export const cloudSqlPostgresVersions = ["14", "15", "16"] as const;

/**
 * Cloud SQL machine tiers for the RDS classes used in the defaults. Cloud SQL custom machines
 * allow at most 6.5 GiB per vCPU, so the memory-optimised r6g classes (8 GiB per vCPU) keep
 * their memory and get more vCPUs rather than less memory: the buffer cache is what they buy.
 */
export const rdsClassToCloudSqlTier: Readonly<Record<string, string>> = {
  "db.t4g.micro": "db-custom-1-3840",
  "db.t4g.small": "db-custom-1-3840",
  "db.t4g.medium": "db-custom-2-4096",
  "db.t4g.large": "db-custom-2-8192",
  "db.m6g.large": "db-custom-2-8192",
  "db.m6g.xlarge": "db-custom-4-16384",
  "db.r6g.large": "db-custom-4-16384",
  "db.r6g.xlarge": "db-custom-6-32768",
  "db.r6g.2xlarge": "db-custom-10-65536",
};

/** Problems with a Cloud SQL custom tier `db-custom-<vCPUs>-<MiB>`, or [] when it is valid. */
export function customTierProblems(tier: string): string[] {
  const m = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!m) return [`"${tier}" is not a Cloud SQL custom tier db-custom-<vCPUs>-<MiB>`];
  const cpus = Number(m[1]);
  const mib = Number(m[2]);
  const problems: string[] = [];
  if (!(cpus === 1 || (cpus % 2 === 0 && cpus >= 2 && cpus <= 96))) {
    problems.push(`${cpus} vCPUs: expected 1 or an even number from 2 to 96`);
  }
  if (mib % 256 !== 0) problems.push(`${mib} MiB: expected a multiple of 256`);
  if (mib < 3840) problems.push(`${mib} MiB: expected at least 3840`);
  if (mib > cpus * 6.5 * 1024) problems.push(`${mib} MiB: at most 6.5 GiB per vCPU`);
  if (mib < cpus * 0.9 * 1024) problems.push(`${mib} MiB: at least 0.9 GiB per vCPU`);
  return problems;
}

/**
 * The Cloud SQL tier for an instance class: a Cloud SQL tier is taken as it is (custom tiers
 * are checked against Cloud SQL's shape rules), an RDS class is mapped by the table above.
 */
export function cloudSqlTier(instanceClass: string): string {
  const mapped = rdsClassToCloudSqlTier[instanceClass];
  if (mapped !== undefined) return mapped;
  if (instanceClass.startsWith("db-custom-")) {
    const problems = customTierProblems(instanceClass);
    if (problems.length > 0) {
      throw new ComponentError("cloudSqlTier", JSON.stringify(instanceClass), [
        `instanceClass "${instanceClass}" is invalid: ${problems.join("; ")}`,
      ]);
    }
    return instanceClass;
  }
  if (/^db-(f1-micro|g1-small|perf-optimized-N-\d+)$/.test(instanceClass)) return instanceClass;
  throw new ComponentError("cloudSqlTier", JSON.stringify(instanceClass), [
    `instanceClass "${instanceClass}" has no Cloud SQL tier; use a Cloud SQL tier ` +
      `(db-custom-<vCPUs>-<MiB>) or one of ${Object.keys(rdsClassToCloudSqlTier).join(", ")}`,
  ]);
}

const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** Cloud SQL's maintenance window (day 1 = Monday, whole hour) from "ddd:hh:mm-ddd:hh:mm". */
export function cloudSqlMaintenanceWindow(window: string): { day: number; hour: number } {
  const m = /^([a-z]{3}):(\d{2}):(\d{2})-[a-z]{3}:\d{2}:\d{2}$/.exec(window.toLowerCase());
  const day = m ? days.indexOf(m[1] as (typeof days)[number]) : -1;
  const hour = m ? Number(m[2]) : NaN;
  if (!m || day < 0 || hour > 23) {
    throw new ComponentError("cloudSqlMaintenanceWindow", JSON.stringify(window), [
      `maintenanceWindow "${window}" is not "ddd:hh:mm-ddd:hh:mm" (e.g. sun:04:00-sun:05:00)`,
    ]);
  }
  return { day: day + 1, hour };
}

/** Start of the daily backup, "hh:mm", from "hh:mm-hh:mm". */
export function backupStartTime(window: string): string {
  const m = /^(\d{2}):(\d{2})-\d{2}:\d{2}$/.exec(window);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new ComponentError("backupStartTime", JSON.stringify(window), [
      `backupWindow "${window}" is not "hh:mm-hh:mm" UTC (e.g. 03:00-04:00)`,
    ]);
  }
  return `${m[1]}:${m[2]}`;
}

/**
 * What Database Migration Service changes on an existing instance it demotes into the replica
 * of an external primary, and promotion changes back: a refresh would otherwise show them as
 * drift, and `masterInstanceName` replaces the instance when it changes.
 */
export const demotionFields = ["masterInstanceName", "replicaConfiguration", "instanceType"];

/** Extensions Cloud SQL for PostgreSQL supports among those the seeds ask for. */
export const cloudSqlExtensions = [
  "vector",
  "pg_trgm",
  "pgcrypto",
  "uuid-ossp",
  "pg_stat_statements",
  "postgis",
  "hstore",
  "citext",
  "btree_gin",
  "btree_gist",
] as const;

/** Days of write-ahead log kept for point-in-time recovery; Cloud SQL allows 1 to 7. */
export function transactionLogDays(backupRetentionDays: number): number {
  return Math.min(Math.max(backupRetentionDays, 1), 7);
}

/**
 * Automated backups Cloud SQL keeps for a retention of `backupRetentionDays`: one a day, and
 * always more than the days of transaction logs, which the Admin API enforces ("Invalid
 * request: backup retention should be > transaction log retention", Error 400; reported in
 * terraform-google-modules/terraform-google-sql-db#785). 7 days of PITR thus keep 8 backups,
 * so the oldest point the logs reach still has a backup to replay them from.
 */
export function retainedBackups(backupRetentionDays: number): number {
  return Math.max(backupRetentionDays, transactionLogDays(backupRetentionDays) + 1);
}

/**
 * Server flags: log what an operator needs to find slow queries (over 1 s, seed 003's alert),
 * lock waits and connection churn.
 */
export const cloudSqlFlags = [
  { name: "log_checkpoints", value: "on" },
  { name: "log_connections", value: "on" },
  { name: "log_disconnections", value: "on" },
  { name: "log_lock_waits", value: "on" },
  { name: "log_min_duration_statement", value: "1000" },
  { name: "log_temp_files", value: "0" },
] as const;

/**
 * Cloud Monitoring's name of a Cloud SQL instance: the `database_id` label of the
 * `cloudsql_database` monitored resource, `<project>:<instance name>`.
 */
export function monitoringId(instance: gcp.sql.DatabaseInstance): pulumi.Output<string> {
  return pulumi.interpolate`${instance.project}:${instance.name}`;
}

/** Cloud SQL's rules on the args, one line each; `databaseArgProblems` gathers them. */
export function cloudSqlProblems(args: GcpDatabaseArgs): string[] {
  const problems: string[] = [];
  cloudSqlShape(args, problems);
  return problems;
}

/** The Cloud SQL tier the args ask for; every problem with the args goes to `problems`. */
function cloudSqlShape(args: GcpDatabaseArgs, problems: string[]): string | undefined {
  if (!(cloudSqlPostgresVersions as readonly string[]).includes(args.engineVersion)) {
    problems.push(
      `engineVersion "${args.engineVersion}" is not offered; expected one of ${cloudSqlPostgresVersions.join(", ")}`,
    );
  }
  const tier = collectProblems(() => cloudSqlTier(args.instanceClass), problems);
  collectProblems(() => cloudSqlMaintenanceWindow(args.maintenanceWindow), problems);
  collectProblems(() => backupStartTime(args.backupWindow), problems);
  if (!Number.isInteger(args.backupRetentionDays) || args.backupRetentionDays < 1) {
    problems.push(`backupRetentionDays is ${args.backupRetentionDays}; expected at least 1`);
  }
  if (args.maxAllocatedStorageGb < args.allocatedStorageGb) {
    problems.push(
      `maxAllocatedStorageGb ${args.maxAllocatedStorageGb} is below allocatedStorageGb ${args.allocatedStorageGb}`,
    );
  }
  const unsupported = args.extensions.filter(
    (e) => !(cloudSqlExtensions as readonly string[]).includes(e),
  );
  if (unsupported.length > 0) {
    problems.push(
      `extensions ${unsupported.join(", ")} are not available on Cloud SQL; supported: ${cloudSqlExtensions.join(", ")}`,
    );
  }
  return tier;
}

/**
 * Cloud SQL for PostgreSQL on a private IP only: TLS required, daily backups kept the
 * configured days with point-in-time recovery, regional (two-zone) HA when asked, deletion
 * protection (and `protect`) when asked, and an optional read replica.
 */
export function createGcpDatabase(
  name: string,
  args: GcpDatabaseArgs,
  parent: pulumi.Resource,
): DatabaseOutputs {
  const problems: string[] = [];
  const tier = cloudSqlShape(args, problems);
  if (tier === undefined || problems.length > 0) {
    throw new ComponentError("Database", name, problems);
  }
  const networkId = args.placement.networkId;
  const labels = gcpLabels(args.tags);
  const window = cloudSqlMaintenanceWindow(args.maintenanceWindow);
  const stateful = { parent, protect: args.deletionProtection };

  const ipConfiguration = {
    ipv4Enabled: false,
    privateNetwork: networkId,
    sslMode: "ENCRYPTED_ONLY",
    enablePrivatePathForGoogleCloudServices: true,
  };
  const storage = {
    diskType: "PD_SSD",
    diskSize: args.allocatedStorageGb,
    diskAutoresize: true,
    diskAutoresizeLimit: args.maxAllocatedStorageGb,
  };

  const instance = new gcp.sql.DatabaseInstance(
    `${name}-postgres`,
    {
      databaseVersion: `POSTGRES_${args.engineVersion}`,
      deletionProtection: args.deletionProtection,
      settings: {
        tier,
        edition: "ENTERPRISE",
        availabilityType: args.highAvailability ? "REGIONAL" : "ZONAL",
        ...storage,
        deletionProtectionEnabled: args.deletionProtection,
        ipConfiguration,
        backupConfiguration: {
          enabled: true,
          startTime: backupStartTime(args.backupWindow),
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: transactionLogDays(args.backupRetentionDays),
          backupRetentionSettings: {
            retainedBackups: retainedBackups(args.backupRetentionDays),
            retentionUnit: "COUNT",
          },
        },
        maintenanceWindow: { ...window, updateTrack: "stable" },
        databaseFlags: cloudSqlFlags.map((f) => ({ ...f })),
        insightsConfig: { queryInsightsEnabled: true, recordApplicationTags: true },
        userLabels: labels,
      },
    },
    args.externalReplica === true ? { ...stateful, ignoreChanges: demotionFields } : stateful,
  );

  // A replica of an external primary starts empty: the replication brings the database.
  if (args.externalReplica !== true) {
    new gcp.sql.Database(
      `${name}-db`,
      { instance: instance.name, name: args.databaseName },
      stateful,
    );
  }

  const password = new random.RandomPassword(
    `${name}-password`,
    { length: 32, special: false },
    { parent, additionalSecretOutputs: ["result"] },
  );
  const secretPassword = pulumi.secret(password.result);
  new gcp.sql.User(
    `${name}-user`,
    { instance: instance.name, name: args.username, password: secretPassword },
    { parent },
  );

  const host = instance.privateIpAddress;
  const port = pulumi.output(5432);
  const connectionString = pulumi.secret(
    pulumi.interpolate`postgresql://${args.username}:${secretPassword}@${host}:5432/${args.databaseName}?sslmode=require`,
  );

  let readerHost: pulumi.Output<string> | undefined;
  const replicaIds: pulumi.Output<string>[] = [];
  if (args.readReplica) {
    const replica = new gcp.sql.DatabaseInstance(
      `${name}-replica`,
      {
        databaseVersion: `POSTGRES_${args.engineVersion}`,
        masterInstanceName: instance.name,
        replicaConfiguration: { failoverTarget: false },
        deletionProtection: args.deletionProtection,
        settings: {
          tier,
          edition: "ENTERPRISE",
          availabilityType: "ZONAL",
          ...storage,
          deletionProtectionEnabled: args.deletionProtection,
          ipConfiguration,
          databaseFlags: cloudSqlFlags.map((f) => ({ ...f })),
          userLabels: labels,
        },
      },
      stateful,
    );
    readerHost = replica.privateIpAddress;
    replicaIds.push(monitoringId(replica));
  }

  return {
    host,
    port,
    databaseName: pulumi.output(args.databaseName),
    username: pulumi.output(args.username),
    password: secretPassword,
    connectionString,
    ...(readerHost ? { readerHost } : {}),
    resourceId: instance.selfLink,
    instanceId: monitoringId(instance),
    replicaInstanceIds: replicaIds,
  };
}
