import type * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../../config/tiers";
import type { Placement } from "../placement";

/**
 * The Database contract: a PostgreSQL server, whichever target builds it. Settings are
 * target-neutral; each target maps them onto its own service (RDS, Cloud SQL, in-cluster).
 * Per-tier defaults live beside these settings as `databaseDefaults`.
 */
export interface DatabaseSettings {
  /** PostgreSQL major version. @default "15" (seeds 000, 003) */
  readonly engineVersion: string;
  /** Size class on the target (an RDS instance class on AWS). */
  readonly instanceClass: string;
  /** Initial storage, GiB. */
  readonly allocatedStorageGb: number;
  /** Ceiling storage autoscaling may grow to, GiB. */
  readonly maxAllocatedStorageGb: number;
  /** Standby in a second zone. */
  readonly highAvailability: boolean;
  /** Days automated backups are kept. */
  readonly backupRetentionDays: number;
  /** Daily backup window, UTC, "hh:mm-hh:mm". */
  readonly backupWindow: string;
  /** Weekly maintenance window, UTC, "ddd:hh:mm-ddd:hh:mm". */
  readonly maintenanceWindow: string;
  /** Refuse deletion (and `protect` the resource). */
  readonly deletionProtection: boolean;
  /** A read replica for analytics. */
  readonly readReplica: boolean;
  /** PostgreSQL extensions the application needs (e.g. timescaledb, vector). */
  readonly extensions: readonly string[];
  /** Name of the application database. */
  readonly databaseName: string;
  /** Name of the master user. */
  readonly username: string;
}

export interface DatabaseArgs extends DatabaseSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
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
}
