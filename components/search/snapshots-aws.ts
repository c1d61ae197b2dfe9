import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SnapshotBucket } from "./index";

/** The service that assumes the snapshot role when it reads and writes the repository. */
export const snapshotService = "es.amazonaws.com";
/** Name the repository is registered under in the domain. */
export const snapshotRepository = "s3-snapshots";

export interface SearchSnapshots {
  readonly role: aws.iam.Role;
  readonly registrarPolicy: aws.iam.Policy;
}

/**
 * What a manual snapshot repository in S3 needs before the domain can be told of it:
 * - a role OpenSearch (`es.amazonaws.com`) assumes, allowed the bucket's prefix only and the
 *   bucket key through S3 (SSE-KMS objects need `kms:GenerateDataKey` and `kms:Decrypt`);
 * - a policy for whoever registers the repository: `iam:PassRole` on that role, only to
 *   OpenSearch, and the signed `_snapshot` and `_plugins/_sm` requests to the domain.
 * Registering is a request to the domain, not an AWS API call: the README says how.
 */
export function createSnapshotAccess(
  name: string,
  identifier: string,
  bucket: SnapshotBucket,
  domainArn: pulumi.Input<string>,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): SearchSnapshots {
  const opts = { parent };
  const bucketArn = pulumi.interpolate`arn:aws:s3:::${bucket.name}`;
  const role = new aws.iam.Role(
    `${name}-snapshot-role`,
    {
      description: `${identifier}: OpenSearch snapshots to S3`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: snapshotService },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-snapshot-access`,
    {
      role: role.name,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": [`${bucket.prefix}/*`] } },
          },
          {
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: pulumi.interpolate`${bucketArn}/${bucket.prefix}/*`,
          },
          {
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: bucket.keyArn,
            Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
          },
        ],
      }),
    },
    opts,
  );
  const registrarPolicy = new aws.iam.Policy(
    `${name}-snapshot-registrar`,
    {
      description: `${identifier}: register the S3 snapshot repository and its schedule`,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: role.arn,
            Condition: { StringEquals: { "iam:PassedToService": snapshotService } },
          },
          {
            Effect: "Allow",
            Action: ["es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete"],
            Resource: [
              pulumi.interpolate`${domainArn}/_snapshot/*`,
              pulumi.interpolate`${domainArn}/_plugins/_sm/*`,
            ],
          },
        ],
      }),
      tags,
    },
    opts,
  );
  return { role, registrarPolicy };
}
