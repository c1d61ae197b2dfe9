import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { loadConfig } from "./config";
import { Network } from "./components/network";
import { Observability } from "./components/observability";
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

const labels = { "app.kubernetes.io/part-of": config.baseName };
const monitoringNamespace =
  workloads?.namespaceNames[config.namespaces.findIndex((ns) => ns.name === "monitoring")];

const observability =
  kubernetesProvider && monitoringNamespace
    ? new Observability(
        "observability",
        {
          target: config.target,
          tier: config.tier,
          namespace: monitoringNamespace,
          clusterName: config.baseName,
          scrapeTargets: [],
          receivers: config.observability.receivers,
          settings: config.observability.settings,
          labels,
          tags: config.tags,
        },
        { providers: { kubernetes: kubernetesProvider } },
      )
    : undefined;

export = {
  tier: config.tier,
  target: config.target,
  ...(network && { vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds }),
  ...(workloads && { namespaces: workloads.namespaceNames }),
  ...(observability && {
    grafanaUrl: observability.grafanaUrl,
    alertmanagerUrl: observability.alertmanagerUrl,
    tracesEndpoint: observability.tracesEndpoint,
    logsDestination: observability.logsDestination,
    backupsDestination: observability.backupsDestination,
  }),
};
