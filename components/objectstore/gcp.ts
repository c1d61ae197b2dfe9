import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcsLocationOf, replicableGcpRegions } from "../../config/catalog/gcp-regions";
import { collectProblems, ComponentError } from "../errors";
import { gcpLabels } from "../gcp/labels";
import type { GcpPlacement } from "../placement";
import type { BucketSettings, ObjectStoreArgs, ObjectStoreOutputs } from "./index";

export interface GcsObjectStoreArgs extends ObjectStoreArgs {
  readonly placement: GcpPlacement;
  /** Region of the buckets; with `crossRegionReplication` its continent's multi-region. */
  readonly region: string;
  /**
   * Cloud KMS key (`projects/.../cryptoKeys/...`) every bucket encrypts new objects with; the
   * project's Cloud Storage service agent is granted encrypt/decrypt on it.
   * @default Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
}

/** Rotation period of the buckets' own key: 90 days. */
export const bucketKeyRotationPeriod = "7776000s";

/**
 * The buckets' own Cloud KMS key, in the buckets' location (a multi-region bucket needs a key
 * in the matching multi-region), rotated every 90 days and protected with the buckets.
 */
export function createGcsKey(
  name: string,
  args: Pick<
    GcsObjectStoreArgs,
    "region" | "crossRegionReplication" | "deletionProtection" | "tags"
  >,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const location = kmsLocationOf(gcsLocation(args.region, args.crossRegionReplication));
  // Key rings can never be deleted: an auto-name (random suffix) lets a stack be destroyed
  // and built again, or a second stack share the project, without a name clash.
  const keyRing = new gcp.kms.KeyRing(`${name}-keyring`, { location }, { parent });
  const key = new gcp.kms.CryptoKey(
    `${name}-key`,
    {
      name: `${name}-key`,
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: bucketKeyRotationPeriod,
      labels: gcpLabels(args.tags),
    },
    { parent, protect: args.deletionProtection },
  );
  return key.id;
}

/**
 * The Cloud KMS location matching a GCS location: a region's own name, or for a multi-region
 * Cloud KMS's multi-region, which it calls `europe` where GCS says `EU`.
 */
export function kmsLocationOf(gcsLocationName: string): string {
  const multiRegions: Readonly<Record<string, string>> = { US: "us", EU: "europe", ASIA: "asia" };
  return multiRegions[gcsLocationName] ?? gcsLocationName.toLowerCase();
}

/** Days before an unfinished multipart (XML API) upload is aborted. */
export const abortIncompleteUploadDays = 7;

/**
 * Where the buckets live: the region itself, or with cross-region replication the
 * multi-region of its continent (objects stored geo-redundantly in two or more regions).
 */
export function gcsLocation(region: string, crossRegionReplication: boolean): string {
  if (!crossRegionReplication) return region.toUpperCase();
  const multiRegion = gcsLocationOf(region, true);
  if (multiRegion === undefined) {
    throw new ComponentError("gcsLocation", JSON.stringify(region), [
      `crossRegionReplication: region "${region}" has no GCS multi-region; use one of ${replicableGcpRegions.join(", ")}`,
    ]);
  }
  return multiRegion;
}

/** GCS lifecycle rules for one bucket's retention settings. */
export function gcsLifecycleRules(
  bucket: BucketSettings,
): gcp.types.input.storage.BucketLifecycleRule[] {
  const rules: gcp.types.input.storage.BucketLifecycleRule[] = [
    {
      action: { type: "Delete" },
      condition: { daysSinceNoncurrentTime: bucket.noncurrentVersionDays, withState: "ARCHIVED" },
    },
    {
      action: { type: "AbortIncompleteMultipartUpload" },
      condition: { age: abortIncompleteUploadDays },
    },
  ];
  if (bucket.infrequentAccessAfterDays > 0) {
    rules.push({
      action: { type: "SetStorageClass", storageClass: "NEARLINE" },
      condition: { age: bucket.infrequentAccessAfterDays, withState: "LIVE" },
    });
  }
  if (bucket.expireAfterDays > 0) {
    rules.push({
      action: { type: "Delete" },
      condition: {
        age: bucket.expireAfterDays,
        withState: "LIVE",
        ...(bucket.expirePrefixes && {
          matchesPrefixes: bucket.expirePrefixes.map((p) => `${p}/`),
        }),
      },
    });
  }
  return rules;
}

/** GCS's rules on the args, one line each; `objectStoreArgProblems` gathers them. */
export function gcsProblems(args: GcsObjectStoreArgs): string[] {
  const problems: string[] = [];
  gcsShape(args, problems);
  return problems;
}

/** The buckets' location the args ask for; every problem with the args goes to `problems`. */
function gcsShape(args: GcsObjectStoreArgs, problems: string[]): string | undefined {
  const roles = args.buckets.map((b) => b.role);
  const duplicated = roles.filter((r, i) => roles.indexOf(r) !== i);
  if (duplicated.length > 0) problems.push(`bucket roles repeat: ${duplicated.join(", ")}`);
  for (const b of args.buckets) {
    if (!/^[a-z0-9-]{1,20}$/.test(b.role)) {
      problems.push(`bucket role "${b.role}": expected 1-20 lowercase letters, digits or hyphens`);
    }
    if (!Number.isInteger(b.noncurrentVersionDays) || b.noncurrentVersionDays < 1) {
      problems.push(
        `bucket ${b.role}: noncurrentVersionDays ${b.noncurrentVersionDays}; expected >= 1`,
      );
    }
    if (b.expireAfterDays > 0 && b.infrequentAccessAfterDays >= b.expireAfterDays) {
      problems.push(
        `bucket ${b.role}: infrequentAccessAfterDays ${b.infrequentAccessAfterDays} is not before expireAfterDays ${b.expireAfterDays}`,
      );
    }
  }
  return collectProblems(() => gcsLocation(args.region, args.crossRegionReplication), problems);
}

/**
 * One GCS bucket per role: uniform bucket-level access (no object ACLs), public access
 * prevention enforced, versioning, lifecycle from the settings, optional customer key.
 * Prod buckets are protected.
 */
export function createGcsObjectStore(
  name: string,
  args: GcsObjectStoreArgs,
  parent: pulumi.Resource,
): ObjectStoreOutputs {
  const problems: string[] = [];
  const location = gcsShape(args, problems);
  if (location === undefined || problems.length > 0) {
    throw new ComponentError("ObjectStore", name, problems);
  }
  const labels = gcpLabels(args.tags);

  let dependsOn: pulumi.Resource[] = [];
  if (args.kmsKeyName !== undefined) {
    const agent = gcp.storage.getProjectServiceAccountOutput({}, { parent });
    dependsOn = [
      new gcp.kms.CryptoKeyIAMMember(
        `${name}-kms-gcs`,
        {
          cryptoKeyId: args.kmsKeyName,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member: pulumi.interpolate`serviceAccount:${agent.emailAddress}`,
        },
        { parent },
      ),
    ];
  }

  const bucketNames: Record<string, pulumi.Output<string>> = {};
  for (const settings of args.buckets) {
    const bucket = new gcp.storage.Bucket(
      `${name}-${settings.role}`,
      {
        location,
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        lifecycleRules: gcsLifecycleRules(settings),
        forceDestroy: false,
        ...(args.kmsKeyName !== undefined
          ? { encryption: { defaultKmsKeyName: args.kmsKeyName } }
          : {}),
        labels: { ...labels, role: settings.role },
      },
      { parent, protect: args.deletionProtection, dependsOn },
    );
    bucketNames[settings.role] = bucket.name;
  }
  // A multi-region bucket is its own replica: no second set of buckets.
  return {
    bucketNames,
    replicaBucketNames: {},
    endpoint: pulumi.output("https://storage.googleapis.com"),
  };
}

export interface S3ToGcsTransferArgs {
  /** S3 bucket copied from (the primary's backups bucket). */
  readonly sourceBucket: pulumi.Input<string>;
  /**
   * AWS IAM role Storage Transfer Service assumes with its Google identity
   * (`accounts.google.com`, subject = the `transferServiceSubjectId` output).
   */
  readonly roleArn: pulumi.Input<string>;
  /** GCS bucket copied into (the standby's backups bucket). */
  readonly sinkBucket: pulumi.Input<string>;
  /** Minutes between runs when no event stream is given; Storage Transfer's minimum is 60. @default 60 */
  readonly intervalMinutes: number;
  /**
   * ARN of an SQS queue receiving the source bucket's object-created notifications: the job
   * then copies each object as it lands instead of on a schedule. @default none (scheduled)
   */
  readonly eventQueueArn?: pulumi.Input<string>;
}

/**
 * What Storage Transfer's service agent needs on the sink bucket ("Configure access to a
 * sink: Cloud Storage"): `storage.buckets.get` (the bucket's location), `objects.create`,
 * `objects.delete` and `objects.list`, which Storage Legacy Bucket Writer grants, and
 * `storage.objects.get`, which overwriting only objects that differ needs (Storage Object
 * Viewer).
 */
export const transferSinkRoles = [
  { suffix: "writer", role: "roles/storage.legacyBucketWriter" },
  { suffix: "reader", role: "roles/storage.objectViewer" },
] as const;

/** Day the schedule starts on; a date in the past starts the job at once. */
export const transferScheduleStart = { year: 2026, month: 1, day: 1 } as const;

export interface S3ToGcsTransferOutputs {
  readonly jobName: pulumi.Output<string>;
  /** Subject id of the Storage Transfer service account, for the AWS role's trust policy. */
  readonly transferServiceSubjectId: pulumi.Output<string>;
}

/**
 * Copies the primary's S3 backups into the standby's GCS bucket with Storage Transfer
 * Service: new and changed objects only, nothing deleted at the sink (a deletion on AWS must
 * not reach the standby's copy).
 */
export function createS3ToGcsTransfer(
  name: string,
  args: S3ToGcsTransferArgs,
  parent: pulumi.Resource,
): S3ToGcsTransferOutputs {
  if (
    args.eventQueueArn === undefined &&
    !(Number.isInteger(args.intervalMinutes) && args.intervalMinutes >= 60)
  ) {
    throw new ComponentError("S3ToGcsTransfer", name, [
      `intervalMinutes is ${args.intervalMinutes}; Storage Transfer Service runs at most hourly (expected a whole number >= 60)`,
    ]);
  }
  const opts = { parent };
  const transferAccount = gcp.storage.getTransferProjectServiceAccountOutput({}, opts);
  const sinkGrants = transferSinkRoles.map(
    ({ suffix, role }) =>
      new gcp.storage.BucketIAMMember(
        `${name}-sink-${suffix}`,
        {
          bucket: args.sinkBucket,
          role,
          member: pulumi.interpolate`serviceAccount:${transferAccount.email}`,
        },
        opts,
      ),
  );
  const job = new gcp.storage.TransferJob(
    `${name}-transfer`,
    {
      description: `${name}: S3 backups to the GCS standby`,
      status: "ENABLED",
      transferSpec: {
        awsS3DataSource: { bucketName: args.sourceBucket, roleArn: args.roleArn },
        gcsDataSink: { bucketName: args.sinkBucket },
        transferOptions: {
          overwriteWhen: "DIFFERENT",
          deleteObjectsUniqueInSink: false,
          deleteObjectsFromSourceAfterTransfer: false,
        },
      },
      ...(args.eventQueueArn !== undefined
        ? { eventStream: { name: args.eventQueueArn } }
        : {
            schedule: {
              scheduleStartDate: { ...transferScheduleStart },
              repeatInterval: `${args.intervalMinutes * 60}s`,
            },
          }),
    },
    { parent, dependsOn: sinkGrants },
  );
  return { jobName: job.name, transferServiceSubjectId: transferAccount.subjectId };
}
