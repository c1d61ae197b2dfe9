import type { StackValidationPolicy } from "@pulumi/policy";
import { block, environmentProperty, read, type EnvironmentConfig } from "../lib";
import { bucketLabel, companionTypes, companionsByBucket } from "../s3";
import {
  backupBucketPatternProperty,
  defaultBackupBucketPattern,
  isBackupBucket,
} from "./stateful";

interface VersioningConfig extends EnvironmentConfig {
  backupBucketPattern?: string;
}

/** An overwritten or deleted backup object is gone unless the bucket keeps versions. */
export const backupBucketVersioning = {
  name: "prod-backup-bucket-versioned",
  description:
    'In prod, backup buckets must keep object versions; add a BucketVersioning for the bucket with versioningConfiguration.status "Enabled".',
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: { properties: { ...environmentProperty, ...backupBucketPatternProperty } },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<VersioningConfig>();
    if (config.environment !== "prod") return;
    const pattern = config.backupBucketPattern ?? defaultBackupBucketPattern;
    for (const [bucket, versionings] of companionsByBucket(
      args.resources,
      companionTypes.versioning,
    )) {
      if (!isBackupBucket(bucket.name, bucket.props, pattern)) continue;
      const enabled = versionings.some(
        (v) => read(block(v.props, "versioningConfiguration"), "status") === "Enabled",
      );
      if (!enabled) {
        reportViolation(
          `Backup bucket ${bucketLabel(bucket)} does not keep versions; add a BucketVersioning with status "Enabled".`,
          bucket.urn,
        );
      }
    }
  },
} satisfies StackValidationPolicy;
