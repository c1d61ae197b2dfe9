import type { z } from "zod";
import { backupDefaults, backupEnabledDefaults, type BackupSettings } from "../components/backup";
import { cacheDefaults, cacheEnabledDefaults, type CacheSettings } from "../components/cache";
import {
  databaseDefaults,
  databaseEnabledDefaults,
  timescaleImages,
  type DatabaseSettings,
} from "../components/database";
import {
  extraBucketDefaults,
  objectStoreDefaults,
  objectStoreEnabledDefaults,
  type BucketSettings,
  type ObjectStoreSettings,
} from "../components/objectstore";
import { localRedisImages } from "../components/cache/local";
import { localPostgresImages } from "../components/database/local";
import {
  localCacheSettings,
  localDatabaseSettings,
  localObjectStoreSettings,
} from "../components/local-data";
import { queueDefaults, queueEnabledDefaults, type QueueSettings } from "../components/queue";
import { pubSubSettingProblems } from "../components/queue/gcp";
import { searchDefaults, searchEnabledDefaults, type SearchSettings } from "../components/search";
import type {
  backupSection,
  cacheSection,
  databaseSection,
  objectStoreSection,
  queueSection,
  searchSection,
} from "./sections/data";
import type { Target, Tier } from "./tiers";

/** A service's settings and whether the stack builds it. */
export type Switched<T> = T & { readonly enabled: boolean };

export interface DataServices {
  readonly database: Switched<DatabaseSettings>;
  readonly cache: Switched<CacheSettings>;
  readonly objectStore: Switched<ObjectStoreSettings>;
  readonly search: Switched<SearchSettings>;
  readonly queue: Switched<QueueSettings>;
  readonly backup: Switched<BackupSettings>;
}

export interface DataServiceOverrides {
  /** On "local" the in-cluster servers' settings are the defaults the keys override. */
  readonly target?: Target;
  readonly database?: z.output<typeof databaseSection>;
  readonly cache?: z.output<typeof cacheSection>;
  readonly objectStore?: z.output<typeof objectStoreSection>;
  readonly search?: z.output<typeof searchSection>;
  readonly queue?: z.output<typeof queueSection>;
  readonly backup?: z.output<typeof backupSection>;
}

/** The tier's defaults (the local target's own for its servers) with the stack's overrides on top. */
export function resolveDataServices(tier: Tier, cfg: DataServiceOverrides): DataServices {
  const local = cfg.target === "local";
  const databaseBase = local ? localDatabaseSettings : databaseDefaults[tier];
  const cacheBase = local ? localCacheSettings : cacheDefaults[tier];
  const objectStoreBase = local ? localObjectStoreSettings : objectStoreDefaults[tier];
  const { enabled: dbOn, ...db } = cfg.database ?? {};
  const { enabled: cacheOn, ...cache } = cfg.cache ?? {};
  const { enabled: objectsOn, buckets, ...objects } = cfg.objectStore ?? {};
  const { enabled: searchOn, ...search } = cfg.search ?? {};
  const { enabled: queueOn, ...queue } = cfg.queue ?? {};
  const { enabled: backupOn, ...backup } = cfg.backup ?? {};
  return {
    database: { ...databaseBase, ...db, enabled: dbOn ?? databaseEnabledDefaults[tier] },
    cache: { ...cacheBase, ...cache, enabled: cacheOn ?? cacheEnabledDefaults[tier] },
    objectStore: {
      ...objectStoreBase,
      ...objects,
      buckets: mergeBuckets(objectStoreBase.buckets, buckets ?? {}),
      enabled: objectsOn ?? objectStoreEnabledDefaults[tier],
    },
    search: {
      ...searchDefaults[tier],
      ...search,
      enabled: searchOn ?? searchEnabledDefaults[tier],
    },
    queue: { ...queueDefaults[tier], ...queue, enabled: queueOn ?? queueEnabledDefaults[tier] },
    backup: {
      ...backupDefaults[tier],
      ...backup,
      enabled: backupOn ?? backupEnabledDefaults[tier],
    },
  };
}

function mergeBuckets(
  defaults: readonly BucketSettings[],
  overrides: Readonly<Record<string, Partial<Omit<BucketSettings, "role">>>>,
): BucketSettings[] {
  const merged = defaults.map((b) => ({ ...b, ...overrides[b.role] }));
  for (const [role, settings] of Object.entries(overrides)) {
    if (!defaults.some((b) => b.role === role)) {
      merged.push({ ...extraBucketDefaults, ...settings, role });
    }
  }
  return merged;
}

const sizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];

/** RDS for PostgreSQL instance classes the platform accepts. */
export const rdsInstanceClasses: readonly string[] = [
  ...["micro", "small", "medium", "large", "xlarge", "2xlarge"].map((s) => `db.t4g.${s}`),
  ...["m6g", "m7g", "r6g", "r7g", "m6i", "r6i"].flatMap((f) => sizes.map((s) => `db.${f}.${s}`)),
];

/** ElastiCache node types the platform accepts. */
export const elastiCacheNodeTypes: readonly string[] = [
  ...["micro", "small", "medium"].map((s) => `cache.t4g.${s}`),
  ...["m6g", "m7g", "r6g", "r7g"].flatMap((f) => sizes.map((s) => `cache.${f}.${s}`)),
];

/** A rule over resolved values: the path of the key to blame, its value and why. */
export interface DataServiceProblem {
  readonly path: (string | number)[];
  readonly input: unknown;
  readonly message: string;
}

/** Rules that need the tier's defaults, the target or other keys. */
export function checkDataServices(
  resolved: DataServices,
  context: {
    target: string;
    azCount: number;
    aws?: { region: string; replicaRegion?: string };
  },
): DataServiceProblem[] {
  const problems: DataServiceProblem[] = [];
  const { database, cache, objectStore, search, queue, backup } = resolved;
  const aws = context.target === "aws";
  const oneOf = (list: readonly string[]) => `expected one of ${list.join(", ")}`;

  if (aws && database.enabled) {
    for (const key of ["instanceClass", "readReplicaInstanceClass"] as const) {
      if (!rdsInstanceClasses.includes(database[key])) {
        problems.push({
          path: ["database", key],
          input: database[key],
          message: `is not an RDS instance class; ${oneOf(rdsInstanceClasses)}`,
        });
      }
    }
  }
  if (database.enabled && database.engine === "timescaledb") {
    problems.push(...timescaleProblems(resolved, context.target));
  }
  if (database.enabled && database.maxAllocatedStorageGb < database.allocatedStorageGb) {
    problems.push({
      path: ["database", "maxAllocatedStorageGb"],
      input: database.maxAllocatedStorageGb,
      message: `is below allocatedStorageGb (${database.allocatedStorageGb}); expected at least ${database.allocatedStorageGb}`,
    });
  }
  if (aws && cache.enabled && !elastiCacheNodeTypes.includes(cache.nodeType)) {
    problems.push({
      path: ["cache", "nodeType"],
      input: cache.nodeType,
      message: `is not an ElastiCache node type; ${oneOf(elastiCacheNodeTypes)}`,
    });
  }
  if (context.target === "gcp") {
    // Memorystore's node counts are its component's rule (memorystoreProblems), which
    // config/component-problems.ts reports by key.
    const awsOnly: [keyof DataServices, { enabled: boolean }][] = [
      ["search", search],
      ["backup", backup],
    ];
    if (queue.enabled) {
      for (const { key, message } of pubSubSettingProblems(queue)) {
        problems.push({ path: ["queue", key], input: queue[key], message });
      }
    }
    for (const [key, service] of awsOnly) {
      if (service.enabled) {
        problems.push({
          path: [key, "enabled"],
          input: true,
          message: `has no GCP implementation yet; expected false on target "gcp" (AWS only)`,
        });
      }
    }
  }
  if (context.target === "local") problems.push(...localImageProblems(resolved));
  if (cache.enabled && cache.highAvailability && cache.nodes < 2) {
    problems.push({
      path: ["cache", "nodes"],
      input: cache.nodes,
      message: "is too few for highAvailability; expected at least 2 (a primary and a replica)",
    });
  }
  for (const bucket of objectStore.enabled ? objectStore.buckets : []) {
    if (
      bucket.expireAfterDays > 0 &&
      bucket.infrequentAccessAfterDays > 0 &&
      bucket.expireAfterDays <= bucket.infrequentAccessAfterDays
    ) {
      problems.push({
        path: ["objectStore", "buckets", bucket.role, "expireAfterDays"],
        input: bucket.expireAfterDays,
        message: `expires objects before they move to infrequent access (day ${bucket.infrequentAccessAfterDays}); expected more days, or 0 for never`,
      });
    }
  }
  const replicaNeeded: [string, string, boolean][] = [
    [
      "objectStore",
      "crossRegionReplication",
      objectStore.enabled && objectStore.crossRegionReplication,
    ],
    ["backup", "crossRegionCopy", backup.enabled && backup.crossRegionCopy],
  ];
  for (const [section, key, on] of replicaNeeded) {
    if (aws && on && !context.aws?.replicaRegion) {
      problems.push({
        path: [section, key],
        input: true,
        message: "needs a second region; set platform:aws.replicaRegion (e.g. us-west-2)",
      });
    }
  }
  if (aws && context.aws?.replicaRegion && context.aws.replicaRegion === context.aws.region) {
    problems.push({
      path: ["aws", "replicaRegion"],
      input: context.aws.replicaRegion,
      message: "is the primary region; expected a different region for cross-region copies",
    });
  }
  if (search.enabled && search.highAvailability && search.instanceCount % context.azCount !== 0) {
    problems.push({
      path: ["search", "instanceCount"],
      input: search.instanceCount,
      message: `cannot be spread evenly over ${context.azCount} zones; expected a multiple of ${context.azCount}`,
    });
  }
  if (queue.enabled && queue.deadLetterRetentionDays < queue.messageRetentionDays) {
    problems.push({
      path: ["queue", "deadLetterRetentionDays"],
      input: queue.deadLetterRetentionDays,
      message: `is shorter than messageRetentionDays (${queue.messageRetentionDays}); dead letters would expire before they arrive`,
    });
  }
  if (backup.enabled && !database.enabled) {
    problems.push({
      path: ["backup", "enabled"],
      input: true,
      message: "backs up the database, which is off; enable platform:database or turn backups off",
    });
  }
  const ruleNames = backup.rules.map((r) => r.name);
  ruleNames.forEach((n, i) => {
    if (ruleNames.indexOf(n) !== i) {
      problems.push({
        path: ["backup", "rules", i, "name"],
        input: n,
        message: "is used by an earlier rule; expected unique rule names",
      });
    }
  });
  return problems;
}

/**
 * Where the `timescaledb` engine cannot run: it needs the EKS cluster the `aws` target builds
 * (the `local` target runs its own PostgreSQL, GCP has no implementation yet), the object
 * store's `backups` bucket for its WAL and base backups, a pinned image for the major
 * version. AWS Backup may run beside it: it selects the stack's buckets, and no RDS instance.
 */
export function timescaleProblems(resolved: DataServices, target: string): DataServiceProblem[] {
  const { database, objectStore } = resolved;
  const problems: DataServiceProblem[] = [];
  if (target !== "aws") {
    problems.push({
      path: ["database", "engine"],
      input: "timescaledb",
      message: `runs on the EKS cluster of target "aws" only; on target "${target}" expected "managed"`,
    });
  }
  if (!objectStore.enabled || !objectStore.buckets.some((b) => b.role === "backups")) {
    problems.push({
      path: ["database", "engine"],
      input: "timescaledb",
      message:
        "archives WAL and base backups to the object store's backups bucket, which is not built; enable platform:objectStore with its backups bucket",
    });
  }
  if (timescaleImages[database.engineVersion] === undefined) {
    problems.push({
      path: ["database", "engineVersion"],
      input: database.engineVersion,
      message: `has no TimescaleDB image pinned; expected one of ${Object.keys(timescaleImages).join(", ")} with engine "timescaledb"`,
    });
  }
  return problems;
}

/** The local target runs PostgreSQL and Redis from an image pinned per version. */
function localImageProblems({ database, cache }: DataServices): DataServiceProblem[] {
  const unpinned = (
    service: "database" | "cache",
    version: string,
    images: Readonly<Record<string, string>>,
  ): DataServiceProblem[] =>
    images[version] === undefined
      ? [
          {
            path: [service, "engineVersion"],
            input: version,
            message: `has no pinned image on target "local"; expected one of ${Object.keys(images).join(", ")}`,
          },
        ]
      : [];
  return [
    ...(database.enabled ? unpinned("database", database.engineVersion, localPostgresImages) : []),
    ...(cache.enabled ? unpinned("cache", cache.engineVersion, localRedisImages) : []),
  ];
}
