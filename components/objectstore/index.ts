import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { ComponentError, refuseArgs } from "../errors";
import { unsupportedTargetProblem } from "../unsupported";
import { createAwsObjectStore, s3Problems } from "./aws";
import { createGcsKey, createGcsObjectStore, gcsProblems } from "./gcp";
import { createLocalObjectStore } from "./local";

/** One bucket's purpose and retention. */
export interface BucketSettings {
  /** Role of the bucket ("uploads", "backups"); part of its name. */
  readonly role: string;
  /** Days before noncurrent versions expire. */
  readonly noncurrentVersionDays: number;
  /** Days before current objects move to infrequent-access storage (0: never; else >= 30). */
  readonly infrequentAccessAfterDays: number;
  /** Days before current objects expire (0: never). */
  readonly expireAfterDays: number;
  /**
   * Key prefixes (without slashes) whose current objects expire after `expireAfterDays`; every
   * other key never expires. S3 lifecycle filters cannot exclude a prefix, so a prefix whose
   * objects must only be deleted by their writer (OpenSearch's incremental snapshots under
   * `search/`) is kept by leaving it out of this list. @default every key of the bucket
   */
  readonly expirePrefixes?: readonly string[];
}

/** The ObjectStore contract: private, encrypted, versioned buckets (S3, GCS or MinIO). */
export interface ObjectStoreSettings {
  /**
   * @default "uploads" (noncurrent versions kept 30 days, infrequent access after 90, kept
   * forever) and "backups" (seed 003: monthly backups kept 365 days, so objects expire after
   * 365; noncurrent versions after 7, the daily retention; infrequent access after 30, the
   * weekly retention). In "backups" only Velero's `k8s-backups/` and the database's `postgres/`
   * expire: OpenSearch's snapshots under `search/` are incremental (a blob written once stays
   * in every later snapshot), so only OpenSearch's snapshot deletion removes them.
   */
  readonly buckets: readonly BucketSettings[];
  /** Replicate every bucket to a second region. @default true in prod (seed 001: us-east-1 -> us-west-2), false otherwise */
  readonly crossRegionReplication: boolean;
  /** `protect` the buckets and their key. @default true in prod, false otherwise */
  readonly deletionProtection: boolean;
}

export const uploadsBucket: BucketSettings = {
  role: "uploads",
  noncurrentVersionDays: 30,
  infrequentAccessAfterDays: 90,
  expireAfterDays: 0,
};
export const backupsBucket: BucketSettings = {
  role: "backups",
  noncurrentVersionDays: 7,
  infrequentAccessAfterDays: 30,
  expireAfterDays: 365,
  // Velero's prefix (observability/velero.ts) and the Barman Cloud prefix (database/timescale-aws.ts).
  expirePrefixes: ["k8s-backups", "postgres"],
};
/** What a bucket named only in config gets for the settings it leaves out. */
export const extraBucketDefaults: Omit<BucketSettings, "role"> = {
  noncurrentVersionDays: 30,
  infrequentAccessAfterDays: 0,
  expireAfterDays: 0,
};

export const objectStoreDefaults: PerTier<ObjectStoreSettings> = {
  dev: {
    buckets: [uploadsBucket, backupsBucket],
    crossRegionReplication: false,
    deletionProtection: false,
  },
  staging: {
    buckets: [uploadsBucket, backupsBucket],
    crossRegionReplication: false,
    deletionProtection: false,
  },
  prod: {
    buckets: [uploadsBucket, backupsBucket],
    crossRegionReplication: true,
    deletionProtection: true,
  },
};

/** Whether a stack builds its buckets unless its config says otherwise. @default true */
export const objectStoreEnabledDefaults: PerTier<boolean> = {
  dev: true,
  staging: true,
  prod: true,
};

export interface ObjectStoreArgs extends ObjectStoreSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * GCS only: region of the buckets (with `crossRegionReplication`, its continent's
   * multi-region); required on target "gcp". Ignored elsewhere (AWS buckets live in the
   * provider's region).
   */
  readonly region?: string;
  /**
   * GCS only: Cloud KMS key every bucket encrypts new objects with.
   * @default a key of the store's own (`<name>-key`, rotated every 90 days)
   */
  readonly kmsKeyName?: pulumi.Input<string>;
}

export interface ObjectStoreOutputs {
  /** Bucket names by role. */
  readonly bucketNames: Readonly<Record<string, pulumi.Output<string>>>;
  /** S3-compatible endpoint (MinIO in-cluster; the regional endpoint on AWS). */
  readonly endpoint: pulumi.Output<string>;
  /** Names of the replica buckets by role, when replication is on. */
  readonly replicaBucketNames: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * AWS: ARN of the KMS key the buckets encrypt objects with (SSE-KMS); whoever reads them
   * needs `kms:Decrypt` on it.
   */
  readonly keyArn?: pulumi.Output<string>;
  /** In a cluster: MinIO's root access key, which clients sign with. Secret. */
  readonly accessKey?: pulumi.Output<string>;
  /** In a cluster: MinIO's root secret key. Secret. */
  readonly secretKey?: pulumi.Output<string>;
}

const gcsRegionRequired = 'region is required on target "gcp" (e.g. "us-central1")';

/**
 * Problems with the args, one line each, the placement's target's own rules included; the
 * constructor refuses args that have any.
 */
export function objectStoreArgProblems(args: ObjectStoreArgs): string[] {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return s3Problems({ ...args, placement });
    case "gcp":
      if (args.region === undefined) return [gcsRegionRequired];
      return gcsProblems({ ...args, placement, region: args.region });
    case "local":
      return [];
    default:
      return [unsupportedTargetProblem(placement, ["aws", "gcp", "local"])];
  }
}

/** Private, encrypted, versioned buckets with retention, built on the placement's target. */
export class ObjectStore extends pulumi.ComponentResource implements ObjectStoreOutputs {
  readonly bucketNames: Readonly<Record<string, pulumi.Output<string>>>;
  readonly endpoint: pulumi.Output<string>;
  readonly replicaBucketNames: Readonly<Record<string, pulumi.Output<string>>>;
  readonly keyArn?: pulumi.Output<string>;
  readonly accessKey?: pulumi.Output<string>;
  readonly secretKey?: pulumi.Output<string>;

  constructor(name: string, args: ObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("ObjectStore", name, objectStoreArgProblems(args));
    super("platform:index:ObjectStore", name, {}, opts);
    const built = build(name, args, this);
    this.bucketNames = built.bucketNames;
    this.endpoint = built.endpoint;
    this.replicaBucketNames = built.replicaBucketNames;
    this.keyArn = built.keyArn;
    this.accessKey = built.accessKey;
    this.secretKey = built.secretKey;
    this.registerOutputs({
      bucketNames: this.bucketNames,
      endpoint: this.endpoint,
      replicaBucketNames: this.replicaBucketNames,
      keyArn: this.keyArn,
      accessKey: this.accessKey,
      secretKey: this.secretKey,
    });
  }
}

function build(name: string, args: ObjectStoreArgs, parent: pulumi.Resource): ObjectStoreOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsObjectStore(name, { ...args, placement }, parent);
    case "gcp": {
      if (args.region === undefined)
        throw new ComponentError("ObjectStore", name, [gcsRegionRequired]);
      const gcs = { ...args, placement, region: args.region };
      // As on AWS, the buckets get a customer key of their own unless one is given.
      const kmsKeyName = args.kmsKeyName ?? createGcsKey(name, gcs, parent);
      return createGcsObjectStore(name, { ...gcs, kmsKeyName }, parent);
    }
    case "local":
      return createLocalObjectStore(name, { ...args, placement }, parent);
  }
}
