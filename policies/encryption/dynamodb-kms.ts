import { block, isTrue, read, resourcePolicy } from "../lib";

/**
 * Without server-side encryption settings a table uses a key AWS owns: no key policy, no
 * CloudTrail record of its use, no way to revoke it.
 */
export const dynamodbKms = resourcePolicy(
  {
    name: "aws-dynamodb-kms",
    description:
      "DynamoDB tables (aws:dynamodb/table:Table) must encrypt with a KMS key; set serverSideEncryption.enabled: true and kmsKeyArn to a customer key (the AWS-managed aws/dynamodb key when unset).",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  ["aws:dynamodb/table:Table"],
  (props, args) =>
    isTrue(read(block(props, "serverSideEncryption"), "enabled"))
      ? []
      : [
          `${args.name}: the table is encrypted with a key AWS owns; set serverSideEncryption.enabled: true with kmsKeyArn.`,
        ],
);
