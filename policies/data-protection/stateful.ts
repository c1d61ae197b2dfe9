import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { read, type Props } from "../lib";

/** Resource types that hold data a deletion would lose. */
export const statefulTypes = [
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:opensearch/domain:Domain",
  "gcp:sql/databaseInstance:DatabaseInstance",
  "gcp:redis/instance:Instance",
];

export const bucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

export const defaultBackupBucketPattern = "backup";

/** A bucket holds backups when its logical or real name matches the configured pattern. */
export function isBackupBucket(name: string, props: Props, pattern: string): boolean {
  const matcher = new RegExp(pattern, "i");
  const bucketName = read(props, "bucket");
  return matcher.test(name) || (typeof bucketName === "string" && matcher.test(bucketName));
}

export const backupBucketPatternProperty: Record<string, PolicyConfigJSONSchema> = {
  backupBucketPattern: {
    type: "string",
    default: defaultBackupBucketPattern,
    description: "Regular expression (case-insensitive) matching the names of backup buckets.",
  },
};
