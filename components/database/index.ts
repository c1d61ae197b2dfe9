import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { unsupportedTarget } from "../unsupported";
import { createAwsDatabase } from "./aws";
import { createGcpDatabase } from "./gcp";
import { createLocalDatabase } from "./local";

/**
 * The Database contract: a PostgreSQL server, whichever target builds it. Settings are
 * target-neutral; each target maps them onto its own service (RDS, Cloud SQL, in-cluster).
 * Per-tier defaults live beside these settings as `databaseDefaults`.
 */
export interface DatabaseSettings {
  /** PostgreSQL major version. @default "15" (seeds 000, 003) */
  readonly engineVersion: string;
  /**
   * Size class on the target (an RDS instance class on AWS).
   * @default "db.r6g.xlarge" in prod (seed 000), "db.r6g.large" in staging, "db.t4g.medium" in dev
   */
  readonly instanceClass: string;
  /** Initial storage, GiB. @default 100 in prod and staging (seed 000), 20 in dev */
  readonly allocatedStorageGb: number;
  /** Ceiling storage autoscaling may grow to, GiB. @default 1000 in prod (seed 000), 500 in staging, 100 in dev */
  readonly maxAllocatedStorageGb: number;
  /** Standby in a second zone. @default true in prod, false otherwise */
  readonly highAvailability: boolean;
  /** Days automated backups are kept. @default 7 in prod and staging (seeds 000, 001), 1 in dev */
  readonly backupRetentionDays: number;
  /**
   * Days PostgreSQL's logs are kept in CloudWatch Logs (AWS; one of CloudWatch's retention
   * values). @default 30 in prod (seed 003's database logs), 14 in staging, 7 in dev
   */
  readonly logRetentionDays: number;
  /** Daily backup window, UTC, "hh:mm-hh:mm". @default "03:00-04:00" (seed 000) */
  readonly backupWindow: string;
  /** Weekly maintenance window, UTC, "ddd:hh:mm-ddd:hh:mm". @default "sun:04:00-sun:05:00" (seed 000) */
  readonly maintenanceWindow: string;
  /** Refuse deletion (and `protect` the resource). @default true in prod, false otherwise */
  readonly deletionProtection: boolean;
  /** A read replica for analytics. @default true in prod (seed 000), false otherwise */
  readonly readReplica: boolean;
  /** Size class of the read replica. @default "db.r6g.large" (seed 000) */
  readonly readReplicaInstanceClass: string;
  /**
   * PostgreSQL extensions the application needs (e.g. pg_stat_statements, vector); those
   * that must be preloaded are added to `shared_preload_libraries`. @default []
   */
  readonly extensions: readonly string[];
  /** Name of the application database. @default "app" */
  readonly databaseName: string;
  /** Name of the master user. @default "app_admin" */
  readonly username: string;
}

const seedWindows = { backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:00-sun:05:00" };
const common = {
  engineVersion: "15",
  ...seedWindows,
  readReplicaInstanceClass: "db.r6g.large",
  extensions: [],
  databaseName: "app",
  username: "app_admin",
} as const;

export const databaseDefaults: PerTier<DatabaseSettings> = {
  dev: {
    ...common,
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    highAvailability: false,
    backupRetentionDays: 1,
    logRetentionDays: 7,
    deletionProtection: false,
    readReplica: false,
  },
  staging: {
    ...common,
    instanceClass: "db.r6g.large",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 500,
    highAvailability: false,
    backupRetentionDays: 7,
    logRetentionDays: 14,
    deletionProtection: false,
    readReplica: false,
  },
  prod: {
    ...common,
    instanceClass: "db.r6g.xlarge",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 1000,
    highAvailability: true,
    backupRetentionDays: 7,
    logRetentionDays: 30,
    deletionProtection: true,
    readReplica: true,
  },
};

/** Whether a stack builds a database unless its config says otherwise. @default true */
export const databaseEnabledDefaults: PerTier<boolean> = { dev: true, staging: true, prod: true };

export interface DatabaseArgs extends DatabaseSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * AWS: logical replication out of the server (pglogical preloaded, `rds.logical_replication`
   * on) to replicas in these address ranges, which the security group admits on 5432.
   * @default none
   */
  readonly replicationClientCidrs?: readonly string[];
  /**
   * GCP: the instance is the destination of a replication from an external primary, which
   * brings the application database; it must start without one.
   * @default false
   */
  readonly externalReplica?: boolean;
}

/** What every target returns. Secrets are Pulumi secrets from generation to use. */
export interface DatabaseOutputs {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: pulumi.Output<string>;
  readonly username: pulumi.Output<string>;
  /** Secret. */
  readonly password: pulumi.Output<string>;
  /** `postgresql://user:password@host:port/db?sslmode=require`. Secret. */
  readonly connectionString: pulumi.Output<string>;
  /** Host of the read replica, when there is one. */
  readonly readerHost?: pulumi.Output<string>;
  /**
   * Identifier the target's backup service selects the server by: the RDS ARN on AWS,
   * `namespace/name` of the server in a cluster (what Velero selects).
   */
  readonly resourceId: pulumi.Output<string>;
  /**
   * Name the target's monitoring selects the primary server by: the RDS DB instance
   * identifier on AWS (CloudWatch dimension `DBInstanceIdentifier`), the Cloud SQL
   * `database_id` on GCP (`<project>:<instance name>`, the label of Cloud Monitoring's
   * `cloudsql_database` resource), the StatefulSet name in a cluster.
   */
  readonly instanceId: pulumi.Output<string>;
  /** The same names for the read replicas, in creation order; empty when there are none. */
  readonly replicaInstanceIds: pulumi.Output<string>[];
}

/** PostgreSQL, private and encrypted, built on the placement's target. */
export class Database extends pulumi.ComponentResource implements DatabaseOutputs {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: pulumi.Output<string>;
  readonly username: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  readonly connectionString: pulumi.Output<string>;
  readonly readerHost?: pulumi.Output<string>;
  readonly resourceId: pulumi.Output<string>;
  readonly instanceId: pulumi.Output<string>;
  readonly replicaInstanceIds: pulumi.Output<string>[];

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Database", name, {}, opts);
    const built = build(name, args, this);
    this.host = built.host;
    this.port = built.port;
    this.databaseName = built.databaseName;
    this.username = built.username;
    this.password = built.password;
    this.connectionString = built.connectionString;
    this.readerHost = built.readerHost;
    this.resourceId = built.resourceId;
    this.instanceId = built.instanceId;
    this.replicaInstanceIds = built.replicaInstanceIds;
    this.registerOutputs({
      host: this.host,
      port: this.port,
      databaseName: this.databaseName,
      username: this.username,
      password: this.password,
      connectionString: this.connectionString,
      readerHost: this.readerHost,
      resourceId: this.resourceId,
      instanceId: this.instanceId,
      replicaInstanceIds: this.replicaInstanceIds,
    });
  }
}

function build(name: string, args: DatabaseArgs, parent: pulumi.Resource): DatabaseOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsDatabase(name, { ...args, placement }, parent);
    case "gcp":
      return createGcpDatabase(name, { ...args, placement }, parent);
    case "local":
      return createLocalDatabase(name, { ...args, placement }, parent);
    default:
      throw unsupportedTarget("Database", placement, ["aws", "gcp", "local"]);
  }
}
