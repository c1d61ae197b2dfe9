import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isTrue, read } from "../lib";
import { bucketLabel, companionTypes, companionsByBucket, companionsOfOtherBuckets } from "../s3";

const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** The account-wide block carries the same four flags and overrides every bucket's. */
const accountBlockType = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";

function flagsOff(block: PolicyResource): string[] {
  return flags.filter((f) => !isTrue(read(block.props, f)));
}

/** Blocks judged by themselves: the account's, and those of buckets created elsewhere. */
function standaloneBlocks(resources: readonly PolicyResource[]): PolicyResource[] {
  return [
    ...resources.filter((r) => r.type === accountBlockType),
    ...companionsOfOtherBuckets(resources, companionTypes.publicAccessBlock),
  ];
}

/** One ACL or policy typo away from a public bucket: the block makes that impossible. */
export const s3PublicAccessBlock = {
  name: "aws-s3-public-access-block",
  description:
    "Every S3 bucket must have a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true, and so must every BucketPublicAccessBlock (even of a bucket created elsewhere) and AccountPublicAccessBlock; serve public content through the CDN instead.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, reportViolation) => {
    for (const [bucket, blocks] of companionsByBucket(
      args.resources,
      companionTypes.publicAccessBlock,
    )) {
      if (blocks.length === 0) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)} has no public access block; add a BucketPublicAccessBlock with all four flags true.`,
          bucket.urn,
        );
        continue;
      }
      const off = flags.filter((f) => blocks.every((b) => flagsOff(b).includes(f)));
      if (off.length > 0) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)}'s public access block leaves ${off.join(", ")} off; set them to true.`,
          bucket.urn,
        );
      }
    }
    for (const block of standaloneBlocks(args.resources)) {
      const off = flagsOff(block);
      if (off.length === 0) continue;
      const target =
        block.type === accountBlockType ? "the account" : String(read(block.props, "bucket"));
      reportViolation(
        `${block.name}: the public access block of ${target} leaves ${off.join(", ")} off; set them to true.`,
        block.urn,
      );
    }
  },
} satisfies StackValidationPolicy;
