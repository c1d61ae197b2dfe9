import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketKeyThroughS3Statement, prefixReadWriteStatement } from "../aws/s3-prefix";
import { irsaTrustPolicy } from "../cluster/aws";
import { ComponentError } from "../errors";
import { clusterIdentityRequired, type ObservabilityContext } from "./index";

/** An IAM policy document as the cloud receives it. */
export type PolicyDocument = Record<string, unknown>;

/** `system:serviceaccount:<namespace>:<name>`, the subject an IRSA trust policy names. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * What Fluent Bit may do: create streams in, and write events to, its own log group. The
 * group exists already (`auto_create_group false`), so no `logs:CreateLogGroup`.
 */
export function fluentBitPolicy(...logGroupArns: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: logGroupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]),
      },
    ],
  };
}

/** Where Velero writes, and where the volume snapshots it takes live. */
export interface VeleroScope {
  readonly bucket: string;
  /** Key prefix inside the bucket, without slashes ("k8s-backups"). */
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * What Velero may do: list, read and write objects under its prefix of the backups bucket
 * only; use KMS only through S3 for that bucket (the bucket's SSE-KMS key, whichever it
 * is, with the bucket ARN as encryption context since bucket keys are on) and through EC2 for
 * volume snapshots; take EBS snapshots in the region and delete only the snapshots it tagged.
 */
export function veleroPolicy(scope: VeleroScope): PolicyDocument {
  const { bucket, prefix, region, accountId } = scope;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const volumes = `arn:aws:ec2:${region}:${accountId}:volume/*`;
  const snapshots = `arn:aws:ec2:${region}::snapshot/*`;
  const viaEc2 = { "kms:ViaService": `ec2.${region}.amazonaws.com` };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListOwnPrefix",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": [`${prefix}/`, `${prefix}/*`] } },
      },
      prefixReadWriteStatement(bucketArn, prefix),
      // Velero is not told the bucket's key: "*", held to this bucket by the context.
      bucketKeyThroughS3Statement(bucketArn, region, "*"),
      {
        Sid: "DescribeVolumesAndSnapshots",
        Effect: "Allow",
        Action: ["ec2:DescribeSnapshots", "ec2:DescribeVolumes"],
        Resource: ["*"],
      },
      {
        Sid: "SnapshotAndRestoreVolumes",
        Effect: "Allow",
        Action: ["ec2:CreateSnapshot", "ec2:CreateTags", "ec2:CreateVolume"],
        Resource: [volumes, snapshots],
      },
      {
        Sid: "DeleteOwnSnapshots",
        Effect: "Allow",
        Action: ["ec2:DeleteSnapshot"],
        Resource: [snapshots],
        Condition: { StringLike: { "aws:ResourceTag/velero.io/backup": "*" } },
      },
      {
        Sid: "UseVolumeKeysThroughEc2",
        Effect: "Allow",
        Action: [
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
        ],
        Resource: ["*"],
        Condition: { StringEquals: viaEc2 },
      },
      {
        Sid: "GrantVolumeKeysToEc2",
        Effect: "Allow",
        Action: ["kms:CreateGrant"],
        Resource: ["*"],
        Condition: { StringEquals: viaEc2, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/** One IAM role trusted by exactly one service account, with one inline policy. */
function serviceAccountRole(
  ctx: ObservabilityContext,
  role: string,
  purpose: string,
  namespace: pulumi.Input<string>,
  serviceAccount: string,
  policy: pulumi.Output<PolicyDocument>,
): { id: pulumi.Output<string>; ready: pulumi.Resource[] } {
  const { name, args, parent } = ctx;
  const identity = args.clusterIdentity;
  if (!identity) throw new ComponentError("Observability", name, [clusterIdentityRequired]);
  const iamRole = new aws.iam.Role(
    `${name}-${role}-role`,
    {
      description: `${purpose} of ${args.clusterName} (IAM role for its service account)`,
      assumeRolePolicy: pulumi
        .all([identity.oidcProviderArn, identity.oidcIssuer, namespace])
        .apply(([arn, issuer, ns]) =>
          JSON.stringify(irsaTrustPolicy(arn, issuer, serviceAccountSubject(ns, serviceAccount))),
        ),
      tags: args.tags,
    },
    { parent },
  );
  const inline = new aws.iam.RolePolicy(
    `${name}-${role}-policy`,
    { role: iamRole.id, policy: policy.apply((p) => JSON.stringify(p)) },
    { parent },
  );
  return { id: iamRole.arn, ready: [inline] };
}

/** Fluent Bit's role: trusted by its service account only, writing its own log group only. */
export function createFluentBitRole(
  ctx: ObservabilityContext,
  namespace: string,
  serviceAccount: string,
  logGroupArns: pulumi.Output<string>[],
): { id: pulumi.Output<string>; ready: pulumi.Resource[] } {
  return serviceAccountRole(
    ctx,
    "logging",
    "Fluent Bit",
    namespace,
    serviceAccount,
    pulumi.all(logGroupArns).apply((arns) => fluentBitPolicy(...arns)),
  );
}

/** Velero's role: trusted by its server's service account only, scoped to its prefix. */
export function createVeleroRole(
  ctx: ObservabilityContext,
  serviceAccount: string,
  bucket: pulumi.Input<string>,
  prefix: string,
): { id: pulumi.Output<string>; ready: pulumi.Resource[] } {
  const { args, parent } = ctx;
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const region = args.region ?? "";
  const policy = pulumi
    .all([bucket, identity.accountId])
    .apply(([b, accountId]) => veleroPolicy({ bucket: b, prefix, region, accountId }));
  return serviceAccountRole(ctx, "velero", "Velero", args.namespace, serviceAccount, policy);
}
