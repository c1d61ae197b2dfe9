import type { PolicyResource } from "@pulumi/policy";
import { read, relatedBy } from "./lib";

/** S3 buckets, in the v7 shape and the deprecated V2 one. */
export const bucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** The companion resources that configure a bucket (one per concern in provider v7). */
export const companionTypes = {
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  versioning: [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
  ],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
} as const;

export function bucketsOf(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => bucketTypes.includes(r.type));
}

/** A bucket's name as companions reference it: its `bucket` name or its `id`. */
function identity(bucket: PolicyResource): unknown[] {
  return [read(bucket.props, "bucket"), read(bucket.props, "id")];
}

/**
 * For each bucket, the companions of `types` configuring it, related through their `bucket`
 * input (by property dependency, or by the bucket name they reference).
 */
export function companionsByBucket(
  resources: readonly PolicyResource[],
  types: readonly string[],
): Map<PolicyResource, PolicyResource[]> {
  const buckets = bucketsOf(resources);
  const related = resources
    .filter((r) => types.includes(r.type))
    .map((companion) => ({ companion, of: relatedBy(companion, "bucket", buckets, identity) }));
  return new Map(
    buckets.map((b) => [b, related.filter((r) => r.of.includes(b)).map((r) => r.companion)]),
  );
}

/**
 * The companions of `types` that configure no bucket of this program: their bucket is
 * created elsewhere (another stack, the console), so only the companion itself can be judged.
 */
export function companionsOfOtherBuckets(
  resources: readonly PolicyResource[],
  types: readonly string[],
): PolicyResource[] {
  const buckets = bucketsOf(resources);
  return resources
    .filter((r) => types.includes(r.type))
    .filter((companion) => relatedBy(companion, "bucket", buckets, identity).length === 0);
}

export function bucketLabel(bucket: PolicyResource): string {
  const name = read(bucket.props, "bucket");
  return typeof name === "string" ? `${bucket.name} (${name})` : bucket.name;
}
