import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../aws/logs";
import { apiPort, type ApiAccess } from "./access";
import { attachPolicies, managedPolicies, serviceRole } from "./aws-iam";
import { controlPlaneLogTypes, type EksClusterArgs } from "./index";

/** Secrets envelope-encrypted with a customer key that rotates. */
function createSecretsKey(
  name: string,
  args: EksClusterArgs,
  parent: pulumi.Resource,
): aws.kms.Key {
  const secretsKey = new aws.kms.Key(
    `${name}-secrets-key`,
    {
      description: `Envelope-encrypts the Kubernetes secrets of ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { ...args.tags, Name: `${name}-secrets-key` },
    },
    { parent },
  );
  new aws.kms.Alias(
    `${name}-secrets-key-alias`,
    { name: `alias/${args.clusterName}-eks-secrets`, targetKeyId: secretsKey.keyId },
    { parent },
  );
  return secretsKey;
}

/** The control plane's role, its managed policy and its use of the secrets key. */
function createClusterRole(
  name: string,
  args: EksClusterArgs,
  secretsKey: aws.kms.Key,
  parent: pulumi.Resource,
): { role: aws.iam.Role; grants: pulumi.Resource[] } {
  const role = serviceRole(
    `${name}-cluster-role`,
    "eks.amazonaws.com",
    `EKS control plane of ${args.clusterName}`,
    args.tags,
    parent,
  );
  const attachments = attachPolicies(`${name}-cluster-role`, role, managedPolicies.cluster, parent);
  const keyPolicy = new aws.iam.RolePolicy(
    `${name}-cluster-role-kms`,
    {
      role: role.id,
      policy: secretsKey.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
              Resource: arn,
            },
          ],
        }),
      ),
    },
    { parent },
  );
  return { role, grants: [keyPolicy, ...attachments] };
}

/** Step 1, the control plane: EKS with encrypted secrets, every log type kept, the deployer admitted. */
export function createControlPlane(
  name: string,
  args: EksClusterArgs,
  parent: pulumi.Resource,
): aws.eks.Cluster {
  const secretsKey = createSecretsKey(name, args, parent);
  // EKS would create this group itself, unencrypted and kept forever; creating it first sets both.
  const { logGroup } = createEncryptedLogGroup(
    `${name}-logs`,
    {
      logGroupName: `/aws/eks/${args.clusterName}/cluster`,
      keyAlias: `alias/${args.clusterName}-eks-logs`,
      retentionDays: args.logRetentionDays,
      purpose: `the control-plane logs of ${args.clusterName}`,
      tags: args.tags,
    },
    parent,
  );
  const { role, grants } = createClusterRole(name, args, secretsKey, parent);
  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      name: args.clusterName,
      version: args.version,
      roleArn: role.arn,
      vpcConfig: eksVpcConfig(args.apiAccess, args.placement.privateSubnetIds),
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...controlPlaneLogTypes],
      accessConfig: {
        authenticationMode: "API",
        // EKS gives the creator an access entry of its own; a named role that is also the
        // creator would then be refused as a duplicate. Named roles are the whole list.
        bootstrapClusterCreatorAdminPermissions: args.adminRoleArns.length === 0,
      },
      // The core add-ons are installed as managed, pinned add-ons.
      bootstrapSelfManagedAddons: false,
      deletionProtection: args.tier === "prod",
      tags: { ...args.tags, Name: args.clusterName },
    },
    { parent, dependsOn: [logGroup, ...grants] },
  );
  return cluster;
}

/** EKS's access policy that makes a principal cluster-admin, cluster-wide. */
export const clusterAdminPolicyArn =
  "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * Who may reach the API and act in it: the deployer's network on 443 (private mode) and an
 * access entry with cluster-admin per named role. The cluster's provider waits for all of it.
 */
export function grantDeployerAccess(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  const admins = args.adminRoleArns.map((principalArn, i) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-admin-${i}`,
      { clusterName: cluster.name, principalArn, type: "STANDARD", tags: args.tags },
      { parent },
    );
    return new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${i}-policy`,
      {
        clusterName: cluster.name,
        principalArn,
        policyArn: clusterAdminPolicyArn,
        accessScope: { type: "cluster" },
      },
      { parent, dependsOn: [entry] },
    );
  });
  return [...admitDeployer(name, args.apiAccess, cluster, parent), ...admins];
}

/**
 * The endpoint EKS serves: the private one always (nodes use it), the public one only in
 * public mode and only to the stated CIDRs. Left unset, AWS would open it to 0.0.0.0/0.
 */
export function eksVpcConfig(
  access: ApiAccess,
  subnetIds: pulumi.Input<string>[],
): aws.types.input.eks.ClusterVpcConfig {
  return access.mode === "public"
    ? {
        subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: [...access.cidrs],
      }
    : { subnetIds, endpointPrivateAccess: true, endpointPublicAccess: false };
}

/**
 * In private mode the deployer reaches the API through the private endpoint's network
 * interfaces, which carry the cluster security group; EKS makes that group admit only
 * itself, so a runner elsewhere in the VPC needs a rule for 443 from its range.
 */
function admitDeployer(
  name: string,
  access: ApiAccess,
  cluster: aws.eks.Cluster,
  parent: pulumi.Resource,
): aws.vpc.SecurityGroupIngressRule[] {
  if (access.mode !== "private") return [];
  return access.cidrs.map(
    (cidr, i) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-api-deployer-${i}`,
        {
          securityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
          description: `Deployer (CI runner in ${cidr}) reaches the Kubernetes API`,
          ipProtocol: "tcp",
          fromPort: apiPort,
          toPort: apiPort,
          cidrIpv4: cidr,
        },
        { parent },
      ),
  );
}
