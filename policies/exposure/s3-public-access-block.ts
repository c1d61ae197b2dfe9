import type { StackValidationPolicy } from "@pulumi/policy";
import { isTrue, read } from "../lib";
import { bucketLabel, companionTypes, companionsByBucket } from "../s3";

const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** One ACL or policy typo away from a public bucket: the block makes that impossible. */
export const s3PublicAccessBlock = {
  name: "aws-s3-public-access-block",
  description:
    "Every S3 bucket must have a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true; serve public content through the CDN instead.",
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
      const off = flags.filter((f) => !blocks.some((b) => isTrue(read(b.props, f))));
      if (off.length > 0) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)}'s public access block leaves ${off.join(", ")} off; set them to true.`,
          bucket.urn,
        );
      }
    }
  },
} satisfies StackValidationPolicy;
