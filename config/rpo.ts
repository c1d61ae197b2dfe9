/**
 * The recovery point objective the design gives: how much of the primary's data a failover
 * to the GCP standby can lose, computed from the settings that bound it, per data path.
 */

import { lagAlertAlignmentSeconds, lagAlertDurationSeconds } from "../components/replication";

/** The database path: continuous logical replication, RDS to Cloud SQL (Database Migration Service). */
export interface DatabaseRpo {
  /**
   * The most the standby's database can trail the primary with no lag alert open, seconds:
   * replication stalled, the lag grows one second a second past the alert's threshold, for the
   * condition's duration, plus one alignment period before the sample shows it.
   */
  readonly seconds: number;
  readonly parts: {
    /** Replication lag that breaches the alert's threshold, seconds. */
    readonly replicationLagAlertSeconds: number;
    /** How long the breach must last before the alert opens, seconds. */
    readonly alertDurationSeconds: number;
    /** The alert's alignment period: the sample the breach first shows in, seconds. */
    readonly alignmentSeconds: number;
  };
}

/** The buckets' path: Storage Transfer Service runs, S3 to GCS, on a schedule. */
export interface ObjectsRpo {
  /**
   * The oldest write a failover can miss when every run finishes, seconds: one interval
   * between runs. A run still going adds its own duration, which no setting bounds.
   */
  readonly seconds: number;
  readonly parts: { readonly transferIntervalSeconds: number };
  /** The bucket roles copied. */
  readonly buckets: readonly string[];
}

export interface RecoveryPointObjective {
  /**
   * The database path's RPO, seconds: the figure the stated target is held to. Absent when
   * the database is not replicated: a failover then starts from an empty database.
   */
  readonly seconds?: number;
  /** The stack's stated target, seconds, when it states one. */
  readonly targetSeconds?: number;
  /** Absent when the database is not replicated (no database, or no RDS CA to verify it with). */
  readonly database?: DatabaseRpo;
  /** Absent when the sites keep no buckets in common. */
  readonly objects?: ObjectsRpo;
  /** Data the standby does not receive at all: a failover starts without it. */
  readonly notCopied: readonly string[];
}

export interface RpoSettings {
  /** Whether the primary keeps a database, and whether it is replicated to the standby. */
  readonly database: { readonly enabled: boolean; readonly replicated: boolean };
  /** Whether the primary keeps a cache (never copied: Redis holds what can be rebuilt). */
  readonly cache: boolean;
  readonly lagAlertSeconds: number;
  readonly rpoTargetSeconds?: number;
  /** Minutes between Storage Transfer runs. */
  readonly transferIntervalMinutes: number;
  /** Bucket roles both sites keep, copied by the transfer. */
  readonly buckets: readonly string[];
}

/** The RPO of a primary/standby pair from the settings of its data paths. */
export function computeRpo(settings: RpoSettings): RecoveryPointObjective {
  const parts = {
    replicationLagAlertSeconds: settings.lagAlertSeconds,
    alertDurationSeconds: lagAlertDurationSeconds,
    alignmentSeconds: lagAlertAlignmentSeconds,
  };
  const database: DatabaseRpo = {
    seconds: parts.replicationLagAlertSeconds + parts.alertDurationSeconds + parts.alignmentSeconds,
    parts,
  };
  const interval = settings.transferIntervalMinutes * 60;
  return {
    ...(settings.database.replicated && { seconds: database.seconds, database }),
    ...(settings.rpoTargetSeconds !== undefined && { targetSeconds: settings.rpoTargetSeconds }),
    ...(settings.buckets.length > 0 && {
      objects: {
        seconds: interval,
        parts: { transferIntervalSeconds: interval },
        buckets: [...settings.buckets],
      },
    }),
    notCopied: [
      ...(settings.database.enabled && !settings.database.replicated
        ? ["database: not replicated without platform:replication.sourceCaCertificate"]
        : []),
      ...(settings.cache ? ["cache: Redis starts empty on the standby"] : []),
    ],
  };
}

/** Why a design misses its stated RPO target, or nothing when it meets it (or states none). */
export function rpoProblems(rpo: RecoveryPointObjective): string[] {
  if (rpo.targetSeconds === undefined) return [];
  if (rpo.database === undefined) {
    return [
      `platform:replication.rpoTargetSeconds: ${rpo.targetSeconds} cannot be met: the database is not replicated to the standby, so a failover loses all of it; set platform:replication.sourceCaCertificate (the RDS region's CA bundle, https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem) so Database Migration Service replicates it`,
    ];
  }
  if (rpo.database.seconds <= rpo.targetSeconds) return [];
  return [
    `platform:replication.rpoTargetSeconds: ${rpo.targetSeconds} is less than the database RPO the design gives, ${rpo.database.seconds} s (lag alert threshold platform:replication.lagAlertSeconds ${rpo.database.parts.replicationLagAlertSeconds} + alert duration ${rpo.database.parts.alertDurationSeconds} + alignment ${rpo.database.parts.alignmentSeconds}); lower lagAlertSeconds to at most ${rpo.targetSeconds - rpo.database.parts.alertDurationSeconds - rpo.database.parts.alignmentSeconds} or raise the target`,
  ];
}
