import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { loadConfig } from "./config";
import { Backups } from "./components/backup";
import { Cache } from "./components/cache";
import { Database } from "./components/database";
import { Network } from "./components/network";
import { ObjectStore } from "./components/objectstore";
import type { AwsPlacement } from "./components/placement";
import { Queue } from "./components/queue";
import { Search } from "./components/search";
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

// The data services need only the network: they admit the workload clients' group, which the
// cluster's nodes join, so they never wait on the cluster.
const placement: AwsPlacement | undefined = network && {
  target: "aws",
  vpcId: network.vpcId,
  subnetIds: network.privateSubnetIds,
  clientSecurityGroupIds: [network.clientsSecurityGroupId],
  replicaRegion: config.aws?.replicaRegion,
};
const onAws = placement && { providers: { aws: awsProvider! } };
const common = placement && { tier: config.tier, placement, tags: config.tags };

const database =
  common && config.database.enabled
    ? new Database("database", { ...config.database, ...common }, onAws)
    : undefined;
const cache =
  common && config.cache.enabled
    ? new Cache("cache", { ...config.cache, ...common }, onAws)
    : undefined;
const objectStore =
  common && config.objectStore.enabled
    ? new ObjectStore("objects", { ...config.objectStore, ...common }, onAws)
    : undefined;
const search =
  common && config.search.enabled
    ? new Search("search", { ...config.search, ...common }, onAws)
    : undefined;
const queue =
  common && config.queue.enabled
    ? new Queue("notifications", { ...config.queue, ...common }, onAws)
    : undefined;
const backups =
  common && database && config.backup.enabled
    ? new Backups(
        "backups",
        { ...config.backup, ...common, resources: [database.resourceId] },
        onAws,
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

export = {
  tier: config.tier,
  target: config.target,
  ...(network && {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    workloadClientsSecurityGroupId: network.clientsSecurityGroupId,
  }),
  ...(database && {
    databaseHost: database.host,
    databasePort: database.port,
    databaseReaderHost: database.readerHost,
    databaseConnectionString: database.connectionString,
  }),
  ...(cache && {
    cacheHost: cache.host,
    cachePort: cache.port,
    cacheConnectionString: cache.connectionString,
  }),
  ...(objectStore && {
    bucketNames: objectStore.bucketNames,
    replicaBucketNames: objectStore.replicaBucketNames,
    objectStoreEndpoint: objectStore.endpoint,
  }),
  ...(search && {
    searchEndpoint: search.endpoint,
    searchConnectionString: search.connectionString,
  }),
  ...(queue && { notificationTopicArn: queue.topicArn, notificationQueueUrl: queue.queueUrl }),
  ...(backups && {
    backupVaultName: backups.vaultName,
    backupReplicaVaultName: backups.replicaVaultName,
  }),
  ...(workloads && { namespaces: workloads.namespaceNames }),
};
