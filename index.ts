import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressOrigins, loadConfig } from "./config";
import { podsMetricsOf } from "./config/services";
import { Backups } from "./components/backup";
import { Cache } from "./components/cache";
import { Cluster } from "./components/cluster";
import { Database } from "./components/database";
import { Edge, type EdgeOrigin } from "./components/edge";
import { Ingress } from "./components/ingress";
import { LocalDataServices } from "./components/local-data";
import { Network } from "./components/network";
import { ObjectStore } from "./components/objectstore";
import type { AwsPlacement } from "./components/placement";
import { Queue } from "./components/queue";
import { Search } from "./components/search";
import { Observability } from "./components/observability";
import { Workloads } from "./components/workloads";
import { gcpLabels } from "./components/gcp/labels";
import { BackupTransfer } from "./components/objectstore/transfer";
import { buildGcpSite, buildStandbyWorkloads } from "./compose/gcp";

const config = loadConfig();

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
const onGcp =
  gcpProvider && config.target === "gcp" ? buildGcpSite("", config, gcpProvider, false) : undefined;
const standby =
  gcpProvider && config.standby === "gcp"
    ? buildGcpSite("standby-", config, gcpProvider, true)
    : undefined;

const network =
  config.target === "aws" && awsProvider
    ? new Network(
        "network",
        { ...config.network, tier: config.tier, tags: config.tags, clusterName: config.baseName },
        { providers: { aws: awsProvider } },
      )
    : onGcp?.network;

const cluster =
  config.target === "aws" && network && config.aws && awsProvider
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
    : onGcp?.cluster;

// The data services admit the nodes' security group and nothing else. That group needs only
// the VPC, so the data stores never wait on the control plane or the node groups.
const placement: AwsPlacement | undefined =
  network && cluster?.nodeSecurityGroupId
    ? {
        target: "aws",
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
        replicaRegion: config.aws?.replicaRegion,
      }
    : undefined;
const onAws = placement && { providers: { aws: awsProvider! } };
const common = placement && { tier: config.tier, placement, tags: config.tags };

const database =
  common && config.database.enabled
    ? new Database("database", { ...config.database, ...common }, onAws)
    : onGcp?.database;
const cache =
  common && config.cache.enabled
    ? new Cache("cache", { ...config.cache, ...common }, onAws)
    : onGcp?.cache;
const objectStore =
  common && config.objectStore.enabled
    ? new ObjectStore("objects", { ...config.objectStore, ...common }, onAws)
    : onGcp?.objectStore;
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
    : cluster?.provider;

// What pods read through secretKeyRef; every value stays a Pulumi secret.
const managedConnections: Record<string, pulumi.Output<string>> = {
  ...(database && { "database-url": database.connectionString }),
  ...(cache && { "redis-url": cache.connectionString }),
  ...(search && { "search-url": search.connectionString }),
};

const labels = { "app.kubernetes.io/part-of": config.baseName };
const appNamespace = config.namespaces[0]!.name;
const monitoringNamespaceName = config.namespaces[1]!.name;

const ingress =
  kubernetesProvider && config.acmeEmail !== undefined
    ? new Ingress(
        "ingress",
        {
          tier: config.tier,
          target: config.target,
          acmeEmail: config.acmeEmail,
          labels,
          ...(config.acmeDns01 && { dns01: config.acmeDns01 }),
          ...(onGcp?.ingressAddress && { loadBalancerIp: onGcp.ingressAddress.address }),
        },
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
        jobs: config.jobs,
        connectionSecrets: localData?.connectionSecrets ?? managedConnections,
        ...(ingress && {
          ingressControllerNamespace: ingress.controllerNamespace,
          clusterIssuer: ingress.clusterIssuer,
        }),
        monitoringNamespace: monitoringNamespaceName,
      },
      { providers: { kubernetes: kubernetesProvider }, dependsOn: ingress ? [ingress] : [] },
    )
  : undefined;

// The standby's workloads, and the primary's backups copied into its bucket (the README
// gives the RPO this data path reaches).
const standbyRun = standby && buildStandbyWorkloads(config, standby, labels);
const primaryBackups = objectStore?.bucketNames["backups"];
const standbyBackups = standby?.objectStore?.bucketNames["backups"];
const standbyTransfer =
  awsProvider && gcpProvider && primaryBackups && standbyBackups
    ? new BackupTransfer(
        "standby-backups",
        { sourceBucket: primaryBackups, sinkBucket: standbyBackups, tags: config.tags },
        { providers: { aws: awsProvider, gcp: gcpProvider } },
      )
    : undefined;

const monitoringNamespace =
  workloads?.namespaceNames[
    config.namespaces.findIndex((ns) => ns.name === monitoringNamespaceName)
  ];

// Cluster backups go to the object store's backups bucket; Velero and Fluent Bit reach the
// cloud through roles the component builds on the cluster's workload identity.
const backupsBucket = objectStore?.bucketNames.backups;
const observability =
  kubernetesProvider && monitoringNamespace
    ? new Observability(
        "observability",
        {
          target: config.target,
          tier: config.tier,
          namespace: monitoringNamespace,
          clusterName: config.baseName,
          region: config.aws?.region ?? config.gcp?.region,
          gcpProject: config.gcp?.project,
          scrapeTargets: config.services.map((service) => ({
            name: service.name,
            namespace: appNamespace,
            port: "http",
            path: "/metrics",
          })),
          podsMetrics: podsMetricsOf(config.services),
          ...(localData &&
            config.observability.inClusterExporters && {
              inClusterData: {
                postgres: {
                  host: localData.database.host,
                  port: 5432,
                  database: localData.database.databaseName,
                  username: localData.database.username,
                  password: localData.database.password,
                },
                redis: {
                  address: pulumi.interpolate`${localData.cache.host}:${localData.cache.port}`,
                  password: localData.cache.authToken,
                },
              },
            }),
          ...(cluster?.oidcProviderArn &&
            cluster.oidcIssuer &&
            config.target === "aws" && {
              clusterIdentity: {
                oidcProviderArn: cluster.oidcProviderArn,
                oidcIssuer: cluster.oidcIssuer,
              },
            }),
          // Each stack has its own cluster: Velero backs up this stack's application namespace.
          ...(backupsBucket && { backups: { bucket: backupsBucket, namespaces: [appNamespace] } }),
          managedData: {
            rdsInstanceIds: database ? [database.instanceId] : [],
            rdsReplicaIds: database?.replicaInstanceIds ?? [],
            cacheClusterIds: cache?.nodeIds ?? [],
          },
          receivers: config.observability.receivers,
          settings: config.observability.settings,
          labels,
          tags: config.tags,
        },
        {
          providers: {
            kubernetes: kubernetesProvider,
            ...(gcpProvider && config.target === "gcp" && { gcp: gcpProvider }),
          },
        },
      )
    : undefined;

// The token is stack config (`pulumi config set --secret cloudflare:apiToken ...`), never in
// the repository; without it the provider falls back to CLOUDFLARE_API_TOKEN.
const cloudflareProvider = config.edge
  ? new cloudflare.Provider("cloudflare", {
      apiToken: new pulumi.Config("cloudflare").getSecret("apiToken"),
    })
  : undefined;

// Each cloud's origin: the stack's override, else the address of the ingress controller there
// (an NLB hostname on AWS, the reserved IPv4 address on GCP).
const ingressByRole = { primary: ingress, standby: standbyRun?.ingress };
const edgeOrigin = (cloud: "aws" | "gcp"): EdgeOrigin | undefined => {
  const override = config.edge?.origins[cloud];
  if (override !== undefined) return { hostname: override };
  const role = ingressOrigins(config)[cloud];
  const address = role && ingressByRole[role]?.address;
  if (!address) return undefined;
  return cloud === "gcp" ? { ipv4: address } : { hostname: address };
};

const edge =
  config.edge && cloudflareProvider
    ? new Edge(
        "edge",
        {
          ...config.edge,
          tier: config.tier,
          namePrefix: config.baseName,
          origins: { aws: edgeOrigin("aws"), gcp: edgeOrigin("gcp") },
        },
        { providers: { cloudflare: cloudflareProvider } },
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
  ...(localData && {
    databaseHost: localData.database.host,
    cacheHost: localData.cache.host,
    objectStoreEndpoint: localData.objectStore.endpoint,
  }),
  ...(ingress?.address && { ingressAddress: ingress.address }),
  ...(workloads && {
    namespaces: workloads.namespaceNames,
    loadBalancers: workloads.loadBalancers,
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
};
