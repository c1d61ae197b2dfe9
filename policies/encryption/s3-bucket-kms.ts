import type { StackValidationPolicy } from "@pulumi/policy";
import { block, list, read } from "../lib";
import { bucketLabel, companionTypes, companionsByBucket } from "../s3";

const kmsAlgorithms = ["aws:kms", "aws:kms:dsse"];

/** SSE-KMS adds key policy, revocation and CloudTrail records of every decrypt on top of SSE-S3. */
export const s3BucketKms = {
  name: "aws-s3-bucket-kms",
  description:
    'Every S3 bucket must have a BucketServerSideEncryptionConfiguration whose default is SSE-KMS; add one with rules[0].applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" and kmsMasterKeyId.',
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    for (const [bucket, configs] of companionsByBucket(args.resources, companionTypes.encryption)) {
      const algorithms = configs.flatMap((c) =>
        list(c.props, "rules").map((rule) =>
          read(block(rule, "applyServerSideEncryptionByDefault"), "sseAlgorithm"),
        ),
      );
      if (configs.length === 0) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)} has no server-side encryption configuration; add a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms".`,
          bucket.urn,
        );
      } else if (!algorithms.some((a) => kmsAlgorithms.includes(a as string))) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)} is encrypted with ${algorithms.map(String).join(", ")}, not SSE-KMS; set sseAlgorithm "aws:kms".`,
          bucket.urn,
        );
      }
    }
  },
} satisfies StackValidationPolicy;
