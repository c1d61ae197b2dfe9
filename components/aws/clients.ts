import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentError } from "../errors";

export interface ClientsOnlyArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly description: string;
  /** TCP port the service listens on. */
  readonly port: number;
  /** The only security groups admitted. */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  /**
   * Address ranges admitted on the same port, each with why. Inline beside the groups' rule:
   * a separate rule resource on a group with inline rules is removed by the group's next
   * update after a refresh. @default none
   */
  readonly clientCidrs?: readonly { readonly cidr: string; readonly description: string }[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A data service on AWS admits the cluster's nodes: its placement names their group. */
export function clientGroupProblems(clientSecurityGroupIds: readonly unknown[]): string[] {
  if (clientSecurityGroupIds.length > 0) return [];
  return [
    "placement.clientSecurityGroupIds is empty; a data service must admit at least the cluster's nodes",
  ];
}

/**
 * A security group that admits the client groups (and any stated ranges) on one TCP port and
 * nothing else, and no egress (a managed data service answers, it does not call out).
 */
export function createClientsOnlySecurityGroup(
  name: string,
  args: ClientsOnlyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  const problems = clientGroupProblems(args.clientSecurityGroupIds);
  if (problems.length > 0) throw new ComponentError("SecurityGroup", name, problems);
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
        ...(args.clientCidrs ?? []).map(({ cidr, description }) => ({
          protocol: "tcp",
          fromPort: args.port,
          toPort: args.port,
          cidrBlocks: [cidr],
          description,
        })),
      ],
      egress: [],
      tags: { ...args.tags, Name: name },
    },
    opts,
  );
}
