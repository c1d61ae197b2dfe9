import type { ClusterSettings } from "../components/cluster";
import { networkDefaults } from "../components/network";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { gcpRegions, gcsLocationOf, replicableGcpRegions } from "./catalog/gcp-regions";
import { cidrsOverlap, formatCidr, parseCidr, type Ipv4Block } from "./cidr";
import { resolveDataServices } from "./data-services";
import type { StackConfig } from "./schema";

/**
 * Rules across keys that each pass on their own: the services' egress still reaching the
 * data services after the VPC's range changed, a VPC with room for the cluster's nodes, and
 * buckets that can be replicated where the GCP region is.
 */
export function consistencyProblems(cfg: StackConfig, cluster: ClusterSettings): string[] {
  return [...egressProblems(cfg), ...subnetProblems(cfg, cluster), ...bucketLocationProblems(cfg)];
}

/** Where the managed data services listen: their range and ports, on the primary's target. */
function dataEndpoints(
  cfg: StackConfig,
): { key: string; range: string; ports: Map<number, string> } | undefined {
  const data = resolveDataServices(cfg.tier, cfg);
  const ports = new Map<number, string>();
  if (data.database.enabled) ports.set(5432, "the database");
  if (cfg.target === "aws") {
    if (data.cache.enabled) ports.set(6379, "the cache");
    const range = cfg.network?.cidrBlock ?? networkDefaults[cfg.tier].cidrBlock;
    return { key: `the VPC (platform:network.cidrBlock "${range}")`, range, ports };
  }
  if (cfg.target === "gcp") {
    // Memorystore with in-transit encryption listens on 6378.
    if (data.cache.enabled) ports.set(6378, "the cache");
    const g = gcpNetworkDefaults;
    const range = `${g.privateServiceAddress}/${g.privateServicePrefixLength}`;
    return { key: `the private service access range "${range}"`, range, ports };
  }
  return undefined;
}

/**
 * An egress rule to a data service's port whose range misses the data services' network: the
 * NetworkPolicy would drop the pods' connections (typically a range left behind when
 * `platform:network.cidrBlock` changed).
 */
function egressProblems(cfg: StackConfig): string[] {
  const endpoints = dataEndpoints(cfg);
  if (endpoints === undefined || endpoints.ports.size === 0) return [];
  const target = parseCidr(endpoints.range) as Ipv4Block;
  const workloads = cfg.workloads;
  const rules = [
    ...(workloads?.services ?? []).map((s, i) => ({ at: `services[${i}]`, egress: s.egress })),
    ...(workloads?.jobs ?? []).map((j, i) => ({ at: `jobs[${i}]`, egress: j.egress })),
  ];
  return rules.flatMap(({ at, egress }) =>
    (egress ?? []).flatMap((rule, j) => {
      const what = endpoints.ports.get(rule.port);
      if (rule.cidr === undefined || what === undefined) return [];
      const block = parseCidr(rule.cidr);
      if (typeof block === "string" || cidrsOverlap(block, target)) return [];
      return [
        `platform:workloads.${at}.egress[${j}].cidr: "${rule.cidr}" does not reach ${endpoints.key}, ` +
          `where ${what} listens on ${rule.port}: the pods would lose it; expected "${endpoints.range}"`,
      ];
    }),
  );
}

/** Addresses a node takes in its subnet: its own and its pods' (VPC CNI, m6i.large: 29 pods). */
const addressesPerNode = 30;
/** Addresses AWS reserves in every subnet. */
const awsReserved = 5;
/** Bits the network adds to the VPC's prefix for each subnet (components/network/aws.ts). */
const subnetBits = 4;

/**
 * The VPC is split into /(prefix+4) subnets, one private subnet per zone; each must hold its
 * share of the cluster's nodes and their pods, the interface endpoints and AWS's reserve.
 */
function subnetProblems(cfg: StackConfig, cluster: ClusterSettings): string[] {
  if (cfg.target !== "aws") return [];
  const network = { ...networkDefaults[cfg.tier], ...cfg.network };
  const vpc = parseCidr(network.cidrBlock);
  if (typeof vpc === "string") return [];
  const subnetPrefix = vpc.prefix + subnetBits;
  const size = 2 ** (32 - subnetPrefix);
  const nodesPerZone = Math.ceil(cluster.maxNodes / network.azCount);
  const needed = awsReserved + network.interfaceEndpoints.length + nodesPerZone * addressesPerNode;
  if (size >= needed) return [];
  const fitting = 32 - Math.ceil(Math.log2(needed)) - subnetBits;
  const suggestion = formatCidr({
    base: vpc.base - (vpc.base % 2 ** (32 - fitting)),
    prefix: fitting,
  });
  return [
    `platform:network.cidrBlock: "${network.cidrBlock}" splits into /${subnetPrefix} subnets of ${size} addresses, ` +
      `too small for EKS: each zone's private subnet needs about ${needed} (${nodesPerZone} of platform:cluster.maxNodes ` +
      `${cluster.maxNodes} nodes at ${addressesPerNode} addresses each for their pods, ` +
      `${network.interfaceEndpoints.length} interface endpoints, ${awsReserved} AWS reserves); ` +
      `expected /${fitting} or larger, e.g. "${suggestion}"`,
  ];
}

/** Whether the stack builds GCS buckets, and replicated. */
function replicatedBuckets(cfg: StackConfig): boolean {
  const objects = resolveDataServices(cfg.tier, cfg).objectStore;
  const onGcp = cfg.target === "gcp" || cfg.standby === "gcp";
  return onGcp && objects.enabled && objects.crossRegionReplication;
}

/**
 * Replicated buckets live in the multi-region holding the GCP region; a region outside every
 * multi-region has no such location, and another continent's would move the data abroad.
 */
function bucketLocationProblems(cfg: StackConfig): string[] {
  const region = cfg.gcp?.region;
  if (region === undefined || !replicatedBuckets(cfg)) return [];
  if (gcsLocationOf(region, true) !== undefined) return [];
  const place = gcpRegions[region]?.place ?? region;
  return [
    `platform:gcp.region: "${region}" (${place}) is in no Cloud Storage multi-region, so its buckets ` +
      `cannot be replicated there (platform:objectStore.crossRegionReplication is on); set ` +
      `platform:objectStore.crossRegionReplication false to keep them regional, or choose one of ` +
      replicableGcpRegions.join(", "),
  ];
}
