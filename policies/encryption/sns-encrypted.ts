import { isSet, read, resourcePolicy } from "../lib";

/** Notifications carry payloads of every publisher; they stay encrypted on disk. */
export const snsEncrypted = resourcePolicy(
  {
    name: "aws-sns-encrypted",
    description:
      "SNS topics must encrypt messages at rest; set kmsMasterKeyId (alias/aws/sns or a customer key).",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  ["aws:sns/topic:Topic"],
  (props, args) =>
    isSet(read(props, "kmsMasterKeyId"))
      ? []
      : [`${args.name}: messages are not encrypted; set kmsMasterKeyId.`],
);
