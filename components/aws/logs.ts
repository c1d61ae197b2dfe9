import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface EncryptedLogGroupArgs {
  /** CloudWatch log group name, e.g. "/aws/eks/platform-prod/cluster". */
  readonly logGroupName: string;
  /** Days the log events are kept. */
  readonly retentionDays: number;
  /** KMS alias of the key, unique in the account and region, e.g. "alias/platform-prod-vpc-flow-logs". */
  readonly keyAlias: string;
  /** What the key protects, for its description. */
  readonly purpose: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `protect` the log group, so its history cannot be dropped by accident. @default false */
  readonly protect?: boolean;
}

export interface EncryptedLogGroup {
  readonly key: aws.kms.Key;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/**
 * A CloudWatch log group encrypted with its own customer key (rotated yearly). The key policy
 * keeps the account in charge and lets CloudWatch Logs use the key for this log group only.
 * Children: `${name}-key`, `${name}-key-alias`, `${name}`.
 */
export function createEncryptedLogGroup(
  name: string,
  args: EncryptedLogGroupArgs,
  parent: pulumi.Resource,
): EncryptedLogGroup {
  const opts = { parent };
  const account = aws.getCallerIdentityOutput({}, opts);
  const region = aws.getRegionOutput({}, opts);
  const policy = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          sid: "AccountAdministers",
          principals: [
            {
              type: "AWS",
              identifiers: [pulumi.interpolate`arn:aws:iam::${account.accountId}:root`],
            },
          ],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchLogsUsesForThisLogGroup",
          principals: [
            {
              type: "Service",
              identifiers: [pulumi.interpolate`logs.${region.region}.amazonaws.com`],
            },
          ],
          actions: [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
          ],
          resources: ["*"],
          conditions: [
            {
              test: "ArnEquals",
              variable: "kms:EncryptionContext:aws:logs:arn",
              values: [
                pulumi.interpolate`arn:aws:logs:${region.region}:${account.accountId}:log-group:${args.logGroupName}`,
              ],
            },
          ],
        },
      ],
    },
    opts,
  );
  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: `Encrypts ${args.purpose}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
      tags: { ...args.tags, Name: `${name}-key` },
    },
    opts,
  );
  new aws.kms.Alias(`${name}-key-alias`, { name: args.keyAlias, targetKeyId: key.keyId }, opts);
  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    {
      name: args.logGroupName,
      retentionInDays: args.retentionDays,
      kmsKeyId: key.arn,
      tags: { ...args.tags, Name: name },
    },
    { ...opts, protect: args.protect ?? false },
  );
  return { key, logGroup };
}
