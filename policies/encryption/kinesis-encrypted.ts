import { read, resourcePolicy, shown } from "../lib";

/** Kinesis stores every record for the retention period in clear text unless told otherwise. */
export const kinesisEncrypted = resourcePolicy(
  {
    name: "aws-kinesis-encrypted",
    description:
      'Kinesis data streams (aws:kinesis/stream:Stream) must encrypt records at rest; set encryptionType: "KMS" and kmsKeyId (alias/aws/kinesis or a customer key).',
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  ["aws:kinesis/stream:Stream"],
  (props, args) =>
    read(props, "encryptionType") === "KMS"
      ? []
      : [
          `${args.name}: encryptionType is ${shown(read(props, "encryptionType"))}; set it to "KMS" with kmsKeyId.`,
        ],
);
