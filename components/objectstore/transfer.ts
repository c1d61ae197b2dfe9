import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createS3ToGcsTransfer } from "./gcp";

export interface BackupTransferArgs {
  /** Name of the primary's S3 bucket, copied from. */
  readonly sourceBucket: pulumi.Input<string>;
  /**
   * ARN of the KMS key the source bucket encrypts objects with (SSE-KMS): reading an object
   * decrypts it, so the role may `kms:Decrypt` with it. @default none (SSE-S3)
   */
  readonly sourceKeyArn?: pulumi.Input<string>;
  /** Name of the standby's GCS bucket of the same role, copied into. */
  readonly sinkBucket: pulumi.Input<string>;
  /** Minutes between runs; Storage Transfer Service runs at most hourly. @default 60 */
  readonly intervalMinutes?: number;
  /** Tags put on the AWS role. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Hourly: the shortest schedule Storage Transfer Service offers. */
export const defaultTransferIntervalMinutes = 60;

/**
 * What the transfer's AWS role needs on the source ("Configure access to a source: Amazon
 * S3"): list the bucket and find its region, read its objects, and decrypt them with the
 * bucket's KMS key when objects are SSE-KMS encrypted.
 */
export function transferReadPolicy(bucketArn: string, keyArn?: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/*` },
      ...(keyArn !== undefined
        ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn }]
        : []),
    ],
  });
}

/**
 * The standby's copy of one of the primary's buckets: an AWS role that only Google's Storage
 * Transfer service account can assume (web identity `accounts.google.com`, its subject id),
 * allowed to read that bucket (and decrypt with its key) and nothing else, and the transfer
 * job that copies new and changed objects into the standby's GCS bucket of the same role.
 * Needs an `aws` and a `gcp` provider.
 */
export class BackupTransfer extends pulumi.ComponentResource {
  readonly jobName: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: BackupTransferArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:BackupTransfer", name, {}, opts);
    const parent = { parent: this };
    const transferAccount = gcp.storage.getTransferProjectServiceAccountOutput({}, parent);
    const role = new aws.iam.Role(
      `${name}-reader`,
      {
        description: "Storage Transfer Service reads a bucket for the GCP standby",
        assumeRolePolicy: transferAccount.subjectId.apply((subject) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Federated: "accounts.google.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { "accounts.google.com:sub": subject } },
              },
            ],
          }),
        ),
        maxSessionDuration: 3600,
        tags: { ...args.tags },
      },
      parent,
    );
    const read = new aws.iam.RolePolicy(
      `${name}-reader`,
      {
        role: role.id,
        policy: pulumi
          .all([args.sourceBucket, args.sourceKeyArn])
          .apply(([bucket, key]) => transferReadPolicy(`arn:aws:s3:::${bucket}`, key)),
      },
      parent,
    );
    const transfer = createS3ToGcsTransfer(
      name,
      {
        sourceBucket: args.sourceBucket,
        sinkBucket: args.sinkBucket,
        // The job names the role only once it may read the bucket.
        roleArn: pulumi.all([role.arn, read.id]).apply(([arn]) => arn),
        intervalMinutes: args.intervalMinutes ?? defaultTransferIntervalMinutes,
      },
      this,
    );
    this.jobName = transfer.jobName;
    this.roleArn = role.arn;
    this.registerOutputs({ jobName: this.jobName, roleArn: this.roleArn });
  }
}
