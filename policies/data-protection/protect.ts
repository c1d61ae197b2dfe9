import { environmentProperty, isProd, resourcePolicy, type EnvironmentConfig } from "../lib";
import {
  backupBucketPatternProperty,
  bucketTypes,
  defaultBackupBucketPattern,
  isBackupBucket,
  statefulTypes,
} from "./stateful";

interface ProtectConfig extends EnvironmentConfig {
  backupBucketPattern?: string;
}

/** `protect` makes Pulumi refuse any plan that would delete or replace the resource. */
export const protectStateful = resourcePolicy(
  {
    name: "prod-stateful-resources-protected",
    description:
      "In prod, databases, caches, search domains and backup buckets must be created with the resource option protect: true, so no update can delete or replace them.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentProperty, ...backupBucketPatternProperty } },
  },
  [...statefulTypes, ...bucketTypes],
  (props, args) => {
    if (!isProd(args) || args.opts.protect) return [];
    if (bucketTypes.includes(args.type)) {
      const pattern =
        args.getConfig<ProtectConfig>().backupBucketPattern ?? defaultBackupBucketPattern;
      if (!isBackupBucket(args.name, props, pattern)) return [];
    }
    return [`${args.name}: the resource is not protected; create it with { protect: true }.`];
  },
);
