import { clusterDefaults, type ClusterArgs } from "../../components/cluster";

/** A prod EKS cluster's args: private API admitting the VPC, two private subnets, no tags. */
export function eksProdArgs(overrides: Partial<ClusterArgs> = {}): ClusterArgs {
  return {
    ...clusterDefaults.prod,
    apiAccess: { mode: "private", cidrs: ["10.10.0.0/16"] },
    tier: "prod",
    clusterName: "platform-prod",
    region: "us-east-1",
    placement: { target: "aws", vpcId: "vpc-0123", privateSubnetIds: ["subnet-a", "subnet-b"] },
    tags: {},
    ...overrides,
  };
}
