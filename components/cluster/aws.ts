import type * as pulumi from "@pulumi/pulumi";
import { createNetworkingAddons, createNodeAddons } from "./aws-addons";
import { createClusterAutoscaler } from "./aws-autoscaler";
import { createControlPlane, grantDeployerAccess } from "./aws-control-plane";
import { createEbsCsiRole, createIdentity } from "./aws-identity";
import { createNodeSecurityGroup, createNodes } from "./aws-nodes";
import { createInClusterServices, createMetricsServer } from "./aws-services";
import type { EksClusterArgs, ClusterOutputs } from "./index";

export { vpcCniConfiguration } from "./aws-addons";
export { clusterAdminPolicyArn, eksVpcConfig } from "./aws-control-plane";
export { irsaTrustPolicy, managedPolicies } from "./aws-iam";
export { eksOidcRootCaThumbprint } from "./aws-identity";
export { buildKubeconfig, defaultStorageClassName } from "./aws-services";
export { addonVersions, type AddonName } from "./versions";

/**
 * EKS in five steps: the control plane, its identity for service accounts, the networking
 * add-ons and the nodes, the add-ons that run as pods, and what runs in the cluster (the
 * provider, the default StorageClass and metrics-server and the node autoscaler).
 */
export function createAwsCluster(
  name: string,
  args: EksClusterArgs,
  parent: pulumi.Resource,
): ClusterOutputs {
  const cluster = createControlPlane(name, args, parent);
  const access = grantDeployerAccess(name, args, cluster, parent);
  const identity = createIdentity(name, args, cluster, parent);
  const nodeSecurityGroup = createNodeSecurityGroup(name, args, parent);
  const { vpcCni, kubeProxy } = createNetworkingAddons(name, args, cluster, parent);
  const nodeGroup = createNodes(
    name,
    args,
    cluster,
    nodeSecurityGroup,
    [vpcCni, kubeProxy],
    parent,
  );
  const ebsCsiRole = createEbsCsiRole(name, args, identity, parent);
  const { coredns, ebsCsi } = createNodeAddons(name, args, cluster, nodeGroup, ebsCsiRole, parent);
  const services = createInClusterServices(
    name,
    cluster,
    args.region,
    { nodeGroup, addons: [vpcCni, kubeProxy, coredns, ebsCsi], ebsCsi, access },
    parent,
  );
  createMetricsServer(name, services.provider, parent);
  createClusterAutoscaler(name, args, identity, services.provider, parent);
  return {
    clusterName: cluster.name,
    endpoint: cluster.endpoint,
    kubeconfig: services.kubeconfig,
    oidcProviderArn: identity.oidcProvider.arn,
    oidcIssuer: identity.oidcIssuer,
    nodeSecurityGroupId: nodeSecurityGroup.id,
    storageClassName: services.storageClassName,
    provider: services.provider,
  };
}
