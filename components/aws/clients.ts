import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface ClientsOnlyArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly description: string;
  /** TCP port the service listens on. */
  readonly port: number;
  /** The only security groups admitted. */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A security group that admits the client groups on one TCP port and nothing else: no CIDR
 * ingress, and no egress (a managed data service answers, it does not call out).
 */
export function createClientsOnlySecurityGroup(
  name: string,
  args: ClientsOnlyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  if (args.clientSecurityGroupIds.length === 0) {
    throw new Error(
      `${name}: placement.clientSecurityGroupIds is empty; a data service must admit at least the cluster's nodes`,
    );
  }
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: args.description,
      ingress: [
        {
          protocol: "tcp",
          fromPort: args.port,
          toPort: args.port,
          securityGroups: args.clientSecurityGroupIds,
          description: "Workload clients only",
        },
      ],
      egress: [],
      tags: { ...args.tags, Name: name },
    },
    opts,
  );
}
