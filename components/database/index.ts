import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { ScrapeTarget } from "../observability";
import type { Placement } from "../placement";
import { clientGroupProblems } from "../aws/clients";
import { refuseArgs } from "../errors";
import { unsupportedTargetProblem } from "../unsupported";
import { createAwsDatabase } from "./aws";
import { cloudSqlProblems, createGcpDatabase } from "./gcp";
import type { DatabaseEngine } from "./engines";
import { createLocalDatabase, localDatabaseProblems } from "./local";
import { createTimescaleDatabase, timescaleProblems } from "./timescale";

export { databaseEngines, timescaleImages, type DatabaseEngine } from "./engines";

/**
 * The Database contract: a PostgreSQL server, whichever target builds it. Settings are
 * target-neutral; each target maps them onto its own service (RDS, Cloud SQL, in-cluster).
 * Per-tier defaults live beside these settings as `databaseDefaults`.
 */
export interface DatabaseSettings {
  /**
   * What serves PostgreSQL (see `databaseEngines`); `timescaledb` needs a `kubernetes`
   * placement. @default "managed"
   */
  readonly engine?: DatabaseEngine;
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
  engine: "managed",
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

/**
 * Where the `timescaledb` engine runs: on an EKS cluster, its backups and WAL in an S3
 * bucket of the platform's object store, written under an IAM role for the instances'
 * service account (IRSA), never with static keys.
 */
export interface KubernetesDatabasePlacement {
  readonly target: "kubernetes";
  /** Provider of the cluster; it waits for the node group and the core add-ons. */
  readonly provider: k8s.Provider;
  /** Namespace the component creates for the PostgreSQL instances. */
  readonly namespace: string;
  /** Namespaces whose pods may connect on 5432 (the application's). */
  readonly clientNamespaces: readonly string[];
  /** The cluster's encrypted default StorageClass; the output of the StorageClass itself. */
  readonly storageClassName: pulumi.Input<string>;
  /** The cluster's IAM OIDC provider and issuer (without scheme), which IRSA trusts. */
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuer: pulumi.Input<string>;
  /** Region of the bucket, which the instances' S3 calls name. */
  readonly region: string;
  /** Bucket base backups and WAL go to (the object store's `backups`). */
  readonly backupBucket: pulumi.Input<string>;
  /** KMS key the bucket encrypts objects with (SSE-KMS); the role may use it through S3 only. */
  readonly backupKeyArn: pulumi.Input<string>;
  /**
   * Namespace whose Prometheus scrapes the instances' metrics (port 9187), through the
   * `metricsTargets` the Database returns. @default none: nothing scrapes them
   */
  readonly monitoringNamespace?: string;
  /**
   * What must exist before the backup plugin installs: cert-manager, which issues the
   * certificates the plugin and the operator talk over. @default none
   */
  readonly dependsOn?: pulumi.Resource[];
  readonly labels: Readonly<Record<string, string>>;
}

/** Where a Database is built: a target's managed service, or the stack's cluster. */
export type DatabasePlacement = Placement | KubernetesDatabasePlacement;

export interface DatabaseArgs extends DatabaseSettings {
  readonly tier: Tier;
  readonly placement: DatabasePlacement;
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
  /**
   * Metrics Services in the cluster for the monitoring stack's ServiceMonitors (the
   * `timescaledb` engine's instances); none for a managed service, whose metrics the cloud
   * keeps. @default none
   */
  readonly metricsTargets?: readonly ScrapeTarget[];
}

/**
 * Problems with the args, one line each, the placement's target's own rules included; the
 * constructor refuses args that have any; the stack config reports them by key for a GCP
 * site (`config/component-problems.ts`).
 */
export function databaseArgProblems(args: DatabaseArgs): string[] {
  const placement = args.placement;
  const engine = args.engine ?? "managed";
  if ((engine === "timescaledb") !== (placement.target === "kubernetes")) {
    return [
      `engine: "${engine}" cannot be built on a "${placement.target}" placement; ` +
        'the "timescaledb" engine runs on a "kubernetes" placement, the "managed" engine on the others',
    ];
  }
  switch (placement.target) {
    case "kubernetes":
      return timescaleProblems(args);
    case "aws":
      return clientGroupProblems(placement.clientSecurityGroupIds);
    case "gcp":
      return cloudSqlProblems({ ...args, placement });
    case "local":
      return localDatabaseProblems(args);
    default:
      return [unsupportedTargetProblem(placement, ["aws", "gcp", "local"])];
  }
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
  /** What serves it: the managed service's metrics and backups apply to `managed` only. */
  readonly engine: DatabaseEngine;
  readonly metricsTargets: readonly ScrapeTarget[];

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Database", name, databaseArgProblems(args));
    super("platform:index:Database", name, {}, opts);
    this.engine = args.engine ?? "managed";
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
    this.metricsTargets = built.metricsTargets ?? [];
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
    case "kubernetes":
      return createTimescaleDatabase(name, { ...args, placement }, parent);
    case "aws":
      return createAwsDatabase(name, { ...args, placement }, parent);
    case "gcp":
      return createGcpDatabase(name, { ...args, placement }, parent);
    case "local":
      return createLocalDatabase(name, { ...args, placement }, parent);
  }
}
