import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../../config/tiers";

/** Address plan of the GCP network: nodes, pods and services each get their own range. */
export interface GcpNetworkSettings {
  /** Primary range of the subnet, used by nodes and internal load balancers. @default "10.20.0.0/20" */
  readonly subnetCidr: string;
  /** Secondary range for pod IPs (VPC-native GKE). @default "10.24.0.0/14" */
  readonly podsCidr: string;
  /** Secondary range for Service cluster IPs. @default "10.28.0.0/20" */
  readonly servicesCidr: string;
  /**
   * Range reserved for Google-managed services reached over private service access (Cloud SQL,
   * Memorystore), as address and prefix length. @default "10.30.0.0", 16
   */
  readonly privateServiceAddress: string;
  readonly privateServicePrefixLength: number;
}

export const gcpNetworkDefaults: GcpNetworkSettings = {
  subnetCidr: "10.20.0.0/20",
  podsCidr: "10.24.0.0/14",
  servicesCidr: "10.28.0.0/20",
  privateServiceAddress: "10.30.0.0",
  privateServicePrefixLength: 16,
};

export interface GcpNetworkArgs extends GcpNetworkSettings {
  readonly tier: Tier;
  /** Region of the subnet, router and NAT. */
  readonly region: string;
  /** Labels put on every labelable child. */
  readonly labels: Readonly<Record<string, string>>;
}

/** What the GCP network gives the cluster and the managed data services. */
export interface GcpNetworkOutputs {
  /** Id of the VPC network. */
  readonly networkId: pulumi.Output<string>;
  readonly networkSelfLink: pulumi.Output<string>;
  /**
   * Id of the VPC network, resolved only once private service access is connected: managed
   * services placed on it (placement `networkId`) are created after the peering exists.
   */
  readonly serviceNetworkId: pulumi.Output<string>;
  readonly subnetId: pulumi.Output<string>;
  readonly subnetSelfLink: pulumi.Output<string>;
  /** Name of the subnet's secondary range for pods. */
  readonly podsRangeName: string;
  /** Name of the subnet's secondary range for Services. */
  readonly servicesRangeName: string;
  /** Primary range of the subnet (the nodes). */
  readonly subnetCidr: string;
  /** Cloud NAT: private nodes reach public registries through it, so pods wait for it. */
  readonly egress: pulumi.Resource;
}

/** Flow logs: 5-second aggregation, half the flows sampled, all metadata (for audit, seed 002). */
export const subnetFlowLogs = {
  aggregationInterval: "INTERVAL_5_SEC",
  flowSampling: 0.5,
  metadata: "INCLUDE_ALL_METADATA",
} as const;

/**
 * A custom-mode VPC with one regional subnet (secondary ranges for GKE), Cloud NAT for egress
 * from private nodes, and private service access for Cloud SQL and Memorystore.
 */
export function createGcpNetwork(
  name: string,
  args: GcpNetworkArgs,
  parent: pulumi.Resource,
): GcpNetworkOutputs {
  const opts = { parent };
  const podsRangeName = `${name}-pods`;
  const servicesRangeName = `${name}-services`;

  const network = new gcp.compute.Network(
    `${name}-vpc`,
    {
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      deleteDefaultRoutesOnCreate: false,
    },
    opts,
  );

  const subnet = new gcp.compute.Subnetwork(
    `${name}-subnet`,
    {
      network: network.id,
      region: args.region,
      ipCidrRange: args.subnetCidr,
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: podsRangeName, ipCidrRange: args.podsCidr },
        { rangeName: servicesRangeName, ipCidrRange: args.servicesCidr },
      ],
      logConfig: { ...subnetFlowLogs },
    },
    opts,
  );

  const router = new gcp.compute.Router(
    `${name}-router`,
    { network: network.id, region: args.region },
    opts,
  );
  const nat = new gcp.compute.RouterNat(
    `${name}-nat`,
    {
      router: router.name,
      region: args.region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    opts,
  );

  const serviceRange = new gcp.compute.GlobalAddress(
    `${name}-private-services`,
    {
      network: network.id,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: args.privateServiceAddress,
      prefixLength: args.privateServicePrefixLength,
      labels: { ...args.labels },
    },
    opts,
  );
  const peering = new gcp.servicenetworking.Connection(
    `${name}-private-services`,
    {
      network: network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [serviceRange.name],
    },
    opts,
  );

  return {
    networkId: network.id,
    networkSelfLink: network.selfLink,
    serviceNetworkId: pulumi.all([network.id, peering.id]).apply(([id]) => id),
    subnetId: subnet.id,
    subnetSelfLink: subnet.selfLink,
    podsRangeName,
    servicesRangeName,
    subnetCidr: args.subnetCidr,
    egress: nat,
  };
}
