import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterArgs } from "./index";
import { addonVersions, defaultBuildOfEks, type AddonName } from "./versions";

/**
 * vpc-cni add-on settings: its network policy agent enforces NetworkPolicies, which EKS
 * otherwise stores and ignores. The add-on's schema takes the flag as the string "true".
 */
export const vpcCniConfiguration = JSON.stringify({ enableNetworkPolicy: "true" });

interface AddonExtras {
  readonly serviceAccountRoleArn?: pulumi.Input<string>;
  readonly configurationValues?: string;
}

/**
 * The add-on's version for the cluster's Kubernetes version: the pin, or the build EKS
 * recommends for that version where no table lists one.
 */
export function addonVersion(
  args: EksClusterArgs,
  addonName: AddonName,
  parent: pulumi.Resource,
): pulumi.Input<string> {
  const pinned: string = addonVersions[args.version][addonName];
  if (pinned !== defaultBuildOfEks) return pinned;
  return aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: args.version }, { parent })
    .version;
}

/** One managed add-on at the version pinned for the cluster's Kubernetes version. */
function createAddon(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  addonName: AddonName,
  extra: AddonExtras,
  dependsOn: pulumi.Resource[],
  parent: pulumi.Resource,
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${name}-${addonName}`,
    {
      clusterName: cluster.name,
      addonName,
      addonVersion: addonVersion(args, addonName, parent),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      ...extra,
      tags: args.tags,
    },
    { parent, dependsOn },
  );
}

/** Step 4a, networking add-ons: before the nodes, which only become Ready once the CNI runs. */
export function createNetworkingAddons(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  parent: pulumi.Resource,
): { vpcCni: aws.eks.Addon; kubeProxy: aws.eks.Addon } {
  const add = (addonName: AddonName, extra: AddonExtras) =>
    createAddon(name, args, cluster, addonName, extra, [], parent);
  return {
    vpcCni: add("vpc-cni", { configurationValues: vpcCniConfiguration }),
    kubeProxy: add("kube-proxy", {}),
  };
}

/** Step 4b, add-ons that run as pods: after the nodes. */
export function createNodeAddons(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  nodeGroup: aws.eks.NodeGroup,
  ebsCsi: { role: aws.iam.Role; attachments: pulumi.Resource[] },
  parent: pulumi.Resource,
): { coredns: aws.eks.Addon; ebsCsi: aws.eks.Addon } {
  return {
    coredns: createAddon(name, args, cluster, "coredns", {}, [nodeGroup], parent),
    ebsCsi: createAddon(
      name,
      args,
      cluster,
      "aws-ebs-csi-driver",
      { serviceAccountRoleArn: ebsCsi.role.arn },
      [nodeGroup, ...ebsCsi.attachments],
      parent,
    ),
  };
}
