import { isTrue, read, resourcePolicy } from "../lib";

/** Object ACLs bypass bucket IAM; uniform access makes IAM the only door. */
export const gcsUniformAccess = resourcePolicy(
  {
    name: "gcp-gcs-uniform-access",
    description:
      "GCS buckets must use uniform bucket-level access so only IAM grants access; set uniformBucketLevelAccess: true.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["gcp:storage/bucket:Bucket"],
  (props, args) =>
    isTrue(read(props, "uniformBucketLevelAccess"))
      ? []
      : [`${args.name}: object ACLs are enabled; set uniformBucketLevelAccess: true.`],
);
