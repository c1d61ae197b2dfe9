import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { attachPolicies, managedPolicies, serviceRole } from "./aws-iam";
import type { EksClusterArgs } from "./index";

/**
 * A group every node carries and only nodes carry, which data services admit. It belongs to
 * the VPC, not to the control plane, so admitting it does not wait on the cluster.
 */
export function createNodeSecurityGroup(
  name: string,
  args: EksClusterArgs,
  parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    `${name}-node-sg`,
    {
      vpcId: args.placement.vpcId,
      description: `Nodes of ${args.clusterName}; data services admit this group`,
      egress: [
        {
          description: "Nodes reach data services, endpoints and the internet through NAT",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
      tags: { ...args.tags, Name: `${name}-node-sg` },
    },
    { parent },
  );
}

/** Encrypted gp3 root volume, IMDSv2 only, in the cluster's and the nodes' security groups. */
function createLaunchTemplate(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  nodeSecurityGroup: aws.ec2.SecurityGroup,
  parent: pulumi.Resource,
): aws.ec2.LaunchTemplate {
  const nodeTags = { ...args.tags, Name: `${args.clusterName}-node` };
  return new aws.ec2.LaunchTemplate(
    `${name}-nodes-lt`,
    {
      description: `Nodes of ${args.clusterName}: encrypted gp3 root volume, IMDSv2 only`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId, nodeSecurityGroup.id],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: args.nodeDiskGb,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
      },
      tagSpecifications: [
        { resourceType: "instance", tags: nodeTags },
        { resourceType: "volume", tags: nodeTags },
      ],
      tags: { ...args.tags, Name: `${name}-nodes-lt` },
    },
    { parent },
  );
}

/** Step 3, nodes: a managed node group, started once the networking add-ons run. */
export function createNodes(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  nodeSecurityGroup: aws.ec2.SecurityGroup,
  networking: pulumi.Resource[],
  parent: pulumi.Resource,
): aws.eks.NodeGroup {
  const role = serviceRole(
    `${name}-node-role`,
    "ec2.amazonaws.com",
    `Nodes of ${args.clusterName}`,
    args.tags,
    parent,
  );
  const attachments = attachPolicies(`${name}-node-role`, role, managedPolicies.node, parent);
  const launchTemplate = createLaunchTemplate(name, args, cluster, nodeSecurityGroup, parent);
  return new aws.eks.NodeGroup(
    `${name}-nodes`,
    {
      clusterName: cluster.name,
      nodeGroupNamePrefix: `${args.clusterName}-`,
      nodeRoleArn: role.arn,
      subnetIds: args.placement.privateSubnetIds,
      version: args.version,
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      instanceTypes: [...args.instanceTypes],
      scalingConfig: {
        minSize: args.minNodes,
        desiredSize: args.desiredNodes,
        maxSize: args.maxNodes,
      },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: {
        id: launchTemplate.id,
        version: launchTemplate.latestVersion.apply((v) => String(v)),
      },
      tags: { ...args.tags, Name: `${name}-nodes` },
    },
    {
      parent,
      dependsOn: [...networking, ...attachments],
      // The cluster autoscaler moves the desired size; a deploy must not undo it.
      ignoreChanges: ["scalingConfig.desiredSize"],
    },
  );
}
