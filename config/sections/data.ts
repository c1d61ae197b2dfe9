import { z } from "zod";
import { unsupportedRedisParameters } from "../../components/cache";
import { logRetentionDays } from "./observability";
import { databaseEngines } from "../../components/database/engines";

/** Every field is an optional override of the tier's default; `enabled` switches the service. */

const flag = (what: string) =>
  z.boolean({ error: `is not a boolean; expected true or false (${what})` }).optional();

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `is not a number; expected ${what} from ${min} to ${max}` })
    .int({ error: `is not a whole number; expected ${what} from ${min} to ${max}` })
    .min(min, { error: `is too small; expected ${what} from ${min} to ${max}` })
    .max(max, { error: `is too large; expected ${what} from ${min} to ${max}` })
    .optional();

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, {
  error: "is not a PostgreSQL identifier; expected lowercase letters, digits and _ (max 63)",
});

const cloudWatchRetention = z
  .number({ error: "is not a number; expected days" })
  .refine((d) => (logRetentionDays as readonly number[]).includes(d), {
    error: `is not a CloudWatch Logs retention; expected one of ${logRetentionDays.join(", ")}`,
  })
  .optional();

const hhmm = "([01]\\d|2[0-3]):[0-5]\\d";
const ddd = "(mon|tue|wed|thu|fri|sat|sun)";

export const databaseSection = z
  .object({
    enabled: flag("build the database"),
    engineVersion: z
      .string()
      .regex(/^1[4-7](\.\d+)?$/, {
        error: 'is not a supported PostgreSQL version; expected "14" to "17" (e.g. "15")',
      })
      .optional(),
    /** Checked against the target's classes in the schema's cross-key rules. */
    instanceClass: z.string().optional(),
    allocatedStorageGb: int("GiB", 20, 65536),
    maxAllocatedStorageGb: int("GiB", 20, 65536),
    highAvailability: flag("a standby in a second zone"),
    backupRetentionDays: int("days", 1, 35),
    /** Days PostgreSQL's logs are kept in CloudWatch Logs. */
    logRetentionDays: cloudWatchRetention,
    backupWindow: z
      .string()
      .regex(new RegExp(`^${hhmm}-${hhmm}$`), {
        error: 'is not a backup window; expected "hh:mm-hh:mm" in UTC, e.g. "03:00-04:00"',
      })
      .optional(),
    maintenanceWindow: z
      .string()
      .regex(new RegExp(`^${ddd}:${hhmm}-${ddd}:${hhmm}$`), {
        error:
          'is not a maintenance window; expected "ddd:hh:mm-ddd:hh:mm" in UTC, e.g. "sun:04:00-sun:05:00"',
      })
      .optional(),
    deletionProtection: flag("refuse deletion"),
    readReplica: flag("an analytics read replica"),
    readReplicaInstanceClass: z.string().optional(),
    extensions: z
      .array(
        z.string().regex(/^[a-z][a-z0-9_]*$/, {
          error: "is not an extension name; expected lowercase letters, digits and _",
        }),
      )
      .optional(),
    databaseName: identifier.optional(),
    username: identifier
      .refine((u) => !["postgres", "rdsadmin", "admin"].includes(u), {
        error: 'is reserved; choose another master user name (not "postgres", "rdsadmin", "admin")',
      })
      .optional(),
    /** What serves PostgreSQL: the target's managed service, or TimescaleDB on the cluster. */
    engine: z
      .enum(databaseEngines, {
        error: `is not a database engine; expected one of ${databaseEngines.join(", ")}`,
      })
      .optional(),
  })
  .strict();

export const cacheSection = z
  .object({
    enabled: flag("build the cache"),
    engineVersion: z
      .string()
      .regex(/^7\.[01]$/, { error: 'is not a Redis 7 version; expected "7.0" or "7.1"' })
      .optional(),
    /** Checked against the target's node types in the schema's cross-key rules. */
    nodeType: z.string().optional(),
    nodes: int("nodes", 1, 6),
    highAvailability: flag("automatic failover across zones"),
    snapshotRetentionDays: int("days", 0, 35),
    slowLogRetentionDays: z
      .union(
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731].map((d) => z.literal(d)),
        {
          error:
            "is not a CloudWatch retention; expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731",
        },
      )
      .optional(),
    deletionProtection: flag("protect the cache"),
    parameters: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, {
          error: 'is not a Redis setting name; expected e.g. "maxmemory-policy"',
        }),
        z.string(),
      )
      .superRefine((parameters, ctx) => {
        for (const [setting, why] of Object.entries(unsupportedRedisParameters)) {
          if (setting in parameters) {
            ctx.addIssue({ code: "custom", path: [setting], message: `is not settable: ${why}` });
          }
        }
      })
      .optional(),
  })
  .strict();

export const bucketSection = z
  .object({
    noncurrentVersionDays: int("days", 1, 36500),
    infrequentAccessAfterDays: z
      .number({ error: "is not a number; expected 0 (never) or at least 30 days" })
      .int()
      .refine((d) => d === 0 || d >= 30, {
        error: "is too early for infrequent access; expected 0 (never) or at least 30 days",
      })
      .optional(),
    expireAfterDays: int("days (0: never)", 0, 36500),
  })
  .strict();

export const bucketRole = z.string().regex(/^[a-z][a-z0-9-]{1,19}$/, {
  error: "is not a bucket role; expected 2-20 lowercase letters, digits or hyphens",
});

export const objectStoreSection = z
  .object({
    enabled: flag("build the buckets"),
    /** Per role: overrides of a default bucket, or a new bucket. */
    buckets: z.record(bucketRole, bucketSection).optional(),
    crossRegionReplication: flag("replicate to platform:aws.replicaRegion"),
    deletionProtection: flag("protect the buckets"),
  })
  .strict();

export const searchSection = z
  .object({
    enabled: flag("build the search cluster"),
    engineVersion: z
      .string()
      .regex(/^OpenSearch_\d+\.\d+$/, {
        error: 'is not an OpenSearch version; expected e.g. "OpenSearch_2.17"',
      })
      .optional(),
    instanceType: z
      .string()
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, {
        error: 'is not an OpenSearch instance type; expected e.g. "r6g.large.search"',
      })
      .optional(),
    instanceCount: int("data nodes", 1, 30),
    volumeSizeGb: int("GiB", 10, 16384),
    highAvailability: flag("spread over the zones"),
    deletionProtection: flag("protect the domain"),
    createServiceLinkedRole: flag(
      "create the account's OpenSearch service-linked role; false when the account has it",
    ),
  })
  .strict();

export const queueSection = z
  .object({
    enabled: flag("build the notification queue"),
    visibilityTimeoutSeconds: int("seconds", 0, 43200),
    messageRetentionDays: int("days", 1, 14),
    deadLetterRetentionDays: int("days", 1, 14),
    maxReceiveCount: int("receives", 1, 1000),
    receiveWaitTimeSeconds: int("seconds", 0, 20),
    redeliveryDelaySeconds: int("seconds", 0, 600),
  })
  .strict();

export const backupRuleSection = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,49}$/, {
      error: "is not a rule name; expected lowercase letters, digits or hyphens (max 50)",
    }),
    schedule: z.string().regex(/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/, {
      error: 'is not an AWS cron expression; expected e.g. "cron(0 2 * * ? *)"',
    }),
    retentionDays: z
      .number({ error: "is not a number; expected days from 1 to 36500" })
      .int()
      .min(1, { error: "is too small; expected days from 1 to 36500" })
      .max(36500, { error: "is too large; expected days from 1 to 36500" }),
  })
  .strict();

export const backupSection = z
  .object({
    enabled: flag("build the backup plan"),
    rules: z
      .array(backupRuleSection)
      .min(1, { error: "is empty; expected at least one rule" })
      .optional(),
    crossRegionCopy: flag("copy to platform:aws.replicaRegion"),
    deletionProtection: flag("protect the vaults"),
  })
  .strict();
