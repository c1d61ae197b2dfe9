import type * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../../config/tiers";
import type { Placement } from "../placement";

/** One bucket's purpose and retention. */
export interface BucketSettings {
  /** Role of the bucket ("uploads", "backups"); part of its name. */
  readonly role: string;
  /** Days before noncurrent versions expire. */
  readonly noncurrentVersionDays: number;
  /** Days before current objects move to infrequent-access storage (0: never). */
  readonly infrequentAccessAfterDays: number;
  /** Days before current objects expire (0: never). */
  readonly expireAfterDays: number;
}

/** The ObjectStore contract: private, encrypted, versioned buckets (S3, GCS or MinIO). */
export interface ObjectStoreSettings {
  readonly buckets: readonly BucketSettings[];
  /** Replicate every bucket to a second region. */
  readonly crossRegionReplication: boolean;
}

export interface ObjectStoreArgs extends ObjectStoreSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ObjectStoreOutputs {
  /** Bucket names by role. */
  readonly bucketNames: Readonly<Record<string, pulumi.Output<string>>>;
  /** S3-compatible endpoint (MinIO in-cluster; the regional endpoint on AWS). */
  readonly endpoint: pulumi.Output<string>;
}
