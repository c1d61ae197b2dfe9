import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { refuseArgs } from "../errors";
import { unsupportedTargetProblem } from "../unsupported";
import { createAwsCache, elasticacheProblems } from "./aws";
import { createGcpCache, memorystoreProblems } from "./gcp";
import { createLocalCache, localCacheProblems } from "./local";

/** The Cache contract: Redis 7 with AUTH and TLS, whichever target builds it. */
export interface CacheSettings {
  /** Redis major.minor version. @default "7.1" */
  readonly engineVersion: string;
  /**
   * Size class on the target (an ElastiCache node type on AWS).
   * @default "cache.r6g.large" in prod (seed 000), "cache.t4g.medium" in staging, "cache.t4g.micro" in dev
   */
  readonly nodeType: string;
  /** Nodes: one primary plus replicas. @default 3 in prod (seed 000), 2 in staging, 1 in dev */
  readonly nodes: number;
  /** Automatic failover across zones (Multi-AZ). @default true in prod (seed 000), false otherwise */
  readonly highAvailability: boolean;
  /** Days of snapshots kept (0: none). @default 7 in prod, 1 in staging, 0 in dev */
  readonly snapshotRetentionDays: number;
  /** Days the slow log is kept. @default 30 in prod and staging (seed 003 database logs), 7 in dev */
  readonly slowLogRetentionDays: number;
  /** `protect` the cache and take a final snapshot on deletion. @default true in prod, false otherwise */
  readonly deletionProtection: boolean;
  /**
   * Redis settings the target lets a user change (an ElastiCache parameter group, Memorystore
   * `redisConfigs`), e.g. `maxmemory-policy: allkeys-lru` (seed 003). Neither takes
   * `maxmemory` (the node size sets it) or `appendonly` (see `unsupportedRedisParameters`).
   * @default {} (the target's defaults: `default.redis7` on AWS)
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * Redis settings neither ElastiCache nor Memorystore accepts, and why. ElastiCache offers
 * append-only files only on Redis 2.8.21 and older, and Memorystore not at all; both size
 * `maxmemory` from the node type.
 */
export const unsupportedRedisParameters: Readonly<Record<string, string>> = {
  appendonly:
    "managed Redis 7 has no append-only file; snapshots (snapshotRetentionDays) and replicas (highAvailability) are what it offers",
  appendfsync: "managed Redis 7 has no append-only file",
  maxmemory: "the node type sets maxmemory; choose nodeType instead",
};

const common = { engineVersion: "7.1", parameters: {} } as const;

export const cacheDefaults: PerTier<CacheSettings> = {
  dev: {
    ...common,
    nodeType: "cache.t4g.micro",
    nodes: 1,
    highAvailability: false,
    snapshotRetentionDays: 0,
    slowLogRetentionDays: 7,
    deletionProtection: false,
  },
  staging: {
    ...common,
    nodeType: "cache.t4g.medium",
    nodes: 2,
    highAvailability: false,
    snapshotRetentionDays: 1,
    slowLogRetentionDays: 30,
    deletionProtection: false,
  },
  prod: {
    ...common,
    nodeType: "cache.r6g.large",
    nodes: 3,
    highAvailability: true,
    snapshotRetentionDays: 7,
    slowLogRetentionDays: 30,
    deletionProtection: true,
  },
};

/** Whether a stack builds a cache unless its config says otherwise. @default true */
export const cacheEnabledDefaults: PerTier<boolean> = { dev: true, staging: true, prod: true };

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
  /**
   * PEM bundle of the certificate authorities that sign the server's TLS certificate, for
   * clients that verify it: Memorystore's own CA (every current one during a rotation). None
   * where the server's certificate chains to a public root (ElastiCache) or there is no TLS.
   */
  readonly caCertificate?: pulumi.Output<string>;
  /**
   * Names the target's monitoring selects each node by, primary first: the member cache
   * clusters of the ElastiCache replication group on AWS (`<replicationGroupId>-001`,
   * `-002`, ..., CloudWatch dimension `CacheClusterId`), the Memorystore instance on GCP
   * as Cloud Monitoring's `redis_instance` resource names it in `instance_id`
   * (`projects/<project>/locations/<region>/instances/<name>`; its replicas are not
   * addressed apart), the StatefulSet name in a cluster.
   */
  readonly nodeIds: pulumi.Output<string>[];
}

/**
 * Problems with the args, one line each, the placement's target's own rules included; the
 * constructor refuses args that have any; the stack config reports them by key for a GCP
 * site (`config/component-problems.ts`).
 */
export function cacheArgProblems(args: CacheArgs): string[] {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return elasticacheProblems({ ...args, placement });
    case "gcp":
      return memorystoreProblems({ ...args, placement });
    case "local":
      return localCacheProblems(args);
    default:
      return [unsupportedTargetProblem(placement, ["aws", "gcp", "local"])];
  }
}

/** Redis with AUTH and TLS, private and encrypted, built on the placement's target. */
export class Cache extends pulumi.ComponentResource implements CacheOutputs {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly authToken: pulumi.Output<string>;
  readonly connectionString: pulumi.Output<string>;
  readonly caCertificate?: pulumi.Output<string>;
  readonly nodeIds: pulumi.Output<string>[];

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Cache", name, cacheArgProblems(args));
    super("platform:index:Cache", name, {}, opts);
    const built = build(name, args, this);
    this.host = built.host;
    this.port = built.port;
    this.authToken = built.authToken;
    this.connectionString = built.connectionString;
    this.caCertificate = built.caCertificate;
    this.nodeIds = built.nodeIds;
    this.registerOutputs({
      host: this.host,
      port: this.port,
      authToken: this.authToken,
      connectionString: this.connectionString,
      caCertificate: this.caCertificate,
      nodeIds: this.nodeIds,
    });
  }
}

function build(name: string, args: CacheArgs, parent: pulumi.Resource): CacheOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsCache(name, { ...args, placement }, parent);
    case "gcp":
      return createGcpCache(name, { ...args, placement }, parent);
    case "local":
      return createLocalCache(name, { ...args, placement }, parent);
  }
}
