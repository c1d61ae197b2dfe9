import type * as pulumi from "@pulumi/pulumi";

/**
 * Where a data service is built. The settings of a service are target-neutral; the placement
 * says which cloud and what it plugs into there.
 */
export type Placement = AwsPlacement | GcpPlacement | LocalPlacement;

export interface AwsPlacement {
  readonly target: "aws";
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets the service lives in. */
  readonly subnetIds: pulumi.Input<string>[];
  /** Security groups whose members may connect (the cluster's nodes); nothing else may. */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  /** Region that receives cross-region copies (S3 replication, backup copies). */
  readonly replicaRegion?: string;
}

export interface GcpPlacement {
  readonly target: "gcp";
  /** Self link or id of the VPC network with private service access. */
  readonly networkId: pulumi.Input<string>;
}

export interface LocalPlacement {
  readonly target: "local";
  /** Namespace the in-cluster service runs in. */
  readonly namespace: pulumi.Input<string>;
}
