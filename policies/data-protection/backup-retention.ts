import type { PolicyConfigSchema } from "@pulumi/policy";
import {
  block,
  environmentProperty,
  isProd,
  isRdsReadReplica,
  read,
  resourcePolicy,
  shown,
  type EnvironmentConfig,
  type Props,
} from "../lib";

interface RetentionConfig extends EnvironmentConfig {
  /** Fewest days of automated backups a stateful service keeps. */
  minimumRetentionDays?: number;
}

/** Seed 000: PostgreSQL and Redis keep 7 days of automated backups. */
export const defaultRetentionDays = 7;

const configSchema: PolicyConfigSchema = {
  properties: {
    ...environmentProperty,
    minimumRetentionDays: {
      type: "number",
      minimum: 1,
      default: defaultRetentionDays,
      description: "Fewest days of automated backups (seed 000: 7).",
    },
  },
};

/** Where each type keeps its retention, and how to say the fix. */
function retentionOf(type: string, props: Props): { days: unknown; field: string } {
  if (type === "aws:elasticache/replicationGroup:ReplicationGroup") {
    return { days: read(props, "snapshotRetentionLimit"), field: "snapshotRetentionLimit" };
  }
  if (type === "gcp:sql/databaseInstance:DatabaseInstance") {
    const backups = block(block(props, "settings"), "backupConfiguration");
    return {
      days:
        read(backups, "enabled") === true
          ? read(block(backups, "backupRetentionSettings"), "retainedBackups")
          : 0,
      field:
        "settings.backupConfiguration (enabled: true, backupRetentionSettings.retainedBackups)",
    };
  }
  return { days: read(props, "backupRetentionPeriod"), field: "backupRetentionPeriod" };
}

/** Backups shorter than the seeds' retention cannot restore what the recovery plan promises. */
export const backupRetention = resourcePolicy(
  {
    name: "prod-backup-retention",
    description:
      "In prod, automated backups must be kept at least the configured minimum (7 days by default, seed 000): RDS backupRetentionPeriod, ElastiCache snapshotRetentionLimit, Cloud SQL backupConfiguration with retainedBackups. RDS read replicas are covered by their source.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
  },
  [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "gcp:sql/databaseInstance:DatabaseInstance",
  ],
  (props, args) => {
    if (!isProd(args) || isRdsReadReplica(args.type, props)) return [];
    const minimum = args.getConfig<RetentionConfig>().minimumRetentionDays ?? defaultRetentionDays;
    const { days, field } = retentionOf(args.type, props);
    return typeof days === "number" && days >= minimum
      ? []
      : [
          `${args.name}: backups are kept ${shown(days)} days; set ${field} to at least ${minimum}.`,
        ];
  },
);
