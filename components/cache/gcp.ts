import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { collectProblems, ComponentError } from "../errors";
import { gcpLabels } from "../gcp/labels";
import type { GcpPlacement } from "../placement";
import type { CacheArgs, CacheOutputs } from "./index";

/** Cache args placed on GCP. */
export type GcpCacheArgs = CacheArgs & { readonly placement: GcpPlacement };

/** Memorystore's Redis versions for the contract's "major.minor" (it offers no 7.1). */
export const memorystoreVersions: Readonly<Record<string, string>> = {
  "7.0": "REDIS_7_0",
  "7.1": "REDIS_7_0",
  "7.2": "REDIS_7_2",
};

/** Memorystore capacity, GiB, for the ElastiCache node types used in the defaults. */
export const elasticacheNodeMemoryGb: Readonly<Record<string, number>> = {
  "cache.t4g.micro": 1,
  "cache.t4g.small": 1,
  "cache.t4g.medium": 3,
  "cache.m6g.large": 6,
  "cache.r6g.large": 13,
  "cache.r6g.xlarge": 26,
};

/** Memorystore capacity, GiB, for a node type: an ElastiCache type or "<n>gb" (1-300). */
export function memorystoreSizeGb(nodeType: string): number {
  const mapped = elasticacheNodeMemoryGb[nodeType];
  if (mapped !== undefined) return mapped;
  const m = /^(\d+)gb$/i.exec(nodeType);
  const size = m ? Number(m[1]) : NaN;
  if (!(size >= 1 && size <= 300)) {
    throw new ComponentError("memorystoreSizeGb", JSON.stringify(nodeType), [
      `nodeType "${nodeType}" has no Memorystore size; use "<n>gb" (1-300) or one of ${Object.keys(elasticacheNodeMemoryGb).join(", ")}`,
    ]);
  }
  return size;
}

/** Read replicas need an instance of 5 GiB or more; smaller HA instances keep one failover replica. */
export const readReplicaMinSizeGb = 5;

/** Port of a Memorystore instance with in-transit encryption on. */
export const memorystoreTlsPort = 6378;

/** What Memorystore is asked for: its version and capacity, GiB. */
interface MemorystoreShape {
  readonly version: string;
  readonly sizeGb: number;
}

/** The Memorystore version and size the args ask for, or every problem with them. */
function memorystoreShape(args: GcpCacheArgs): MemorystoreShape | string[] {
  const problems: string[] = [];
  const version = memorystoreVersions[args.engineVersion];
  if (version === undefined) {
    problems.push(
      `engineVersion "${args.engineVersion}" is not offered; expected one of ${Object.keys(memorystoreVersions).join(", ")}`,
    );
  }
  const sizeGb = collectProblems(() => memorystoreSizeGb(args.nodeType), problems);
  if (args.highAvailability && !(args.nodes >= 2 && args.nodes <= 6)) {
    problems.push(
      `nodes is ${args.nodes}; with highAvailability expected 2 to 6 (primary + 1-5 replicas)`,
    );
  }
  if (!args.highAvailability && args.nodes !== 1) {
    problems.push(`nodes is ${args.nodes}; without highAvailability Memorystore runs 1 node`);
  }
  if (version === undefined || sizeGb === undefined || problems.length > 0) return problems;
  return { version, sizeGb };
}

/** Memorystore's rules on the args, one line each; `cacheArgProblems` gathers them. */
export function memorystoreProblems(args: GcpCacheArgs): string[] {
  const shape = memorystoreShape(args);
  return Array.isArray(shape) ? shape : [];
}

/**
 * The PEM bundle a client verifying Memorystore's TLS trusts: every server CA the instance
 * lists (two while a CA rotation is under way), one after the other.
 */
export function caBundle(certs: readonly { readonly cert: string }[]): string {
  return certs.map((c) => c.cert.trim()).join("\n") + "\n";
}

/**
 * Memorystore for Redis on the VPC's private service access range: AUTH on, TLS with server
 * authentication, STANDARD_HA (automatic failover to a replica in another zone) when HA is
 * asked, hourly RDB snapshots when snapshots are kept.
 */
export function createGcpCache(
  name: string,
  args: GcpCacheArgs,
  parent: pulumi.Resource,
): CacheOutputs {
  const shape = memorystoreShape(args);
  if (Array.isArray(shape)) throw new ComponentError("Cache", name, shape);
  const { version, sizeGb } = shape;
  const readReplicas = args.highAvailability && sizeGb >= readReplicaMinSizeGb;

  const instance = new gcp.redis.Instance(
    `${name}-redis`,
    {
      tier: args.highAvailability ? "STANDARD_HA" : "BASIC",
      memorySizeGb: sizeGb,
      redisVersion: version,
      authorizedNetwork: args.placement.networkId,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      authEnabled: true,
      ...(readReplicas
        ? { readReplicasMode: "READ_REPLICAS_ENABLED", replicaCount: args.nodes - 1 }
        : {}),
      ...(Object.keys(args.parameters ?? {}).length > 0 && {
        redisConfigs: { ...args.parameters },
      }),
      persistenceConfig:
        args.snapshotRetentionDays > 0
          ? { persistenceMode: "RDB", rdbSnapshotPeriod: "ONE_HOUR" }
          : { persistenceMode: "DISABLED" },
      maintenancePolicy: {
        weeklyMaintenanceWindows: [
          { day: "SUNDAY", startTime: { hours: 5, minutes: 0, seconds: 0, nanos: 0 } },
        ],
      },
      labels: gcpLabels(args.tags),
    },
    // Memorystore has no deletion protection of its own: prod relies on `protect`.
    { parent, protect: args.deletionProtection, additionalSecretOutputs: ["authString"] },
  );

  const authToken = pulumi.secret(instance.authString);
  const port = pulumi.output(memorystoreTlsPort);
  return {
    host: instance.host,
    port,
    authToken,
    connectionString: pulumi.secret(
      pulumi.interpolate`rediss://:${authToken}@${instance.host}:${memorystoreTlsPort}`,
    ),
    caCertificate: instance.serverCaCerts.apply(caBundle),
    // The instance's id is its full name, which is Cloud Monitoring's `instance_id`.
    nodeIds: [instance.id],
  };
}
