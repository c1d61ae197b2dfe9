import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import { gcpLabels } from "../gcp/labels";
import { createAwsNetwork } from "./aws";
import {
  createGcpNetwork,
  gcpNetworkDefaults,
  type GcpNetworkOutputs,
  type GcpNetworkSettings,
} from "./gcp";

/**
 * AWS services an interface endpoint can carry, by the last part of their service name
 * (`com.amazonaws.<region>.<service>`): ECR's API and registry (image pulls), STS (the web
 * identity exchange behind IAM roles for service accounts), SQS, SNS, KMS, CloudWatch Logs, and
 * S3 beside its gateway endpoint.
 */
export const interfaceEndpointServices = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "sqs",
  "sns",
  "kms",
  "logs",
  "s3",
] as const;
export type InterfaceEndpointService = (typeof interfaceEndpointServices)[number];

/** How many NAT gateways carry the private subnets' outbound traffic. */
export type NatGatewayMode = "single" | "perAz";

export interface NetworkSettings {
  /** VPC address range. @default "10.0.0.0/16" in dev and staging, "10.10.0.0/16" in prod */
  readonly cidrBlock: string;
  /** Availability zones the subnets span, taken from the region's AZ list. @default 3 */
  readonly azCount: number;
  /**
   * `perAz`: one NAT gateway per zone, so losing a zone does not cut the others off;
   * `single`: one NAT gateway shared by every zone (cheaper, one zone's failure domain).
   * @default "perAz" in prod, "single" in dev and staging
   */
  readonly natGateways: NatGatewayMode;
  /**
   * Days VPC flow logs are kept in CloudWatch Logs. Flow logs are access logs: seed 003 keeps
   * access logs one year. @default 365 in prod, 30 in staging, 7 in dev
   */
  readonly flowLogRetentionDays: number;
  /**
   * AWS services reached through interface endpoints in the private subnets, one network
   * interface per zone, with private DNS: the SDKs' regional names
   * (`sqs.us-east-1.amazonaws.com`) resolve to addresses inside the VPC, so a pod whose
   * NetworkPolicy admits TCP 443 to the VPC CIDR reaches the service and nothing else. A service
   * left out is reached through NAT at its public addresses, which such a policy does not admit.
   * Each endpoint is billed per zone and hour. AWS only.
   * @default every service in `interfaceEndpointServices`, on every tier: the egress rule a
   * service gets for the cloud resources it uses leads nowhere without them
   */
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
}

export const networkDefaults: PerTier<NetworkSettings> = {
  dev: {
    cidrBlock: "10.0.0.0/16",
    azCount: 3,
    natGateways: "single",
    flowLogRetentionDays: 7,
    interfaceEndpoints: interfaceEndpointServices,
  },
  staging: {
    cidrBlock: "10.0.0.0/16",
    azCount: 3,
    natGateways: "single",
    flowLogRetentionDays: 30,
    interfaceEndpoints: interfaceEndpointServices,
  },
  prod: {
    cidrBlock: "10.10.0.0/16",
    azCount: 3,
    natGateways: "perAz",
    flowLogRetentionDays: 365,
    interfaceEndpoints: interfaceEndpointServices,
  },
};

export interface NetworkArgs extends NetworkSettings {
  readonly tier: Tier;
  /** Tags put on every taggable child. */
  readonly tags: Readonly<Record<string, string>>;
  /** Cluster name the subnets are tagged for, so its load balancers find them. */
  readonly clusterName: string;
  /** Where the network is built. */
  readonly placement: NetworkPlacement;
}

/**
 * Where a network is built: the cloud (`target`, as a data service's `Placement` names it)
 * and what that cloud needs beyond the common settings.
 */
export type NetworkPlacement = VpcPlacement | GcpNetworkPlacement;

/** An AWS VPC in the provider's region. */
export interface VpcPlacement {
  readonly target: "aws";
}

/** A GCP VPC network with one regional subnet. */
export interface GcpNetworkPlacement {
  readonly target: "gcp";
  /** GCP region of the subnet, Cloud Router and Cloud NAT (e.g. "us-central1"). */
  readonly region: string;
  /** Address plan of the GCP network (nodes, pods, services, managed services). @default `gcpNetworkDefaults` */
  readonly addresses?: GcpNetworkSettings;
}

/** What the GCP cluster and managed services plug into: present exactly on a GCP placement. */
export type GcpNetworkOf<P extends NetworkPlacement> = P extends GcpNetworkPlacement
  ? GcpNetworkOutputs
  : undefined;

/** What every network target returns. */
export interface NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly cidrBlock: string;
  /** Route tables of the private subnets, one per zone (gateway endpoints attach here). */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** NAT gateways: one, or one per zone. */
  readonly natGatewayIds: pulumi.Output<string>[];
  /**
   * Public IPv4 addresses of the NAT gateways: what a service outside the VPC sees when
   * anything inside it (a deploy runner, a node) connects out. AWS only.
   */
  readonly natPublicIps: pulumi.Output<string>[];
  /** Security group of the interface endpoints (HTTPS from the VPC only). AWS only. */
  readonly endpointSecurityGroupId?: pulumi.Output<string>;
  /** Interface endpoints by service (`interfaceEndpoints`). AWS only. */
  readonly interfaceEndpointIds?: Readonly<Record<string, pulumi.Output<string>>>;
  /** The S3 gateway endpoint on the private route tables. AWS only. */
  readonly s3GatewayEndpointId?: pulumi.Output<string>;
  /** CloudWatch log group that receives the VPC flow logs. AWS only. */
  readonly flowLogGroupName?: pulumi.Output<string>;
  /** What the GCP cluster and managed services plug into. GCP only. */
  readonly gcp?: GcpNetworkOutputs;
}

/**
 * The GCP network mapped onto the contract: the VPC network is the `vpcId`, its one regional
 * subnet (spanning every zone) the private subnet. There are no public subnets, route tables
 * or NAT gateways to name: Cloud NAT is attached to a Cloud Router.
 */
function buildGcp(
  name: string,
  args: NetworkArgs,
  placement: GcpNetworkPlacement,
  parent: pulumi.Resource,
): NetworkOutputs {
  const gcp = createGcpNetwork(
    name,
    {
      ...(placement.addresses ?? gcpNetworkDefaults),
      tier: args.tier,
      region: placement.region,
      labels: gcpLabels(args.tags),
    },
    parent,
  );
  return {
    vpcId: gcp.networkId,
    publicSubnetIds: [],
    privateSubnetIds: [gcp.subnetId],
    cidrBlock: gcp.subnetCidr,
    privateRouteTableIds: [],
    natGatewayIds: [],
    natPublicIps: [],
    gcp,
  };
}

function build(name: string, args: NetworkArgs, parent: pulumi.Resource): NetworkOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsNetwork(name, args, parent);
    case "gcp":
      return buildGcp(name, args, placement, parent);
  }
}

/**
 * A VPC across several zones: on AWS public subnets for load balancers, private ones for
 * everything else behind NAT, flow logs, and endpoints that keep image pulls and the AWS APIs
 * the services call inside the VPC; on GCP a custom-mode VPC with one regional subnet, Cloud NAT and private service
 * access.
 */
export class Network<P extends NetworkPlacement = NetworkPlacement>
  extends pulumi.ComponentResource
  implements NetworkOutputs
{
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly cidrBlock: string;
  readonly privateRouteTableIds: pulumi.Output<string>[];
  readonly natGatewayIds: pulumi.Output<string>[];
  readonly natPublicIps: pulumi.Output<string>[];
  readonly endpointSecurityGroupId?: pulumi.Output<string>;
  readonly interfaceEndpointIds?: Readonly<Record<string, pulumi.Output<string>>>;
  readonly s3GatewayEndpointId?: pulumi.Output<string>;
  readonly flowLogGroupName?: pulumi.Output<string>;
  /** Typed by the placement: a network placed on GCP always has it, one on AWS never. */
  readonly gcp: GcpNetworkOf<P>;

  constructor(
    name: string,
    args: NetworkArgs & { readonly placement: P },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("platform:index:Network", name, {}, opts);
    const built = build(name, args, this);
    this.vpcId = built.vpcId;
    this.publicSubnetIds = built.publicSubnetIds;
    this.privateSubnetIds = built.privateSubnetIds;
    this.cidrBlock = built.cidrBlock;
    this.privateRouteTableIds = built.privateRouteTableIds;
    this.natGatewayIds = built.natGatewayIds;
    this.natPublicIps = built.natPublicIps;
    this.endpointSecurityGroupId = built.endpointSecurityGroupId;
    this.interfaceEndpointIds = built.interfaceEndpointIds;
    this.s3GatewayEndpointId = built.s3GatewayEndpointId;
    this.flowLogGroupName = built.flowLogGroupName;
    this.gcp = built.gcp as GcpNetworkOf<P>;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
      natGatewayIds: this.natGatewayIds,
      natPublicIps: this.natPublicIps,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      interfaceEndpointIds: this.interfaceEndpointIds,
      s3GatewayEndpointId: this.s3GatewayEndpointId,
      flowLogGroupName: this.flowLogGroupName,
    });
  }
}
