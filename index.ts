import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { Edge } from "./components/edge";
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

const kubernetesProvider =
  config.target === "local"
    ? new k8s.Provider("k8s", {
        context: config.local?.kubeContext,
        enableServerSideApply: true,
      })
    : undefined;

const workloads = kubernetesProvider
  ? new Workloads(
      "workloads",
      { namespaces: config.namespaces, labels: { "app.kubernetes.io/part-of": config.baseName } },
      { providers: { kubernetes: kubernetesProvider } },
    )
  : undefined;

// The token is stack config (`pulumi config set --secret cloudflare:apiToken ...`), never in
// the repository; without it the provider falls back to CLOUDFLARE_API_TOKEN.
const cloudflareProvider = config.edge
  ? new cloudflare.Provider("cloudflare", {
      apiToken: new pulumi.Config("cloudflare").getSecret("apiToken"),
    })
  : undefined;

const edge =
  config.edge && cloudflareProvider
    ? new Edge(
        "edge",
        { ...config.edge, tier: config.tier, namePrefix: config.baseName },
        { providers: { cloudflare: cloudflareProvider } },
      )
    : undefined;

export = {
  tier: config.tier,
  target: config.target,
  ...(network && { vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds }),
  ...(workloads && { namespaces: workloads.namespaceNames }),
  ...(edge && {
    publicUrls: edge.urls,
    ...(edge.pools && {
      activePool: edge.pools.active,
      standbyPool: edge.pools.standby,
      failoverTime: edge.failoverTime,
      manualFailover: edge.manualFailover,
    }),
  }),
};
