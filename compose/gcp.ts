import type * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Cache } from "../components/cache";
import { memorystoreTlsPort } from "../components/cache/gcp";
import { Cluster } from "../components/cluster";
import { Database } from "../components/database";
import { GcpApis, gcpApisFor, providerAfterApis } from "../components/gcp/apis";
import { gcpLabels } from "../components/gcp/labels";
import type { OriginLock } from "../components/edge/origin";
import { Ingress } from "../components/ingress";
import { Network, type GcpNetworkPlacement } from "../components/network";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { ObjectStore } from "../components/objectstore";
import { BackupTransfer } from "../components/objectstore/transfer";
import { Queue } from "../components/queue";
import { CrossCloudVpn, DatabaseReplication } from "../components/replication";
import { applicationNamespace } from "./in-cluster";
import type { GcpPlacement } from "../components/placement";
import { Workloads, type ServiceSettings } from "../components/workloads";
import type { PlatformConfig } from "../config";
import {
  servicesTheStandbyCanRun,
  standbyReplicas,
  withoutMissingConnections,
} from "../config/standby";
import { buildServiceIdentities } from "./identity";

/** The platform on GCP: a primary of its own (`target: gcp`) or the warm standby of AWS. */
export interface GcpSite {
  /** The APIs the site's resources call, enabled before any of them. */
  readonly apis: GcpApis;
  /**
   * The provider every GCP resource of the site is built through: ready only once `apis` are
   * enabled. Whatever else is built in the site's project should use it too.
   */
  readonly provider: gcp.Provider;
  readonly network: Network<GcpNetworkPlacement>;
  readonly cluster: Cluster;
  readonly placement: GcpPlacement;
  readonly database?: Database;
  readonly cache?: Cache;
  readonly objectStore?: ObjectStore;
  /** The notification queue (Pub/Sub), on a GCP primary only: the standby keeps AWS's. */
  readonly queue?: Queue;
  /**
   * The regional external IPv4 address the site's ingress controller takes, reserved when a
   * service is exposed by ingress: the edge's GCP origin, known without reading the cluster.
   */
  readonly ingressAddress?: gcp.compute.Address;
}

export { servicesTheStandbyCanRun, standbyReplicas } from "../config/standby";

/** Port of ElastiCache Redis, which egress rules of the primary name. */
export const elastiCachePort = 6379;

/** Range Cloud SQL and Memorystore get their private addresses from (private service access). */
export const gcpManagedServicesCidr = `${gcpNetworkDefaults.privateServiceAddress}/${gcpNetworkDefaults.privateServicePrefixLength}`;

/**
 * The services as the standby runs them: `standbyReplicas` at rest (the autoscaler's minimum
 * too, its maximum unchanged so a failover scales out), and egress to the primary's VPC range
 * (where the data services live on AWS) pointed at the range they live in on GCP, Redis's
 * port 6379 becoming Memorystore's TLS port 6378.
 */
export function standbyServices(
  services: readonly ServiceSettings[],
  primaryCidr: string,
): ServiceSettings[] {
  return services.map((service) => ({
    ...service,
    replicas: standbyReplicas,
    // The standby runs no Prometheus, so no custom metrics API: CPU and memory only.
    autoscaling: { ...service.autoscaling, min: standbyReplicas, podsMetrics: [] },
    egress: service.egress.map((rule) =>
      rule.cidr === primaryCidr
        ? {
            ...rule,
            cidr: gcpManagedServicesCidr,
            port: rule.port === elastiCachePort ? memorystoreTlsPort : rule.port,
          }
        : rule,
    ),
  }));
}

/**
 * The APIs the site calls, enabled through the stack's provider, and the provider the site
 * builds through, which waits for them.
 */
function enableSiteApis(
  prefix: string,
  config: PlatformConfig,
  gcpConfig: { readonly project: string; readonly region: string },
  provider: gcp.Provider,
  standby: boolean,
): { apis: GcpApis; siteProvider: gcp.Provider } {
  const apis = new GcpApis(
    `${prefix}gcp-apis`,
    {
      project: gcpConfig.project,
      apis: gcpApisFor({
        database: config.database.enabled,
        cache: config.cache.enabled,
        objectStore: config.objectStore.enabled,
        // The primary's backups are copied into the standby's bucket (index.ts).
        backupTransfer: standby,
        // The primary's database is replicated into the standby's (buildStandbyDataPath).
        databaseReplication: standby && replicatesDatabase(config),
        queue: buildsQueue(config, standby),
      }),
    },
    { provider },
  );
  const siteProvider = providerAfterApis(
    `${prefix}gcp-site`,
    { project: gcpConfig.project, region: gcpConfig.region, labels: gcpLabels(config.tags) },
    apis,
  );
  return { apis, siteProvider };
}

/**
 * Network, GKE and the managed data services on GCP, through the same components as on AWS.
 * `prefix` names every child ("" for a GCP primary, "standby-" for the standby); the standby
 * keeps the node pool small and leaves out the analytics read replica until it is promoted.
 * `provider` (the stack's) only enables the APIs; the site is built through `GcpSite.provider`.
 * `deployerEgressIps`: where the deployer connects from when it lives in the primary's network
 * on another cloud (the AWS VPC's NAT addresses); the control plane admits them.
 */
export function buildGcpSite(
  prefix: string,
  config: PlatformConfig,
  provider: gcp.Provider,
  standby: boolean,
  deployerEgressIps: readonly pulumi.Input<string>[] = [],
): GcpSite {
  const gcpConfig = config.gcp;
  if (gcpConfig === undefined) throw new Error("platform:gcp is required to build on GCP");
  const { apis, siteProvider } = enableSiteApis(prefix, config, gcpConfig, provider, standby);
  const opts: pulumi.ComponentResourceOptions = { providers: { gcp: siteProvider } };
  const { tier, tags } = config;
  const network = new Network(
    `${prefix}network`,
    {
      ...config.network,
      tier,
      tags,
      clusterName: config.baseName,
      placement: { target: "gcp", region: gcpConfig.region },
    },
    opts,
  );
  const cluster = new Cluster(
    `${prefix}cluster`,
    {
      ...config.cluster,
      tier,
      clusterName: config.baseName,
      region: gcpConfig.region,
      tags,
      placement: {
        target: "gcp",
        project: gcpConfig.project,
        network: network.gcp,
        standby,
        deployerEgressIps,
      },
    },
    opts,
  );
  // Managed services are placed once private service access is connected.
  const placement: GcpPlacement = { target: "gcp", networkId: network.gcp.serviceNetworkId };
  return {
    apis,
    provider: siteProvider,
    network,
    cluster,
    placement,
    ...(config.acmeEmail !== undefined && {
      ingressAddress: new gcp.compute.Address(
        `${prefix}ingress-address`,
        {
          region: gcpConfig.region,
          addressType: "EXTERNAL",
          networkTier: "PREMIUM",
          description: `${config.baseName}: the ingress controller's load balancer, the edge's GCP origin`,
        },
        { provider: siteProvider },
      ),
    }),
    ...buildGcpDataServices(prefix, config, { standby, placement, region: gcpConfig.region }, opts),
  };
}

/** The managed data services of a site, each when the stack builds it there. */
function buildGcpDataServices(
  prefix: string,
  config: PlatformConfig,
  site: { readonly standby: boolean; readonly placement: GcpPlacement; readonly region: string },
  opts: pulumi.ComponentResourceOptions,
): Pick<GcpSite, "database" | "cache" | "objectStore" | "queue"> {
  const { standby, region } = site;
  const common = { tier: config.tier, tags: config.tags, placement: site.placement };
  return {
    ...(config.database.enabled && {
      database: new Database(
        `${prefix}database`,
        {
          ...config.database,
          ...common,
          readReplica: config.database.readReplica && !standby,
          // The standby's instance is the replica of the primary's (buildStandbyDataPath).
          externalReplica: standby && replicatesDatabase(config),
        },
        opts,
      ),
    }),
    ...(config.cache.enabled && {
      cache: new Cache(`${prefix}cache`, { ...config.cache, ...common }, opts),
    }),
    ...(config.objectStore.enabled && {
      objectStore: new ObjectStore(
        `${prefix}objects`,
        { ...config.objectStore, ...common, region },
        opts,
      ),
    }),
    ...(buildsQueue(config, standby) && {
      queue: new Queue(`${prefix}notifications`, { ...config.queue, ...common, region }, opts),
    }),
  };
}

/**
 * Whether the site builds the notification queue: a GCP primary does when the stack asks for
 * one; the standby never does, its services' queue is the AWS primary's.
 */
export function buildsQueue(config: PlatformConfig, standby: boolean): boolean {
  return config.queue.enabled && !standby;
}

/** What runs on the standby's cluster. */
export interface StandbyWorkloads {
  readonly ingress?: Ingress;
  readonly workloads: Workloads;
  /**
   * Services the standby does not run: a connection they read has no GCP counterpart and is
   * not in `platform:edge.failover.standbyRunsWithout`.
   */
  readonly servicesLeftOut: readonly string[];
}

/**
 * The primary's workloads on the standby's GKE cluster at `standbyReplicas`, reading the
 * standby's own data services, behind their own ingress controller (the edge's GCP pool).
 */
export function buildStandbyWorkloads(
  config: PlatformConfig,
  site: GcpSite,
  labels: Readonly<Record<string, string>>,
  originLock?: OriginLock,
): StandbyWorkloads {
  const providers = { kubernetes: site.cluster.provider };
  const ingress =
    config.acmeEmail !== undefined
      ? new Ingress(
          "standby-ingress",
          {
            tier: config.tier,
            target: "gcp",
            acmeEmail: config.acmeEmail,
            labels,
            ...(config.acmeDns01 && { dns01: config.acmeDns01 }),
            ...(site.ingressAddress && { loadBalancerIp: site.ingressAddress.address }),
            ...(originLock && { originLock }),
          },
          { providers },
        )
      : undefined;
  const connectionSecrets: Record<string, pulumi.Output<string>> = {
    ...(site.database && { "database-url": site.database.connectionString }),
    ...(site.cache && { "redis-url": site.cache.connectionString }),
    // Memorystore's own CA signs its TLS certificate: clients verifying it need the PEM.
    ...(site.cache?.caCertificate && { "redis-ca": site.cache.caCertificate }),
  };
  const connections = Object.keys(connectionSecrets);
  const runnable = servicesTheStandbyCanRun(
    config.services,
    connections,
    config.failover.standbyRunsWithout,
  );
  const kept = runnable.kept.map((s) => withoutMissingConnections(s, connections));
  const gcpConfig = config.gcp;
  if (gcpConfig === undefined) throw new Error("platform:gcp is required to build on GCP");
  const identities = buildServiceIdentities("standby-", config, kept, {
    target: "gcp",
    project: gcpConfig.project,
    cluster: site.cluster,
    provider: site.provider,
    ...(site.objectStore && { objectStore: site.objectStore }),
  });
  const workloads = new Workloads(
    "standby-workloads",
    {
      namespaces: config.namespaces,
      labels,
      target: "gcp",
      services: standbyServices(kept, config.network.cidrBlock),
      connectionSecrets,
      identities,
      connectionData: { buckets: { ...site.objectStore?.bucketNames } },
      ...(ingress && {
        ingressControllerNamespace: ingress.controllerNamespace,
        clusterIssuer: ingress.clusterIssuer,
        originPullCa: ingress.originPullCa,
      }),
      monitoringNamespace: config.monitoringNamespace.name,
    },
    { providers, dependsOn: ingress ? [ingress] : [] },
  );
  return { ...(ingress && { ingress }), workloads, servicesLeftOut: runnable.leftOut };
}

/** Whether the primary's database is replicated into the standby's (config decided it). */
export function replicatesDatabase(config: PlatformConfig): boolean {
  return config.replication?.rpo.database !== undefined;
}

/** What the primary offers the standby's data path. */
export interface PrimaryData {
  readonly network: Network;
  readonly database?: Database;
  readonly objectStore?: ObjectStore;
  /** Where the source database is prepared from: the primary's cluster and the app namespace. */
  readonly cluster: {
    readonly provider: pulumi.ProviderResource;
    readonly ready: pulumi.Resource[];
  };
}

/** The data path to the standby: what copies each kind of data, for the outputs. */
export interface StandbyDataPath {
  /** One transfer per bucket role both sites keep, by role. */
  readonly transfers: Readonly<Record<string, BackupTransfer>>;
  readonly vpn?: CrossCloudVpn;
  readonly database?: DatabaseReplication;
}

/**
 * Everything the standby needs of the primary's data: every bucket role both sites keep
 * copied by Storage Transfer Service, and, with a database on both and RDS's CA given, the HA
 * VPN between the networks and continuous replication of RDS into the standby's Cloud SQL.
 */
export function buildStandbyDataPath(
  config: PlatformConfig,
  primary: PrimaryData,
  standby: GcpSite,
  providers: { aws: aws.Provider; gcp: gcp.Provider },
): StandbyDataPath {
  const transfers = buildStandbyBucketTransfers(config, primary, standby, providers);
  // Without RDS's CA the primary cannot be verified over TLS: config then leaves the database
  // out of the data path (the RPO output says so, and a stated RPO target refuses it).
  const caCertificate = config.replication?.sourceCaCertificate;
  if (!primary.database || !standby.database || !config.replication || !caCertificate) {
    return { transfers };
  }
  const vpn = new CrossCloudVpn(
    "standby-vpn",
    {
      awsVpcId: primary.network.vpcId,
      awsRouteTableIds: primary.network.privateRouteTableIds,
      gcpNetworkId: standby.network.gcp.networkId,
      gcpRegion: config.gcp!.region,
      gcpAdvertisedRanges: [gcpManagedServicesCidr],
      servicePeering: {
        networkName: standby.network.gcp.serviceNetworkId.apply((id) => id.split("/").pop()!),
      },
      tags: config.tags,
    },
    { providers },
  );
  const database = new DatabaseReplication(
    "standby-replication",
    {
      source: {
        host: primary.database.host,
        masterUser: primary.database.username,
        masterPassword: primary.database.password,
        databaseName: config.database.databaseName,
        cidr: config.network.cidrBlock,
        caCertificate,
      },
      setup: { namespace: applicationNamespace(config), dependsOn: primary.cluster.ready },
      destinationDatabaseId: standby.database.instanceId,
      networkId: standby.network.gcp.networkId,
      region: config.gcp!.region,
      idPrefix: config.baseName,
      pathReady: [vpn, primary.database],
      lagAlertSeconds: config.replication.lagAlertSeconds,
      start: config.replication.startMigration,
      labels: gcpLabels(config.tags),
    },
    { providers: { gcp: providers.gcp, kubernetes: primary.cluster.provider } },
  );
  return { transfers, vpn, database };
}

/** One transfer per bucket role the primary and the standby both keep, named by the role. */
function buildStandbyBucketTransfers(
  config: PlatformConfig,
  primary: PrimaryData,
  standby: GcpSite,
  providers: { aws: aws.Provider; gcp: gcp.Provider },
): Record<string, BackupTransfer> {
  const sources = primary.objectStore?.bucketNames ?? {};
  const sinks = standby.objectStore?.bucketNames ?? {};
  return Object.fromEntries(
    Object.keys(sources)
      .filter((role) => sinks[role] !== undefined)
      .map((role) => [
        role,
        new BackupTransfer(
          `standby-${role}`,
          {
            sourceBucket: sources[role]!,
            ...(primary.objectStore?.keyArn && { sourceKeyArn: primary.objectStore.keyArn }),
            sinkBucket: sinks[role]!,
            intervalMinutes: config.replication?.transferIntervalMinutes,
            tags: config.tags,
          },
          { providers },
        ),
      ]),
  );
}
