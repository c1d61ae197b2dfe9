import type * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../../config/tiers";
import type { Placement } from "../placement";

/** The Cache contract: Redis 7 with AUTH and TLS, whichever target builds it. */
export interface CacheSettings {
  /** Redis major.minor version. @default "7.1" */
  readonly engineVersion: string;
  /** Size class on the target (an ElastiCache node type on AWS). */
  readonly nodeType: string;
  /** Nodes: one primary plus replicas. @default 3 in prod (seed 000) */
  readonly nodes: number;
  /** Automatic failover across zones. */
  readonly highAvailability: boolean;
  /** Days of snapshots kept (0: none). */
  readonly snapshotRetentionDays: number;
}

export interface CacheArgs extends CacheSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
}

export interface CacheOutputs {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** Secret. */
  readonly authToken: pulumi.Output<string>;
  /** `rediss://:token@host:port`. Secret. */
  readonly connectionString: pulumi.Output<string>;
}
