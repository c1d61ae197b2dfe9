import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { loadConfig } from "./config";
import { Cluster } from "./components/cluster";
import { Network } from "./components/network";
import { Workloads } from "./components/workloads";

const config = loadConfig();

const awsProvider = config.aws
  ? new aws.Provider("aws", {
      region: config.aws.region as aws.Region,
      defaultTags: { tags: config.tags },
    })
  : undefined;

const network =
  config.target === "aws" && awsProvider
    ? new Network(
        "network",
        { ...config.network, tier: config.tier, tags: config.tags, clusterName: config.baseName },
        { providers: { aws: awsProvider } },
      )
    : undefined;

const cluster =
  network && config.aws && awsProvider
    ? new Cluster(
        "cluster",
        {
          ...config.cluster,
          tier: config.tier,
          clusterName: config.baseName,
          region: config.aws.region,
          vpcId: network.vpcId,
          privateSubnetIds: network.privateSubnetIds,
          tags: config.tags,
        },
        { providers: { aws: awsProvider } },
      )
    : undefined;

const kubernetesProvider =
  config.target === "local"
    ? new k8s.Provider("k8s", {
        context: config.local?.kubeContext,
        enableServerSideApply: true,
      })
    : cluster?.provider;

const workloads = kubernetesProvider
  ? new Workloads(
      "workloads",
      { namespaces: config.namespaces, labels: { "app.kubernetes.io/part-of": config.baseName } },
      { providers: { kubernetes: kubernetesProvider } },
    )
  : undefined;

export = {
  tier: config.tier,
  target: config.target,
  ...(network && { vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds }),
  ...(cluster && {
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    kubeconfig: cluster.kubeconfig,
    oidcProviderArn: cluster.oidcProviderArn,
    nodeSecurityGroupId: cluster.nodeSecurityGroupId,
  }),
  ...(workloads && { namespaces: workloads.namespaceNames }),
};
