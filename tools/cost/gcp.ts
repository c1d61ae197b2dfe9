import { charge, monthly, rate, regionOf, Unpriceable, type Charge, type Pricer } from "./pricing";
import { num, prop, str, type CostResource } from "./resources";

/** Zones a node pool spans: its node locations, else three for a regional location. */
function zonesOf(r: CostResource): number {
  const locations = prop(r, "nodeLocations");
  if (Array.isArray(locations) && locations.length > 0) return locations.length;
  const location = str(r.props.location) ?? "";
  return /^[a-z]+-[a-z]+\d+$/.test(location) ? 3 : 1;
}

/** Nodes a GKE node pool runs (planned, least, most): the autoscaler's totals when set. */
export function nodePoolSize(r: CostResource): { desired: number; min: number; max: number } {
  const zones = zonesOf(r);
  const perZone = (key: string) => {
    const n = num(prop(r, key));
    return n === undefined ? undefined : n * zones;
  };
  const initial = perZone("nodeCount") ?? perZone("initialNodeCount") ?? zones;
  const min = num(prop(r, "autoscaling.totalMinNodeCount")) ?? perZone("autoscaling.minNodeCount");
  const max = num(prop(r, "autoscaling.totalMaxNodeCount")) ?? perZone("autoscaling.maxNodeCount");
  const desired = min === undefined ? initial : Math.max(initial, min);
  return { desired, min: min ?? desired, max: max ?? desired };
}

/** GKE node pool: machine type x nodes, and the range min..max; a boot disk per node. */
const nodePool: Pricer = (r, ctx) => {
  const region = regionOf(r, "gcp", ctx);
  const type = str(prop(r, "nodeConfig.machineType")) ?? "e2-medium";
  const diskGb = num(prop(r, "nodeConfig.diskSizeGb")) ?? 100;
  const diskType = str(prop(r, "nodeConfig.diskType")) ?? "pd-balanced";
  const { desired, min, max } = nodePoolSize(r);
  const machine = rate("gcp", `gce.${type}`, region);
  const disk = rate("gcp", `pd.${diskType}`, region);
  const perNode = monthly(machine) + monthly(disk, diskGb);
  return [
    {
      item: `${desired} x ${type} (${min}..${max}) + ${diskGb} GB ${diskType} each`,
      cloud: "gcp",
      usd: desired * perNode,
      minUsd: min * perNode,
      maxUsd: max * perNode,
      skus: [machine.sku, disk.sku],
      footprint: {
        vcpu: desired * (machine.vcpu ?? 0),
        memoryGb: desired * (machine.memoryGb ?? 0),
        diskGb: desired * diskGb,
      },
    },
  ];
};

/** Cloud SQL (Enterprise, db-custom tiers): vCPU and memory, storage, x2 for HA; backups. */
const sqlInstance: Pricer = (r, ctx) => {
  const region = regionOf(r, "gcp", ctx);
  const tier = str(prop(r, "settings.tier")) ?? "";
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!custom) throw new Unpriceable(`Cloud SQL tier ${tier || "(unset)"} is not a db-custom tier`);
  if (str(prop(r, "settings.edition")) === "ENTERPRISE_PLUS") {
    throw new Unpriceable("Cloud SQL Enterprise Plus has no catalog rows");
  }
  const vcpu = Number(custom[1]);
  const memoryGb = Number(custom[2]) / 1024;
  const ha = str(prop(r, "settings.availabilityType")) === "REGIONAL";
  const factor = ha ? rate("gcp", "sql.haFactor", region).usd : 1;
  const cpuRow = rate("gcp", "sql.vcpu", region);
  const memRow = rate("gcp", "sql.memory", region);
  const diskGb = num(prop(r, "settings.diskSize")) ?? 10;
  const diskType = str(prop(r, "settings.diskType")) === "PD_HDD" ? "hdd" : "ssd";
  const disk = rate("gcp", `sql.storage.${diskType}`, region);
  const suffix = ha ? ", HA" : "";
  const charges: Charge[] = [
    {
      item: `${tier} (${vcpu} vCPU, ${memoryGb} GB)${suffix}`,
      cloud: "gcp",
      usd: (monthly(cpuRow, vcpu) + monthly(memRow, memoryGb)) * factor,
      skus: [cpuRow.sku, memRow.sku],
      footprint: { vcpu: vcpu * factor, memoryGb: memoryGb * factor, diskGb: 0 },
    },
    {
      item: `${diskGb} GB ${diskType.toUpperCase()}${suffix}`,
      cloud: "gcp",
      usd: monthly(disk, diskGb) * factor,
      skus: [disk.sku],
      footprint: { vcpu: 0, memoryGb: 0, diskGb: diskGb * factor },
    },
  ];
  const backups = prop(r, "settings.backupConfiguration");
  if (
    !str(r.props.masterInstanceName) &&
    prop(r, "settings.backupConfiguration.enabled") === true &&
    backups
  ) {
    const kept =
      num(prop(r, "settings.backupConfiguration.backupRetentionSettings.retainedBackups")) ?? 7;
    // Cloud SQL bills every backup GB: one full copy, then each retained day's changes.
    const gb = diskGb * (1 + ctx.assumptions.backupDailyChange * kept);
    charges.push(charge("gcp", "sql.backup", region, `${gb} GB backups (${kept} kept)`, gb));
  }
  return charges;
};

/** Memorystore capacity band of an instance size, GB. */
function band(gb: number): string {
  if (gb <= 4) return "m1";
  if (gb <= 10) return "m2";
  if (gb <= 35) return "m3";
  return gb <= 100 ? "m4" : "m5";
}

/** Memorystore for Redis: GB x band rate; Standard covers one replica, further ones again. */
const redis: Pricer = (r, ctx) => {
  const gb = num(r.props.memorySizeGb) ?? 1;
  const tier = str(r.props.tier) === "STANDARD_HA" ? "standard" : "basic";
  const replicas = tier === "standard" ? Math.max(1, num(r.props.replicaCount) ?? 1) : 0;
  const row = rate("gcp", `memorystore.${tier}.${band(gb)}`, regionOf(r, "gcp", ctx));
  const copies = Math.max(1, replicas);
  const nodes = tier === "standard" ? replicas + 1 : 1;
  return [
    {
      item: `${gb} GB ${tier}${tier === "standard" ? `, ${replicas} replica(s)` : ""}`,
      cloud: "gcp",
      usd: monthly(row, gb * copies),
      skus: [row.sku],
      footprint: { vcpu: 0, memoryGb: gb * nodes, diskGb: 0 },
    },
  ];
};

/** Cloud NAT: per VM behind it (the stack's GKE nodes, up to 32) and the data processed. */
const routerNat: Pricer = (r, ctx) => {
  const region = regionOf(r, "gcp", ctx);
  const vms = ctx.resources
    .filter(
      (p) => p.type === "gcp:container/nodePool:NodePool" && regionOf(p, "gcp", ctx) === region,
    )
    .reduce((sum, p) => sum + nodePoolSize(p).desired, 0);
  const billed = Math.min(Math.max(vms, 1), 32);
  const gb = ctx.assumptions.natGbPerGatewayMonth;
  return [
    charge("gcp", "nat.vm", region, `NAT for ${billed} VM(s)`, billed),
    charge("gcp", "nat.data", region, `${gb} GB processed (assumed)`, gb),
  ];
};

/** A reserved external address; internal and peering ranges are free. */
const address: Pricer = (r, ctx) => {
  const internal =
    str(r.props.addressType) === "INTERNAL" ||
    ["VPC_PEERING", "PRIVATE_SERVICE_CONNECT"].includes(str(r.props.purpose) ?? "");
  if (internal) return [];
  return [charge("gcp", "ip.external", regionOf(r, "gcp", ctx), "external IP address")];
};

const bucket: Pricer = (r, ctx) => {
  const cls = str(r.props.storageClass) ?? "STANDARD";
  if (cls !== "STANDARD") throw new Unpriceable(`GCS storage class ${cls} has no catalog row`);
  const gb = ctx.assumptions.bucketGb;
  return [
    {
      ...charge("gcp", "gcs.standard", regionOf(r, "gcp", ctx), `${gb} GB Standard (assumed)`, gb),
      footprint: { vcpu: 0, memoryGb: 0, diskGb: gb },
    },
  ];
};

const cryptoKey: Pricer = (r, ctx) => {
  const level = str(prop(r, "versionTemplate.protectionLevel")) ?? "SOFTWARE";
  if (level !== "SOFTWARE") throw new Unpriceable(`Cloud KMS ${level} keys have no catalog row`);
  const keyRing = str(r.props.keyRing) ?? "";
  const region = /\/locations\/([^/]+)\//.exec(keyRing)?.[1] ?? regionOf(r, "gcp", ctx);
  return [charge("gcp", "kms.key", region, "software key version")];
};

/** An S3-to-GCS transfer job: S3 bills the data leaving AWS; the agentless service is free. */
const transferJob: Pricer = (_r, ctx) => {
  const gb = ctx.assumptions.transferGbPerJobMonth;
  const region = ctx.assumptions.defaultRegion.aws ?? "us-east-1";
  return [charge("aws", "transfer.internet", region, `${gb} GB out of S3 to GCS (assumed)`, gb)];
};

export const gcpPricers: Readonly<Record<string, Pricer>> = {
  "gcp:container/cluster:Cluster": (r, ctx) => [
    charge("gcp", "gke.cluster", regionOf(r, "gcp", ctx), "GKE cluster management fee"),
  ],
  "gcp:container/nodePool:NodePool": nodePool,
  "gcp:sql/databaseInstance:DatabaseInstance": sqlInstance,
  "gcp:redis/instance:Instance": redis,
  "gcp:compute/routerNat:RouterNat": routerNat,
  "gcp:compute/address:Address": address,
  "gcp:compute/globalAddress:GlobalAddress": address,
  "gcp:storage/bucket:Bucket": bucket,
  "gcp:kms/cryptoKey:CryptoKey": cryptoKey,
  "gcp:storage/transferJob:TransferJob": transferJob,
  "gcp:compute/vPNTunnel:VPNTunnel": (r, ctx) => [
    charge("gcp", "vpn.tunnel", regionOf(r, "gcp", ctx), "HA VPN tunnel"),
  ],
};
