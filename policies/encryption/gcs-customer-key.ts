import { block, isSet, read, resourcePolicy } from "../lib";

/** Google encrypts every object; a customer key adds revocation and an audit trail on top. */
export const gcsCustomerKey = resourcePolicy(
  {
    name: "gcp-gcs-customer-key",
    description:
      "GCS buckets should encrypt with a customer-managed Cloud KMS key; set encryption.defaultKmsKeyName. Advisory: Google-managed encryption is always on.",
    enforcementLevel: "advisory",
    severity: "low",
  },
  ["gcp:storage/bucket:Bucket"],
  (props, args) =>
    isSet(read(block(props, "encryption"), "defaultKmsKeyName"))
      ? []
      : [`${args.name}: objects use a Google-managed key; set encryption.defaultKmsKeyName.`],
);
