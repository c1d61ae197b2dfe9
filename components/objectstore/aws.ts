import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createServiceKey } from "../aws/kms";
import { ComponentError } from "../errors";
import type { AwsPlacement } from "../placement";
import type { BucketSettings, ObjectStoreArgs, ObjectStoreOutputs } from "./index";

/** Multipart uploads never completed are cleaned up after this many days. */
export const abortIncompleteUploadDays = 7;

/** S3's rules on the args, one line each; `objectStoreArgProblems` gathers them. */
export function s3Problems(args: ObjectStoreArgs & { readonly placement: AwsPlacement }): string[] {
  const problems: string[] = [];
  if (args.crossRegionReplication && !args.placement.replicaRegion) {
    problems.push(
      "crossRegionReplication is on but the placement has no replicaRegion; set platform:aws.replicaRegion",
    );
  }
  const roles = args.buckets.map((b) => b.role);
  const duplicate = roles.find((r, i) => roles.indexOf(r) !== i);
  if (duplicate !== undefined) problems.push(`bucket role "${duplicate}" is given twice`);
  return problems;
}

interface SecureBucket {
  readonly bucket: aws.s3.Bucket;
  readonly versioning: aws.s3.BucketVersioning;
}

/**
 * One bucket as every bucket here is: public access blocked on all four counts, owner
 * enforced (no ACLs), versioned, SSE-KMS with a bucket key, TLS-only, with a lifecycle.
 */
function createSecureBucket(
  name: string,
  settings: BucketSettings,
  key: aws.kms.Key,
  tags: Readonly<Record<string, string>>,
  opts: pulumi.CustomResourceOptions,
  protect: boolean,
): SecureBucket {
  const bucket = new aws.s3.Bucket(
    name,
    { forceDestroy: false, tags: { ...tags, Name: name, Role: settings.role } },
    { ...opts, protect },
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: key.arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    },
    opts,
  );
  new aws.s3.BucketPolicy(
    `${name}-tls-only`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "retention",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadDays },
          ...(settings.infrequentAccessAfterDays > 0 && {
            transitions: [
              { days: settings.infrequentAccessAfterDays, storageClass: "STANDARD_IA" },
            ],
          }),
          ...(settings.expireAfterDays > 0 &&
            settings.expirePrefixes === undefined && {
              expiration: { days: settings.expireAfterDays },
            }),
        },
        ...expirationRules(settings),
      ],
    },
    { ...opts, dependsOn: [versioning] },
  );
  return { bucket, versioning };
}

/**
 * One expiration rule per listed prefix, beside the bucket-wide rule: S3 applies overlapping
 * rules together, and keys under no listed prefix never expire.
 */
function expirationRules(
  settings: BucketSettings,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  if (settings.expireAfterDays <= 0) return [];
  return (settings.expirePrefixes ?? []).map((prefix) => ({
    id: `expire-${prefix}`,
    status: "Enabled",
    filter: { prefix: `${prefix}/` },
    expiration: { days: settings.expireAfterDays },
  }));
}

/**
 * S3 buckets by role, each secure as `createSecureBucket` says; with replication on, a
 * replica of each in the placement's replica region (its own provider and KMS key) and a
 * role S3 replicates with.
 */
export function createAwsObjectStore(
  name: string,
  args: ObjectStoreArgs & { placement: AwsPlacement },
  parent: pulumi.Resource,
): ObjectStoreOutputs {
  const replicaRegion = args.placement.replicaRegion;
  const problems = s3Problems(args);
  if (problems.length > 0) throw new ComponentError("ObjectStore", name, problems);
  const opts = { parent };
  const protect = args.deletionProtection;
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
  const region = aws.getRegionOutput({}, opts).region;

  const key = createServiceKey(
    `${name}-key`,
    { description: `${identifier}: objects`, protect, tags: args.tags },
    opts,
  );
  const primary = args.buckets.map((settings) => ({
    settings,
    ...createSecureBucket(`${name}-${settings.role}`, settings, key, args.tags, opts, protect),
  }));

  const replicaBucketNames: Record<string, pulumi.Output<string>> = {};
  if (args.crossRegionReplication && replicaRegion) {
    const replicaProvider = new aws.Provider(
      `${name}-replica-provider`,
      { region: replicaRegion as aws.Region, defaultTags: { tags: args.tags } },
      opts,
    );
    const replicaOpts = { parent, provider: replicaProvider };
    const replicaKey = createServiceKey(
      `${name}-replica-key`,
      { description: `${identifier}: replicated objects`, protect, tags: args.tags },
      replicaOpts,
    );
    const replicas = primary.map((p) => ({
      ...p,
      replica: createSecureBucket(
        `${name}-${p.settings.role}-replica`,
        p.settings,
        replicaKey,
        args.tags,
        replicaOpts,
        protect,
      ),
    }));

    const role = new aws.iam.Role(
      `${name}-replication-role`,
      {
        description: `${identifier}: S3 cross-region replication`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags: args.tags,
      },
      opts,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-replication-policy`,
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
              Resource: replicas.map((r) => r.bucket.arn),
            },
            {
              Effect: "Allow",
              Action: [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
              ],
              Resource: replicas.map((r) => pulumi.interpolate`${r.bucket.arn}/*`),
            },
            {
              Effect: "Allow",
              Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
              Resource: replicas.map((r) => pulumi.interpolate`${r.replica.bucket.arn}/*`),
            },
            { Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn },
            { Effect: "Allow", Action: "kms:Encrypt", Resource: replicaKey.arn },
          ],
        }),
      },
      opts,
    );
    for (const r of replicas) {
      new aws.s3.BucketReplicationConfig(
        `${name}-${r.settings.role}-replication`,
        {
          bucket: r.bucket.id,
          role: role.arn,
          rules: [
            {
              id: "replicate-all",
              status: "Enabled",
              priority: 1,
              filter: { prefix: "" },
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: r.replica.bucket.arn,
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: replicaKey.arn },
              },
            },
          ],
        },
        { parent, dependsOn: [r.versioning, r.replica.versioning, rolePolicy] },
      );
      replicaBucketNames[r.settings.role] = r.replica.bucket.bucket;
    }
  }

  return {
    bucketNames: Object.fromEntries(primary.map((p) => [p.settings.role, p.bucket.bucket])),
    endpoint: pulumi.interpolate`https://s3.${region}.amazonaws.com`,
    replicaBucketNames,
    keyArn: key.arn,
  };
}
