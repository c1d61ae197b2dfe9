import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { loadConfig } from "./config";
import { recoveryTime } from "./config/recovery";
import { gcpLabels } from "./components/gcp/labels";
import { buildAwsSite } from "./compose/aws";
import { buildCloudflareProvider, buildEdge, buildOriginLock } from "./compose/edge";
import { buildGcpSite, buildStandbyDataPath, buildStandbyWorkloads } from "./compose/gcp";
import { buildInCluster, platformLabels, type PrimaryCluster } from "./compose/in-cluster";
import { buildLocalSite } from "./compose/local";

const config = loadConfig();
const cloudflareProvider = buildCloudflareProvider(config);
// Both origins admit only the edge when there is one.
const originLock = buildOriginLock(cloudflareProvider);

const awsProvider = config.aws
  ? new aws.Provider("aws", {
      region: config.aws.region as aws.Region,
      defaultTags: { tags: config.tags },
    })
  : undefined;

// GCP builds the whole platform when it is the target, or a warm standby of the AWS primary.
const gcpProvider = config.gcp
  ? new gcp.Provider("gcp", {
      project: config.gcp.project,
      region: config.gcp.region,
      defaultLabels: gcpLabels(config.tags),
    })
  : undefined;

// The site the target builds, and the standby beside it. The standby is deployed by the
// primary's runner, which reaches it from the primary VPC's NAT addresses.
const gcpSite =
  gcpProvider && config.target === "gcp" ? buildGcpSite("", config, gcpProvider, false) : undefined;
const awsSite =
  awsProvider && config.target === "aws" ? buildAwsSite(config, awsProvider) : undefined;
const standby =
  gcpProvider && config.standby === "gcp"
    ? buildGcpSite("standby-", config, gcpProvider, true, awsSite?.network.natPublicIps)
    : undefined;
const localSite = config.target === "local" ? buildLocalSite(config) : undefined;

const site = awsSite ?? gcpSite;
const primary: PrimaryCluster | undefined = localSite
  ? {
      provider: localSite.provider,
      localData: localSite.data,
      workloadsDependOn: [localSite.metricsServer],
    }
  : site && {
      provider: site.cluster.provider,
      cluster: site.cluster,
      database: site.database,
      cache: site.cache,
      search: awsSite?.search,
      queue: awsSite?.queue ?? gcpSite?.queue,
      backups: awsSite?.backups,
      objectStore: site.objectStore,
      ingressAddress: gcpSite?.ingressAddress,
      originLock,
      ...(awsSite && { awsProvider }),
      ...(gcpSite && { gcpProvider: gcpSite.provider }),
    };
const inCluster = primary && buildInCluster(config, primary);

const standbyRun =
  standby && buildStandbyWorkloads(config, standby, platformLabels(config), originLock);
// The primary's buckets and database copied to the standby, once the primary's app namespace
// exists (the source database is prepared from a Job there).
const standbyData =
  awsProvider && awsSite && standby && inCluster
    ? buildStandbyDataPath(
        config,
        {
          network: awsSite.network,
          database: awsSite.database,
          objectStore: awsSite.objectStore,
          cluster: { provider: awsSite.cluster.provider, ready: [inCluster.workloads] },
        },
        standby,
        { aws: awsProvider, gcp: standby.provider },
      )
    : undefined;
const standbyTransfer = standbyData?.transfers["backups"];

const edge = buildEdge(
  config,
  { primary: inCluster?.ingress, standby: standbyRun?.ingress },
  cloudflareProvider,
);
// The RTO the design gives (config/recovery.ts), printed with its parts.
const rto = recoveryTime(config);

const { network, cluster, cache, objectStore } = site ?? {};
// The timescaledb engine's database runs on the cluster, so the in-cluster build returns it.
const database = site?.database ?? inCluster?.database;
const { search, backups } = awsSite ?? {};
const queue = awsSite?.queue ?? gcpSite?.queue;
const { ingress, workloads, observability } = inCluster ?? {};
const localData = localSite?.data;

export = {
  tier: config.tier,
  target: config.target,
  ...(network && { vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds }),
  ...(network?.interfaceEndpointIds && {
    vpcEndpoints: network.interfaceEndpointIds,
    vpcEndpointSecurityGroupId: network.endpointSecurityGroupId,
  }),
  ...(cluster && {
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    kubeconfig: cluster.kubeconfig,
    ...(cluster.nodeSecurityGroupId && {
      oidcProviderArn: cluster.oidcProviderArn,
      nodeSecurityGroupId: cluster.nodeSecurityGroupId,
    }),
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
  ...(localData?.database && { databaseHost: localData.database.host }),
  ...(localData?.cache && { cacheHost: localData.cache.host }),
  ...(localData?.objectStore && { objectStoreEndpoint: localData.objectStore.endpoint }),
  ...(ingress?.address && { ingressAddress: ingress.address }),
  ...(workloads && {
    namespaces: workloads.namespaceNames,
    loadBalancers: workloads.loadBalancers,
  }),
  ...(inCluster &&
    Object.keys(inCluster.serviceIdentities).length > 0 && {
      serviceIdentities: inCluster.serviceIdentities,
    }),
  ...(observability && {
    grafanaUrl: observability.grafanaUrl,
    alertmanagerUrl: observability.alertmanagerUrl,
    tracesEndpoint: observability.tracesEndpoint,
    logsDestination: observability.logsDestination,
    backupsDestination: observability.backupsDestination,
  }),
  ...(standby && {
    standbyClusterName: standby.cluster.clusterName,
    ...(standby.database && { standbyDatabaseHost: standby.database.host }),
    ...(standby.cache && { standbyCacheHost: standby.cache.host }),
    ...(standby.objectStore && { standbyBucketNames: standby.objectStore.bucketNames }),
    ...(standbyRun && {
      standbyNamespaces: standbyRun.workloads.namespaceNames,
      standbyServicesLeftOut: standbyRun.servicesLeftOut,
    }),
    ...(standbyTransfer && { standbyBackupTransferJob: standbyTransfer.jobName }),
    ...(standbyData && {
      standbyTransferJobs: Object.fromEntries(
        Object.entries(standbyData.transfers).map(([role, t]) => [role, t.jobName]),
      ),
    }),
    ...(standbyData?.database && {
      standbyDatabaseMigrationJob: standbyData.database.migrationJobName,
    }),
    ...(standbyRun?.ingress?.address && { standbyIngressAddress: standbyRun.ingress.address }),
  }),
  ...(edge && {
    publicUrls: edge.urls,
    ...(edge.pools && {
      activePool: edge.pools.active,
      standbyPool: edge.pools.standby,
      failoverTime: edge.failoverTime,
      manualFailover: edge.manualFailover,
    }),
  }),
  // What a failover takes (config/recovery.ts) and what it can lose (config/rpo.ts).
  ...((rto ?? config.replication) && {
    recovery: { ...(rto && { rto }), ...(config.replication && { rpo: config.replication.rpo }) },
  }),
};
