import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../aws/logs";
import { apiPort, type ApiAccess } from "./access";
import { controlPlaneLogTypes, type ClusterArgs, type ClusterOutputs } from "./index";
import { addonVersions, type AddonName } from "./versions";

export { addonVersions, type AddonName } from "./versions";

/** AWS-managed policies the roles carry. */
export const managedPolicies = {
  cluster: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
  node: [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ],
  ebsCsi: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/**
 * SHA-1 of the root CA behind every EKS OIDC issuer. IAM checks EKS issuers against its own
 * trusted CAs and ignores the thumbprint, but the API still records one.
 */
export const eksOidcRootCaThumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/** Service account the EBS CSI controller runs as. */
const ebsCsiServiceAccount = "system:serviceaccount:kube-system:ebs-csi-controller-sa";

function serviceRole(
  name: string,
  service: string,
  description: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    name,
    {
      description,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      }),
      tags,
    },
    { parent },
  );
}

function attachPolicies(
  name: string,
  role: aws.iam.Role,
  policyArns: readonly string[],
  parent: pulumi.Resource,
): aws.iam.RolePolicyAttachment[] {
  return policyArns.map(
    (policyArn) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policyArn.split("/").pop()!}`,
        { role: role.name, policyArn },
        { parent },
      ),
  );
}

export function createAwsCluster(
  name: string,
  args: ClusterArgs,
  parent: pulumi.Resource,
): ClusterOutputs {
  const opts = { parent };
  const tags = args.tags;

  // Control plane: secrets envelope-encrypted with a customer key, every log type kept.
  const secretsKey = new aws.kms.Key(
    `${name}-secrets-key`,
    {
      description: `Envelope-encrypts the Kubernetes secrets of ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { ...tags, Name: `${name}-secrets-key` },
    },
    opts,
  );
  new aws.kms.Alias(
    `${name}-secrets-key-alias`,
    { name: `alias/${args.clusterName}-eks-secrets`, targetKeyId: secretsKey.keyId },
    opts,
  );
  // EKS would create this group itself, unencrypted and kept forever; creating it first sets both.
  const { logGroup } = createEncryptedLogGroup(
    `${name}-logs`,
    {
      logGroupName: `/aws/eks/${args.clusterName}/cluster`,
      keyAlias: `alias/${args.clusterName}-eks-logs`,
      retentionDays: args.logRetentionDays,
      purpose: `the control-plane logs of ${args.clusterName}`,
      tags,
    },
    parent,
  );

  const clusterRole = serviceRole(
    `${name}-cluster-role`,
    "eks.amazonaws.com",
    `EKS control plane of ${args.clusterName}`,
    tags,
    parent,
  );
  const clusterAttachments = attachPolicies(
    `${name}-cluster-role`,
    clusterRole,
    managedPolicies.cluster,
    parent,
  );
  const clusterKeyPolicy = new aws.iam.RolePolicy(
    `${name}-cluster-role-kms`,
    {
      role: clusterRole.id,
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
    opts,
  );

  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      name: args.clusterName,
      version: args.version,
      roleArn: clusterRole.arn,
      vpcConfig: eksVpcConfig(args.apiAccess, args.privateSubnetIds),
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...controlPlaneLogTypes],
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: true,
      },
      // The core add-ons are installed below as managed, pinned add-ons.
      bootstrapSelfManagedAddons: false,
      deletionProtection: args.tier === "prod",
      tags: { ...tags, Name: args.clusterName },
    },
    { parent, dependsOn: [logGroup, clusterKeyPolicy, ...clusterAttachments] },
  );

  admitDeployer(name, args.apiAccess, cluster, parent);

  const issuer = cluster.identities.apply((ids) => {
    const url = ids[0]?.oidcs?.[0]?.issuer;
    if (!url) throw new Error(`EKS cluster ${args.clusterName} reported no OIDC issuer`);
    return url;
  });
  const oidcProvider = new aws.iam.OpenIdConnectProvider(
    `${name}-oidc`,
    {
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      thumbprintLists: [eksOidcRootCaThumbprint],
      tags: { ...tags, Name: `${name}-oidc` },
    },
    opts,
  );
  const oidcIssuer = issuer.apply((url) => url.replace(/^https:\/\//, ""));

  // Nodes: a group of their own that data services admit, in the VPC rather than the
  // control plane, plus the cluster's security group so nodes and control plane talk.
  const nodeSecurityGroup = new aws.ec2.SecurityGroup(
    `${name}-node-sg`,
    {
      vpcId: args.vpcId,
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
      tags: { ...tags, Name: `${name}-node-sg` },
    },
    opts,
  );
  const nodeRole = serviceRole(
    `${name}-node-role`,
    "ec2.amazonaws.com",
    `Nodes of ${args.clusterName}`,
    tags,
    parent,
  );
  const nodeAttachments = attachPolicies(
    `${name}-node-role`,
    nodeRole,
    managedPolicies.node,
    parent,
  );
  const launchTemplate = new aws.ec2.LaunchTemplate(
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
        { resourceType: "instance", tags: { ...tags, Name: `${args.clusterName}-node` } },
        { resourceType: "volume", tags: { ...tags, Name: `${args.clusterName}-node` } },
      ],
      tags: { ...tags, Name: `${name}-nodes-lt` },
    },
    opts,
  );

  const versions = addonVersions[args.version];
  const addon = (
    addonName: AddonName,
    extra: { serviceAccountRoleArn?: pulumi.Input<string>; configurationValues?: string },
    dependsOn: pulumi.Resource[],
  ) =>
    new aws.eks.Addon(
      `${name}-${addonName}`,
      {
        clusterName: cluster.name,
        addonName,
        addonVersion: versions[addonName],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        ...extra,
        tags,
      },
      { parent, dependsOn },
    );
  // Networking add-ons first: nodes only become Ready once the CNI runs.
  const vpcCni = addon("vpc-cni", { configurationValues: vpcCniConfiguration }, []);
  const kubeProxy = addon("kube-proxy", {}, []);

  const nodeGroup = new aws.eks.NodeGroup(
    `${name}-nodes`,
    {
      clusterName: cluster.name,
      nodeGroupNamePrefix: `${args.clusterName}-`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: args.privateSubnetIds,
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
      tags: { ...tags, Name: `${name}-nodes` },
    },
    {
      parent,
      dependsOn: [vpcCni, kubeProxy, ...nodeAttachments],
      // The cluster autoscaler moves the desired size; a deploy must not undo it.
      ignoreChanges: ["scalingConfig.desiredSize"],
    },
  );

  const ebsCsiRole = new aws.iam.Role(
    `${name}-ebs-csi-role`,
    {
      description: `EBS CSI controller of ${args.clusterName} (IAM role for its service account)`,
      assumeRolePolicy: pulumi
        .all([oidcProvider.arn, oidcIssuer])
        .apply(([arn, host]) => JSON.stringify(irsaTrustPolicy(arn, host, ebsCsiServiceAccount))),
      tags,
    },
    opts,
  );
  const ebsCsiAttachments = attachPolicies(
    `${name}-ebs-csi-role`,
    ebsCsiRole,
    managedPolicies.ebsCsi,
    parent,
  );
  const coredns = addon("coredns", {}, [nodeGroup]);
  const ebsCsi = addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiRole.arn }, [
    nodeGroup,
    ...ebsCsiAttachments,
  ]);

  const kubeconfig = pulumi.secret(
    pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) =>
        JSON.stringify(buildKubeconfig(clusterName, endpoint, ca.data ?? "", args.region)),
      ),
  );
  // Everything deployed through this provider waits for nodes, networking, DNS and volumes:
  // a Helm release or a PVC started before them hangs until its timeout.
  const provider = new k8s.Provider(
    `${name}-k8s`,
    { kubeconfig, enableServerSideApply: true },
    { parent, dependsOn: [nodeGroup, vpcCni, kubeProxy, coredns, ebsCsi] },
  );
  const storageClass = createDefaultStorageClass(name, provider, ebsCsi, parent);

  return {
    clusterName: cluster.name,
    endpoint: cluster.endpoint,
    kubeconfig,
    oidcProviderArn: oidcProvider.arn,
    oidcIssuer,
    nodeSecurityGroupId: nodeSecurityGroup.id,
    storageClassName: storageClass.metadata.name,
    provider,
  };
}

/**
 * vpc-cni add-on settings: its network policy agent enforces NetworkPolicies, which EKS
 * otherwise stores and ignores. The add-on's schema takes the flag as the string "true".
 */
export const vpcCniConfiguration = JSON.stringify({ enableNetworkPolicy: "true" });

/** Name of the default StorageClass every PersistentVolumeClaim without a class gets. */
export const defaultStorageClassName = "gp3-encrypted";

/**
 * EKS has had no default StorageClass since 1.30, so a claim without a class stays Pending.
 * gp3 volumes encrypted with the account's EBS key (aws/ebs), created in the zone of the pod
 * that claims them, and growable in place.
 */
function createDefaultStorageClass(
  name: string,
  provider: k8s.Provider,
  ebsCsi: aws.eks.Addon,
  parent: pulumi.Resource,
): k8s.storage.v1.StorageClass {
  return new k8s.storage.v1.StorageClass(
    `${name}-gp3`,
    {
      metadata: {
        name: defaultStorageClassName,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    { parent, provider, dependsOn: [ebsCsi] },
  );
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
): void {
  if (access.mode !== "private") return;
  access.cidrs.forEach(
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

/** Trust policy of an IAM role one Kubernetes service account may assume (IRSA). */
export function irsaTrustPolicy(
  providerArn: string,
  issuerHost: string,
  serviceAccount: string,
): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuerHost}:sub`]: serviceAccount,
            [`${issuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** A kubeconfig for one EKS cluster that gets its token from `aws eks get-token`. */
export function buildKubeconfig(
  clusterName: string,
  endpoint: string,
  certificateAuthorityData: string,
  region: string,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: clusterName,
        cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData },
      },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
            interactiveMode: "Never",
          },
        },
      },
    ],
  };
}
