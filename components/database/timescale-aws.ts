import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketKeyThroughS3Statement, prefixReadWriteStatement } from "../aws/s3-prefix";
import { irsaTrustPolicy } from "../cluster/aws";
import type { KubernetesDatabasePlacement } from "./index";

/** Key prefix of the backups bucket that base backups and WAL go under. */
export const backupPrefix = "postgres";

/** Where the instances write, as the role's policy scopes it. */
export interface BackupScope {
  readonly bucket: string;
  readonly keyArn: string;
  readonly region: string;
}

/**
 * What the instances' backup sidecar may do: find the bucket (barman-cloud's HeadBucket
 * needs `s3:ListBucket` on the bucket itself, which carries no prefix to condition on);
 * read, write and, under the retention policy, delete objects under `postgres/` only; use
 * the bucket's KMS key through S3 for that bucket only (bucket keys are on, so the
 * encryption context is the bucket's ARN).
 */
export function backupPolicy(scope: BackupScope): Record<string, unknown> {
  const bucketArn = `arn:aws:s3:::${scope.bucket}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "FindBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
      prefixReadWriteStatement(bucketArn, backupPrefix),
      bucketKeyThroughS3Statement(bucketArn, scope.region, scope.keyArn),
    ],
  };
}

/**
 * The IAM role the instances' service account assumes (IRSA): trusted by that one service
 * account (CloudNativePG names it after the Cluster), allowed `backupPolicy` only. The
 * returned policy is what the Cluster must wait for: without it the first WAL upload fails.
 */
export function createBackupRole(
  name: string,
  placement: KubernetesDatabasePlacement,
  serviceAccount: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): { roleArn: pulumi.Output<string>; ready: aws.iam.RolePolicy } {
  const subject = `system:serviceaccount:${placement.namespace}:${serviceAccount}`;
  const role = new aws.iam.Role(
    `${name}-backup-role`,
    {
      description: `PostgreSQL ${placement.namespace}/${serviceAccount}: base backups and WAL to S3`,
      assumeRolePolicy: pulumi
        .all([placement.oidcProviderArn, placement.oidcIssuer])
        .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, subject))),
      tags,
    },
    { parent },
  );
  const ready = new aws.iam.RolePolicy(
    `${name}-backup-policy`,
    {
      role: role.id,
      policy: pulumi
        .all([placement.backupBucket, placement.backupKeyArn])
        .apply(([bucket, keyArn]) =>
          JSON.stringify(backupPolicy({ bucket, keyArn, region: placement.region })),
        ),
    },
    { parent },
  );
  return { roleArn: role.arn, ready };
}
