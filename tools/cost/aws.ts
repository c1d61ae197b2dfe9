import {
  charge,
  monthly,
  rate,
  regionOf,
  Unpriceable,
  type Charge,
  type Pricer,
  type PricingContext,
} from "./pricing";
import { num, prop, str, type CostResource } from "./resources";

const hourly = (sku: string, item: string): Pricer => {
  return (r, ctx) => [charge("aws", sku, regionOf(r, "aws", ctx), item)];
};

const monthlyEach = (sku: string, item: string): Pricer => hourly(sku, item);

/** EKS managed node group: instances x desired nodes, and the range min..max; disks per node. */
const nodeGroup: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const types = prop(r, "instanceTypes");
  // EKS launches t3.medium when a node group names no instance type.
  const type = str(Array.isArray(types) ? types[0] : types) ?? "t3.medium";
  const desired = num(prop(r, "scalingConfig.desiredSize")) ?? 1;
  const min = num(prop(r, "scalingConfig.minSize")) ?? desired;
  const max = num(prop(r, "scalingConfig.maxSize")) ?? desired;
  const instance = rate("aws", `ec2.${type}`, region);
  const diskGb = num(r.props.diskSize) ?? launchTemplateDisk(r, ctx) ?? 20;
  const disk = rate("aws", "ebs.gp3", region);
  const perNode = monthly(instance) + monthly(disk, diskGb);
  return [
    {
      item: `${desired} x ${type} (${min}..${max}) + ${diskGb} GB gp3 each`,
      cloud: "aws",
      usd: desired * perNode,
      minUsd: min * perNode,
      maxUsd: max * perNode,
      skus: [instance.sku, disk.sku],
      footprint: {
        vcpu: desired * (instance.vcpu ?? 0),
        memoryGb: desired * (instance.memoryGb ?? 0),
        diskGb: desired * diskGb,
      },
    },
  ];
};

/** The root volume a launch template beside the node group gives each node, GB. */
function launchTemplateDisk(r: CostResource, ctx: PricingContext): number | undefined {
  const template = ctx.resources.find(
    (t) => t.type === "aws:ec2/launchTemplate:LaunchTemplate" && t.parent === r.parent,
  );
  return template ? num(prop(template, "blockDeviceMappings.ebs.volumeSize")) : undefined;
}

/** RDS instance: class (x2 Multi-AZ), storage (x2 Multi-AZ), backups beyond the free allowance. */
const rdsInstance: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const source = sourceOf(r, ctx);
  const engine = str(r.props.engine) ?? str(source?.props.engine) ?? "postgres";
  const cls = str(r.props.instanceClass) ?? "";
  const storageGb = num(r.props.allocatedStorage) ?? num(source?.props.allocatedStorage) ?? 0;
  const storageType = str(r.props.storageType) ?? str(source?.props.storageType) ?? "gp2";
  const factor = r.props.multiAz === true ? rate("aws", "rds.multiAzFactor", region).usd : 1;
  const instance = rate("aws", `rds.${engine}.${cls}`, region);
  const storage = rate("aws", `rds.storage.${storageType}`, region);
  const az = factor > 1 ? ", Multi-AZ" : "";
  const charges: Charge[] = [
    {
      item: `${cls}${az}${source ? " (read replica)" : ""}`,
      cloud: "aws",
      usd: monthly(instance) * factor,
      skus: [instance.sku],
      footprint: {
        vcpu: (instance.vcpu ?? 0) * factor,
        memoryGb: (instance.memoryGb ?? 0) * factor,
        diskGb: 0,
      },
    },
    {
      item: `${storageGb} GB ${storageType}${az}`,
      cloud: "aws",
      usd: monthly(storage, storageGb) * factor,
      skus: [storage.sku],
      footprint: { vcpu: 0, memoryGb: 0, diskGb: storageGb * factor },
    },
  ];
  const days = source ? 0 : (num(r.props.backupRetentionPeriod) ?? 1);
  // Backup storage up to the provisioned size is free; each retained day keeps its changes.
  const billableGb = storageGb * ctx.assumptions.backupDailyChange * days;
  if (billableGb > 0) {
    charges.push(
      charge(
        "aws",
        "rds.backup",
        region,
        `${billableGb} GB backups beyond the free allowance`,
        billableGb,
      ),
    );
  }
  return charges;
};

/** The primary a read replica copies, found by the identifier it names. */
function sourceOf(r: CostResource, ctx: PricingContext): CostResource | undefined {
  const ref = str(r.props.replicateSourceDb);
  if (!ref) return undefined;
  return ctx.resources.find(
    (s) => s.type === r.type && s !== r && (s.props.identifier === ref || s.name === ref),
  );
}

/** ElastiCache replication group: node type x nodes. */
const replicationGroup: Pricer = (r, ctx) => {
  const type = str(r.props.nodeType) ?? "";
  const groups = num(r.props.numNodeGroups);
  const nodes =
    num(r.props.numCacheClusters) ??
    (groups !== undefined ? groups * (1 + (num(r.props.replicasPerNodeGroup) ?? 0)) : 1);
  const row = rate("aws", `elasticache.${type}`, regionOf(r, "aws", ctx));
  return [
    {
      item: `${nodes} x ${type}`,
      cloud: "aws",
      usd: monthly(row, nodes),
      skus: [row.sku],
      footprint: {
        vcpu: nodes * (row.vcpu ?? 0),
        memoryGb: nodes * (row.memoryGb ?? 0),
        diskGb: 0,
      },
    },
  ];
};

/** OpenSearch domain: data nodes, dedicated masters, and each data node's EBS volume. */
const searchDomain: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const type = str(prop(r, "clusterConfig.instanceType")) ?? "r6g.large.search";
  const count = num(prop(r, "clusterConfig.instanceCount")) ?? 1;
  const row = rate("aws", `opensearch.${type}`, region);
  const charges: Charge[] = [
    {
      item: `${count} x ${type}`,
      cloud: "aws",
      usd: monthly(row, count),
      skus: [row.sku],
      footprint: {
        vcpu: count * (row.vcpu ?? 0),
        memoryGb: count * (row.memoryGb ?? 0),
        diskGb: 0,
      },
    },
  ];
  if (prop(r, "clusterConfig.dedicatedMasterEnabled") === true) {
    const masterType = str(prop(r, "clusterConfig.dedicatedMasterType")) ?? type;
    const masters = num(prop(r, "clusterConfig.dedicatedMasterCount")) ?? 3;
    charges.push(
      charge(
        "aws",
        `opensearch.${masterType}`,
        region,
        `${masters} x ${masterType} masters`,
        masters,
      ),
    );
  }
  const volumeGb = num(prop(r, "ebsOptions.volumeSize")) ?? 0;
  if (prop(r, "ebsOptions.ebsEnabled") !== false && volumeGb > 0) {
    const volumeType = str(prop(r, "ebsOptions.volumeType")) ?? "gp2";
    const gb = volumeGb * count;
    charges.push({
      ...charge(
        "aws",
        `opensearch.storage.${volumeType}`,
        region,
        `${count} x ${volumeGb} GB ${volumeType}`,
        gb,
      ),
      footprint: { vcpu: 0, memoryGb: 0, diskGb: gb },
    });
  }
  return charges;
};

/** NAT gateway: its hours and the data it processes (assumed volume). */
const natGateway: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const gb = ctx.assumptions.natGbPerGatewayMonth;
  return [
    charge("aws", "vpc.natGateway", region, "NAT gateway hours"),
    charge("aws", "vpc.natGateway.data", region, `${gb} GB processed (assumed)`, gb),
  ];
};

/** VPC endpoint: an interface endpoint is billed per AZ (subnet); a gateway endpoint is free. */
const vpcEndpoint: Pricer = (r, ctx) => {
  const subnets = Array.isArray(r.props.subnetIds) ? r.props.subnetIds.length : 0;
  const type = str(r.props.vpcEndpointType) ?? (subnets > 0 ? "Interface" : "Gateway");
  if (type === "Gateway") return [];
  const azs = Math.max(subnets, 1);
  return [
    charge(
      "aws",
      "vpc.interfaceEndpoint",
      regionOf(r, "aws", ctx),
      `interface endpoint in ${azs} AZ`,
      azs,
    ),
  ];
};

/** An ALB or NLB the program creates: hours and assumed capacity units. */
const loadBalancer: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const kind = str(r.props.loadBalancerType) === "network" ? "network" : "application";
  const units = ctx.assumptions.lbCapacityUnits;
  const unitSku = kind === "network" ? "elb.network.nlcu" : "elb.application.lcu";
  return [
    charge("aws", `elb.${kind}`, region, `${kind} load balancer hours`),
    charge("aws", unitSku, region, `${units} capacity unit(s) (assumed)`, units),
  ];
};

/** S3 bucket: the assumed data in S3 Standard. */
const bucket: Pricer = (r, ctx) => {
  const gb = ctx.assumptions.bucketGb;
  return [
    {
      ...charge("aws", "s3.standard", regionOf(r, "aws", ctx), `${gb} GB Standard (assumed)`, gb),
      footprint: { vcpu: 0, memoryGb: 0, diskGb: gb },
    },
  ];
};

/** Cross-region replication: the month's new data copied between regions. */
const replication: Pricer = (r, ctx) => {
  const gb = ctx.assumptions.bucketGb * ctx.assumptions.bucketMonthlyChange;
  return [
    charge(
      "aws",
      "transfer.interRegion",
      regionOf(r, "aws", ctx),
      `${gb} GB replicated (assumed)`,
      gb,
    ),
  ];
};

/** Log group: assumed ingestion, and what its retention keeps stored (up to a year). */
const logGroup: Pricer = (r, ctx) => {
  const region = regionOf(r, "aws", ctx);
  const gb = ctx.assumptions.logGbPerGroupMonth;
  // Retention 0 (or unset) keeps logs forever: a year of them is priced.
  const retention = num(r.props.retentionInDays) ?? 0;
  const days = retention > 0 ? retention : 365;
  const storedGb = (gb * Math.min(days, 365)) / 30;
  return [
    charge("aws", "logs.ingest", region, `${gb} GB ingested (assumed)`, gb),
    charge("aws", "logs.storage", region, `${storedGb.toFixed(1)} GB kept ${days} days`, storedGb),
  ];
};

/** A resource type that cannot be priced without a usage figure the stack does not state. */
const usageOnly = (what: string): Pricer => {
  return () => {
    throw new Unpriceable(`billed by ${what}, which no assumption states`);
  };
};

export const awsPricers: Readonly<Record<string, Pricer>> = {
  "aws:eks/cluster:Cluster": hourly("eks.cluster", "EKS control plane"),
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "aws:rds/instance:Instance": rdsInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
  "aws:opensearch/domain:Domain": searchDomain,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/eip:Eip": hourly("vpc.publicIpv4", "public IPv4 address"),
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketV2:BucketV2": bucket,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": replication,
  "aws:kms/key:Key": monthlyEach("kms.key", "customer managed key"),
  "aws:kms/replicaKey:ReplicaKey": monthlyEach("kms.key", "replica key"),
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
  "aws:cloudwatch/metricAlarm:MetricAlarm": monthlyEach("cloudwatch.alarm", "standard alarm"),
  "aws:secretsmanager/secret:Secret": monthlyEach("secretsmanager.secret", "secret"),
  "aws:ec2/vpnConnection:VpnConnection": hourly("vpn.connection", "Site-to-Site VPN connection"),
  "aws:sns/topic:Topic": usageOnly("requests and deliveries"),
  "aws:sqs/queue:Queue": usageOnly("requests"),
  "aws:backup/plan:Plan": usageOnly("the backup storage its rules keep"),
};
