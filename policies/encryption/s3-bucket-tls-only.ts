import type { StackValidationPolicy } from "@pulumi/policy";
import { read, unknownValue } from "../lib";
import { bucketLabel, companionTypes, companionsByBucket } from "../s3";

interface Statement {
  Effect?: string;
  Condition?: Record<string, Record<string, unknown>>;
}

/** True when a policy document denies requests made without TLS. */
export function deniesInsecureTransport(document: unknown): boolean {
  if (document === unknownValue) return true;
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return false;
    }
  }
  const statements = read(parsed, "Statement");
  return (Array.isArray(statements) ? statements : [statements]).some((s) => {
    const statement = (s ?? {}) as Statement;
    const secure = statement.Condition?.Bool?.["aws:SecureTransport"];
    return statement.Effect === "Deny" && String(secure) === "false";
  });
}

/** A bucket reachable over plain HTTP lets credentials and objects travel in clear text. */
export const s3BucketTlsOnly = {
  name: "aws-s3-bucket-tls-only",
  description:
    'Every S3 bucket must have a bucket policy that denies requests without TLS; add a BucketPolicy with a Deny statement on Condition {"Bool": {"aws:SecureTransport": "false"}}.',
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    for (const [bucket, policies] of companionsByBucket(args.resources, companionTypes.policy)) {
      if (!policies.some((p) => deniesInsecureTransport(read(p.props, "policy")))) {
        reportViolation(
          `Bucket ${bucketLabel(bucket)} accepts requests without TLS; add a bucket policy denying aws:SecureTransport "false".`,
          bucket.urn,
        );
      }
    }
  },
} satisfies StackValidationPolicy;
