import type * as aws from "@pulumi/aws";
import type * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Backups } from "../components/backup";
import type { Cache } from "../components/cache";
import type { Cluster } from "../components/cluster";
import { Database } from "../components/database";
import type { OriginLock } from "../components/edge/origin";
import { Ingress } from "../components/ingress";
import type { LocalDataServices } from "../components/local-data";
import type { ObjectStore } from "../components/objectstore";
import { Observability } from "../components/observability";
import { otlpEndpointIn } from "../components/observability/tracing";
import type { Queue } from "../components/queue";
import type { Search } from "../components/search";
import {
  Workloads,
  type ConnectionData,
  type ServiceIdentityBinding,
  type ServiceSettings,
} from "../components/workloads";
import type { PlatformConfig } from "../config";
import { podsMetricsOf } from "../config/services";
import { buildServiceIdentities } from "./identity";

/** Labels put on every in-cluster object of the stack. */
export function platformLabels(config: PlatformConfig): Record<string, string> {
  return { "app.kubernetes.io/part-of": config.baseName };
}

/** The application's namespace: the first configured namespace. */
export function applicationNamespace(config: PlatformConfig): string {
  return config.appNamespace.name;
}

/** The primary's cluster and what its pods read, whichever target built them. */
export interface PrimaryCluster {
  /** Provider of the cluster the platform's in-cluster objects go to. */
  readonly provider: k8s.Provider;
  /** The cloud's cluster (EKS or GKE); absent on a local cluster. */
  readonly cluster?: Cluster;
  readonly database?: Database;
  readonly cache?: Cache;
  readonly search?: Search;
  readonly objectStore?: ObjectStore;
  /** The notification queue and topic (SQS and SNS on AWS, Pub/Sub on GCP). */
  readonly queue?: Queue;
  /** The AWS Backup plan over the data stores, whose jobs the managed alarms watch. */
  readonly backups?: Backups;
  /** The in-cluster data services of the local target. */
  readonly localData?: LocalDataServices;
  /** The reserved address the ingress controller takes (a GCP primary). */
  readonly ingressAddress?: gcp.compute.Address;
  /** AWS's provider when AWS is the primary: Observability's roles, keys and alarms use it. */
  readonly awsProvider?: aws.Provider;
  /** The GCP site's provider when GCP is the primary: Observability's managed alarms use it. */
  readonly gcpProvider?: gcp.Provider;
  /** The edge the ingress controller admits alone, when there is one. @default none */
  readonly originLock?: OriginLock;
  /** What the workloads wait for beside the ingress controller. @default none */
  readonly workloadsDependOn?: pulumi.Resource[];
}

/** What runs on the primary's cluster. */
export interface InCluster {
  readonly ingress?: Ingress;
  /** The primary store when its engine runs on the cluster (`timescaledb`). */
  readonly database?: Database;
  readonly workloads: Workloads;
  readonly observability?: Observability;
  /**
   * Each using service's cloud identity, by service: its IAM role's ARN (AWS) or its Google
   * service account's e-mail (GCP). Empty on a local cluster.
   */
  readonly serviceIdentities: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * The primary's ingress controller and certificates, the application's workloads and the
 * observability stack, on whichever cluster the target built.
 */
export function buildInCluster(config: PlatformConfig, primary: PrimaryCluster): InCluster {
  const ingress = buildIngress(config, primary);
  const clusterDatabase = buildClusterDatabase(config, primary, ingress);
  const onCluster = clusterDatabase ? { ...primary, database: clusterDatabase } : primary;
  const identities = primaryIdentities(config, onCluster);
  const workloads = buildWorkloads(config, onCluster, ingress, identities);
  const observability = buildObservability(config, onCluster, workloads, ingress);
  return {
    ...(ingress && { ingress }),
    ...(clusterDatabase && { database: clusterDatabase }),
    workloads,
    ...(observability && { observability }),
    serviceIdentities: Object.fromEntries(
      Object.entries(identities).map(([service, b]) => [service, Object.values(b.annotations)[0]!]),
    ),
  };
}

function buildIngress(config: PlatformConfig, primary: PrimaryCluster): Ingress | undefined {
  if (config.acmeEmail === undefined) return undefined;
  return new Ingress(
    "ingress",
    {
      tier: config.tier,
      target: config.target,
      acmeEmail: config.acmeEmail,
      labels: platformLabels(config),
      ...(config.acmeDns01 && { dns01: config.acmeDns01 }),
      ...(primary.ingressAddress && { loadBalancerIp: primary.ingressAddress.address }),
      ...(primary.originLock && { originLock: primary.originLock }),
    },
    { providers: { kubernetes: primary.provider } },
  );
}

/**
 * The `timescaledb` engine: PostgreSQL on the primary's EKS cluster, on its encrypted
 * StorageClass, backed up to the object store's backups bucket under an IRSA role; its backup
 * plugin waits for the ingress's cert-manager. Config admits the engine on target aws only,
 * with the backups bucket and an ingress.
 */
function buildClusterDatabase(
  config: PlatformConfig,
  primary: PrimaryCluster,
  ingress: Ingress | undefined,
): Database | undefined {
  if (!config.database.enabled || config.database.engine !== "timescaledb") return undefined;
  const { cluster, objectStore } = primary;
  const backupBucket = objectStore?.bucketNames.backups;
  if (
    !cluster?.storageClassName ||
    !cluster.oidcProviderArn ||
    !cluster.oidcIssuer ||
    !backupBucket ||
    !objectStore?.keyArn ||
    !config.aws ||
    !ingress
  ) {
    throw new Error(
      'platform:database.engine "timescaledb" needs the EKS cluster, the backups bucket and the ingress of target "aws"',
    );
  }
  const appNamespace = applicationNamespace(config);
  return new Database(
    "database",
    {
      ...config.database,
      tier: config.tier,
      tags: config.tags,
      placement: {
        target: "kubernetes",
        provider: primary.provider,
        namespace: `${appNamespace}-database`,
        clientNamespaces: [appNamespace],
        storageClassName: cluster.storageClassName,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        region: config.aws.region,
        backupBucket,
        backupKeyArn: objectStore.keyArn,
        dependsOn: [ingress],
        monitoringNamespace: config.namespaces[1]!.name,
        labels: platformLabels(config),
      },
    },
    {
      providers: {
        kubernetes: primary.provider,
        ...(primary.awsProvider && { aws: primary.awsProvider }),
      },
    },
  );
}

/**
 * What pods read through secretKeyRef; every value stays a Pulumi secret. The search domain's
 * master credentials are not among them: a service that uses search gets the endpoint and
 * signs its requests with its own role.
 */
export function connectionSecrets(primary: PrimaryCluster): Record<string, pulumi.Input<string>> {
  if (primary.localData) return { ...primary.localData.connectionSecrets };
  return {
    ...(primary.database && { "database-url": primary.database.connectionString }),
    ...(primary.cache && { "redis-url": primary.cache.connectionString }),
    ...(primary.cache?.caCertificate && { "redis-ca": primary.cache.caCertificate }),
  };
}

/** Names, URLs and ARNs of what the primary's services may use. */
function connectionData(config: PlatformConfig, primary: PrimaryCluster): ConnectionData {
  if (primary.localData) return { buckets: { ...primary.localData.objectStore?.bucketNames } };
  return {
    ...(config.target === "aws" && config.aws && { region: config.aws.region }),
    buckets: { ...primary.objectStore?.bucketNames },
    ...(primary.queue && { queueUrl: primary.queue.queueUrl, topicArn: primary.queue.topicArn }),
    ...(primary.search && { searchEndpoint: primary.search.endpoint }),
  };
}

/** The primary's services' identities, on the cloud that built the primary (none locally). */
function primaryIdentities(
  config: PlatformConfig,
  primary: PrimaryCluster,
): Record<string, ServiceIdentityBinding> {
  const { cluster } = primary;
  if (!cluster) return {};
  if (config.target === "aws" && config.aws && primary.awsProvider) {
    return buildServiceIdentities("", config, config.services, {
      target: "aws",
      region: config.aws.region,
      cluster,
      provider: primary.awsProvider,
      ...(primary.objectStore && { objectStore: primary.objectStore }),
      ...(primary.queue && { queue: primary.queue }),
      ...(primary.search && { search: primary.search }),
    });
  }
  if (config.target === "gcp" && config.gcp && primary.gcpProvider) {
    return buildServiceIdentities("", config, config.services, {
      target: "gcp",
      project: config.gcp.project,
      cluster,
      provider: primary.gcpProvider,
      ...(primary.objectStore && { objectStore: primary.objectStore }),
      ...(primary.queue && { queue: primary.queue }),
    });
  }
  return {};
}

/**
 * The OpenTelemetry SDKs' trace exporter, pointed at the collector the primary's
 * Observability installs (its NetworkPolicy already lets OTLP out), over gRPC: the SDKs'
 * default protocol is OTLP over HTTP, which the gRPC port refuses, and Jaeger takes traces
 * only, so metrics and logs keep their own settings. A value the service sets itself wins.
 */
function withTracesEndpoint(service: ServiceSettings, config: PlatformConfig): ServiceSettings {
  const monitoring = config.monitoringNamespace.name;
  return {
    ...service,
    env: {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpEndpointIn(monitoring),
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc",
      ...service.env,
    },
  };
}

function buildWorkloads(
  config: PlatformConfig,
  primary: PrimaryCluster,
  ingress: Ingress | undefined,
  identities: Record<string, ServiceIdentityBinding>,
): Workloads {
  return new Workloads(
    "workloads",
    {
      namespaces: config.namespaces,
      labels: platformLabels(config),
      target: config.target,
      services: config.services.map((service) => withTracesEndpoint(service, config)),
      jobs: config.jobs,
      connectionSecrets: connectionSecrets(primary),
      identities,
      connectionData: connectionData(config, primary),
      // The VPC's interface endpoints (STS, S3, SQS, SNS, KMS) answer inside its range.
      ...(config.target === "aws" && { cloudApiCidr: config.network.cidrBlock }),
      ...(ingress && {
        ingressControllerNamespace: ingress.controllerNamespace,
        clusterIssuer: ingress.clusterIssuer,
        originPullCa: ingress.originPullCa,
      }),
      monitoringNamespace: config.monitoringNamespace.name,
    },
    {
      providers: { kubernetes: primary.provider },
      dependsOn: [...(ingress ? [ingress] : []), ...(primary.workloadsDependOn ?? [])],
    },
  );
}

/** The local target's PostgreSQL and Redis, scraped by in-cluster exporters when asked. */
function inClusterData(config: PlatformConfig, localData: LocalDataServices | undefined) {
  if (!localData || !config.observability.inClusterExporters) return undefined;
  const { database, cache } = localData;
  return {
    ...(database && {
      postgres: {
        host: database.host,
        port: 5432,
        database: database.databaseName,
        username: database.username,
        password: database.password,
      },
    }),
    ...(cache && {
      redis: {
        address: pulumi.interpolate`${cache.host}:${cache.port}`,
        password: cache.authToken,
      },
    }),
  };
}

/**
 * Cluster backups go to the object store's backups bucket; Velero and Fluent Bit reach the
 * cloud through roles the component builds on the cluster's workload identity.
 */
function buildObservability(
  config: PlatformConfig,
  primary: PrimaryCluster,
  workloads: Workloads,
  ingress: Ingress | undefined,
): Observability | undefined {
  const monitoringNamespaceName = config.monitoringNamespace.name;
  const namespace =
    workloads.namespaceNames[
      config.namespaces.findIndex((ns) => ns.name === monitoringNamespaceName)
    ];
  if (!namespace) return undefined;
  const appNamespace = applicationNamespace(config);
  const { cluster, database, cache } = primary;
  const backupsBucket = primary.objectStore?.bucketNames.backups;
  const exporters = inClusterData(config, primary.localData);
  return new Observability(
    "observability",
    {
      target: config.target,
      tier: config.tier,
      namespace,
      clusterName: config.baseName,
      region: config.aws?.region ?? config.gcp?.region,
      gcpProject: config.gcp?.project,
      // EKS has had no default StorageClass since 1.30: the cluster names the one it creates.
      ...(cluster?.storageClassName && { storageClassName: cluster.storageClassName }),
      scrapeTargets: config.services.map((service) => ({
        name: service.name,
        namespace: appNamespace,
        port: "http",
        path: "/metrics",
      })),
      platformScrapeTargets: [
        ...(ingress?.metricsTargets ?? []),
        ...(database?.metricsTargets ?? []),
      ],
      podsMetrics: podsMetricsOf(config.services),
      ...(exporters && { inClusterData: exporters }),
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
      databaseBackups: database?.engine === "timescaledb",
      managedData: {
        databaseInstanceIds: database?.engine === "managed" ? [database.instanceId] : [],
        databaseReplicaIds: database?.engine === "managed" ? database.replicaInstanceIds : [],
        cacheNodeIds: cache?.nodeIds ?? [],
        backupVaultNames: primary.backups ? [primary.backups.vaultName] : [],
      },
      receivers: config.observability.receivers,
      settings: config.observability.settings,
      labels: platformLabels(config),
      tags: config.tags,
    },
    {
      providers: {
        kubernetes: primary.provider,
        // Set only for the cloud that built the primary (index.ts).
        ...(primary.awsProvider && { aws: primary.awsProvider }),
        ...(primary.gcpProvider && { gcp: primary.gcpProvider }),
      },
    },
  );
}
