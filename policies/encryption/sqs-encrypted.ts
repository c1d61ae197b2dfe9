import { isSet, isTrue, read, resourcePolicy } from "../lib";

/** Queue messages carry payloads of every service that uses them; they stay encrypted on disk. */
export const sqsEncrypted = resourcePolicy(
  {
    name: "aws-sqs-encrypted",
    description:
      "SQS queues must encrypt messages at rest; set sqsManagedSseEnabled: true, or kmsMasterKeyId to a KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  ["aws:sqs/queue:Queue"],
  (props, args) =>
    isTrue(read(props, "sqsManagedSseEnabled")) || isSet(read(props, "kmsMasterKeyId"))
      ? []
      : [
          `${args.name}: messages are not encrypted; set sqsManagedSseEnabled: true or kmsMasterKeyId.`,
        ],
);
