import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { loadConfig } from "./config";
import { Cluster } from "./components/cluster";
import { Ingress } from "./components/ingress";
import { LocalDataServices } from "./components/local-data";
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

const labels = { "app.kubernetes.io/part-of": config.baseName };
const appNamespace = config.namespaces[0]!.name;

const ingress =
  kubernetesProvider && config.acmeEmail !== undefined
    ? new Ingress(
        "ingress",
        { tier: config.tier, target: config.target, acmeEmail: config.acmeEmail, labels },
        { providers: { kubernetes: kubernetesProvider } },
      )
    : undefined;

const localData =
  kubernetesProvider && config.target === "local"
    ? new LocalDataServices(
        "data",
        {
          tier: config.tier,
          namespace: `${appNamespace}-data`,
          clientNamespace: appNamespace,
          labels,
        },
        { providers: { kubernetes: kubernetesProvider } },
      )
    : undefined;

const workloads = kubernetesProvider
  ? new Workloads(
      "workloads",
      {
        namespaces: config.namespaces,
        labels,
        target: config.target,
        services: config.services,
        connectionSecrets: localData?.connectionSecrets ?? {},
        ...(ingress && {
          ingressControllerNamespace: ingress.controllerNamespace,
          clusterIssuer: ingress.clusterIssuer,
        }),
      },
      { providers: { kubernetes: kubernetesProvider }, dependsOn: ingress ? [ingress] : [] },
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
  ...(workloads && {
    namespaces: workloads.namespaceNames,
    loadBalancers: workloads.loadBalancers,
  }),
  ...(localData && {
    databaseHost: localData.database.host,
    cacheHost: localData.cache.host,
    objectStoreEndpoint: localData.objectStore.endpoint,
  }),
};
