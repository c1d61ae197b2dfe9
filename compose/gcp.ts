import type * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Cache } from "../components/cache";
import { memorystoreTlsPort } from "../components/cache/gcp";
import { Cluster } from "../components/cluster";
import { Database } from "../components/database";
import { GcpApis, gcpApisFor, providerAfterApis } from "../components/gcp/apis";
import { gcpLabels } from "../components/gcp/labels";
import { Ingress } from "../components/ingress";
import { Network } from "../components/network";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { ObjectStore } from "../components/objectstore";
import { BackupTransfer } from "../components/objectstore/transfer";
import type { GcpPlacement } from "../components/placement";
import { Workloads, type ServiceSettings } from "../components/workloads";
import type { PlatformConfig } from "../config";
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
  readonly network: Network;
  readonly cluster: Cluster;
  readonly placement: GcpPlacement;
  readonly database?: Database;
  readonly cache?: Cache;
  readonly objectStore?: ObjectStore;
  /**
   * The regional external IPv4 address the site's ingress controller takes, reserved when a
   * service is exposed by ingress: the edge's GCP origin, known without reading the cluster.
   */
  readonly ingressAddress?: gcp.compute.Address;
}

/** Replicas each service keeps on the warm standby; its autoscaler still reaches the tier's maximum. */
export const standbyReplicas = 1;

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
      target: "gcp",
      gcpRegion: gcpConfig.region,
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
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      tags,
      target: "gcp",
      gke: { project: gcpConfig.project, network: network.gcp!, standby, deployerEgressIps },
    },
    opts,
  );
  // Managed services are placed once private service access is connected.
  const placement: GcpPlacement = { target: "gcp", networkId: network.gcp!.serviceNetworkId };
  const common = { tier, tags, placement };
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
    ...(config.database.enabled && {
      database: new Database(
        `${prefix}database`,
        { ...config.database, ...common, readReplica: config.database.readReplica && !standby },
        opts,
      ),
    }),
    ...(config.cache.enabled && {
      cache: new Cache(`${prefix}cache`, { ...config.cache, ...common }, opts),
    }),
    ...(config.objectStore.enabled && {
      objectStore: new ObjectStore(
        `${prefix}objects`,
        { ...config.objectStore, ...common, region: gcpConfig.region },
        opts,
      ),
    }),
  };
}

/** What runs on the standby's cluster. */
export interface StandbyWorkloads {
  readonly ingress?: Ingress;
  readonly workloads: Workloads;
  /** Services the standby does not run: a connection they read has no GCP counterpart. */
  readonly servicesLeftOut: readonly string[];
}

/**
 * The services the standby can run with the connections it has. A service that reads a
 * connection the standby lacks (OpenSearch has no GCP counterpart here) is left out, and so
 * is every service that calls one left out: a half-working standby would pass health checks
 * and fail requests.
 */
export function servicesTheStandbyCanRun(
  services: readonly ServiceSettings[],
  connections: readonly string[],
  alsoLeftOut: readonly string[] = [],
): { kept: ServiceSettings[]; leftOut: string[] } {
  const leftOut = new Set([
    ...alsoLeftOut,
    ...services
      .filter((s) => Object.values(s.secretEnv).some((ref) => !connections.includes(ref.key)))
      .map((s) => s.name),
  ]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of services) {
      if (!leftOut.has(s.name) && s.calls.some((callee) => leftOut.has(callee))) {
        leftOut.add(s.name);
        grew = true;
      }
    }
  }
  return {
    kept: services.filter((s) => !leftOut.has(s.name)),
    leftOut: [...leftOut],
  };
}

/** Services that use the queue, the topic or the search domain, which the standby does not have. */
export function usersOfAwsOnlyData(services: readonly ServiceSettings[]): string[] {
  return services
    .filter((s) => [s.uses?.queue, s.uses?.topic, s.uses?.search].some((u) => u !== undefined))
    .map((s) => s.name);
}

/**
 * The primary's workloads on the standby's GKE cluster at `standbyReplicas`, reading the
 * standby's own data services, behind their own ingress controller (the edge's GCP pool).
 */
export function buildStandbyWorkloads(
  config: PlatformConfig,
  site: GcpSite,
  labels: Readonly<Record<string, string>>,
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
          },
          { providers },
        )
      : undefined;
  const connectionSecrets: Record<string, pulumi.Output<string>> = {
    ...(site.database && { "database-url": site.database.connectionString }),
    ...(site.cache && { "redis-url": site.cache.connectionString }),
  };
  const runnable = servicesTheStandbyCanRun(
    config.services,
    Object.keys(connectionSecrets),
    usersOfAwsOnlyData(config.services),
  );
  const gcpConfig = config.gcp;
  if (gcpConfig === undefined) throw new Error("platform:gcp is required to build on GCP");
  const identities = buildServiceIdentities("standby-", config, runnable.kept, {
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
      services: standbyServices(runnable.kept, config.network.cidrBlock),
      connectionSecrets,
      identities,
      connectionData: { buckets: { ...site.objectStore?.bucketNames } },
      ...(ingress && {
        ingressControllerNamespace: ingress.controllerNamespace,
        clusterIssuer: ingress.clusterIssuer,
      }),
      monitoringNamespace: config.namespaces[1]?.name,
    },
    { providers, dependsOn: ingress ? [ingress] : [] },
  );
  return { ...(ingress && { ingress }), workloads, servicesLeftOut: runnable.leftOut };
}

/**
 * The primary's backups bucket copied into the standby's (the README gives the RPO this data
 * path reaches), when both sites keep one.
 */
export function buildStandbyBackupTransfer(
  config: PlatformConfig,
  primaryBackups: pulumi.Output<string> | undefined,
  standby: GcpSite | undefined,
  providers: { aws: aws.Provider; gcp: gcp.Provider },
): BackupTransfer | undefined {
  const standbyBackups = standby?.objectStore?.bucketNames["backups"];
  if (!primaryBackups || !standbyBackups) return undefined;
  return new BackupTransfer(
    "standby-backups",
    { sourceBucket: primaryBackups, sinkBucket: standbyBackups, tags: config.tags },
    { providers },
  );
}
