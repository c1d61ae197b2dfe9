import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import { createAwsNetwork } from "./aws";

export interface NetworkSettings {
  /** VPC address range. @default "10.0.0.0/16" in dev and staging, "10.10.0.0/16" in prod */
  readonly cidrBlock: string;
  /** Availability zones the subnets span, taken from the region's AZ list. @default 3 */
  readonly azCount: number;
}

export const networkDefaults: PerTier<NetworkSettings> = {
  dev: { cidrBlock: "10.0.0.0/16", azCount: 3 },
  staging: { cidrBlock: "10.0.0.0/16", azCount: 3 },
  prod: { cidrBlock: "10.10.0.0/16", azCount: 3 },
};

export interface NetworkArgs extends NetworkSettings {
  readonly tier: Tier;
  /** Tags put on every taggable child. */
  readonly tags: Readonly<Record<string, string>>;
  /** Cluster name the subnets are tagged for, so its load balancers find them. */
  readonly clusterName: string;
}

/** What every network target returns. */
export interface NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly cidrBlock: string;
  /**
   * An empty security group with no ingress, `<name>-workload-clients`: the cluster's nodes
   * join it, and the data services admit only its members.
   */
  readonly clientsSecurityGroupId: pulumi.Output<string>;
}

/** A VPC across several zones with public subnets for load balancers and private ones for everything else. */
export class Network extends pulumi.ComponentResource implements NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly cidrBlock: string;
  readonly clientsSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Network", name, {}, opts);
    const built = createAwsNetwork(name, args, this);
    this.vpcId = built.vpcId;
    this.publicSubnetIds = built.publicSubnetIds;
    this.privateSubnetIds = built.privateSubnetIds;
    this.cidrBlock = built.cidrBlock;
    this.clientsSecurityGroupId = built.clientsSecurityGroupId;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      clientsSecurityGroupId: this.clientsSecurityGroupId,
    });
  }
}
