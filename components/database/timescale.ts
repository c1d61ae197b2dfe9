import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ComponentError } from "../errors";
import { createNamespace } from "../workloads/namespace";
import type { NamespaceSettings } from "../workloads";
import { timescaleImages } from "./engines";
import { backupPrefix, createBackupRole } from "./timescale-aws";
import {
  createMetricsService,
  createNetworkPolicies,
  metricsPort,
  operatorNamespace,
} from "./timescale-network";

export { metricsPort, operatorNamespace };
import type { DatabaseArgs, DatabaseOutputs, KubernetesDatabasePlacement } from "./index";

/**
 * CloudNativePG's operator chart: cloudnative-pg/charts, tag `cloudnative-pg-v0.29.0`,
 * `charts/cloudnative-pg/Chart.yaml` (appVersion 1.30.0, Kubernetes >= 1.29) and `values.yaml`
 * (image ghcr.io/cloudnative-pg/cloudnative-pg, tag = appVersion; `crds.create: true`).
 */
export const operatorChart = {
  chart: "cloudnative-pg",
  version: "0.29.0",
  repo: "https://cloudnative-pg.github.io/charts",
  image: "ghcr.io/cloudnative-pg/cloudnative-pg",
  imageTag: "1.30.0",
} as const;

/**
 * The Barman Cloud plugin (CNPG-I), the supported way to back up to object stores: the
 * operator's own Barman Cloud support is deprecated since 1.26 and is removed in 1.31
 * (CloudNativePG 1.29.2 release notes). cloudnative-pg/charts, tag `plugin-barman-cloud-v0.7.0`,
 * `charts/plugin-barman-cloud/{Chart,values}.yaml` (appVersion v0.13.0; its certificates
 * are issued by cert-manager).
 */
export const barmanCloudChart = {
  chart: "plugin-barman-cloud",
  version: "0.7.0",
  repo: "https://cloudnative-pg.github.io/charts",
  imageTag: "v0.13.0",
} as const;

/** The plugin's name, as a Cluster and a ScheduledBackup name it. */
export const barmanCloudPlugin = "barman-cloud.cloudnative-pg.io";

/** Seed 003's "Performance Tuning / PostgreSQL", as PostgreSQL parameters. */
export const seedTuning: Readonly<Record<string, string>> = {
  max_connections: "200",
  shared_buffers: "2GB",
  effective_cache_size: "6GB",
  work_mem: "16MB",
  maintenance_work_mem: "512MB",
  random_page_cost: "1.1",
  wal_buffers: "16MB",
  checkpoint_completion_target: "0.9",
};

/**
 * Parameters beside the seed's tuning: no telemetry from TimescaleDB and, when
 * pg_stat_statements is asked for, a setting of its own, which is how CloudNativePG learns
 * to preload it. TLS stays at CloudNativePG's default minimum, TLS 1.3.
 */
export function serverParameters(extensions: readonly string[]): Record<string, string> {
  return {
    ...seedTuning,
    "timescaledb.telemetry_level": "off",
    ...(extensions.includes("pg_stat_statements") && { "pg_stat_statements.max": "10000" }),
  };
}

/** Seed 003's resource table: PostgreSQL 2 cores, 4 GB (Guaranteed QoS: requests = limits). */
export const instanceResources = { cpu: "2", memory: "4Gi" } as const;
/** The backup sidecar the plugin adds to every instance. */
export const sidecarResources = { cpu: "250m", memory: "256Mi" } as const;

/** How many PostgreSQL instances: the primary, a standby with HA, one more for analytics. */
export function instanceCount(args: Pick<DatabaseArgs, "highAvailability" | "readReplica">) {
  return 1 + (args.highAvailability ? 1 : 0) + (args.readReplica ? 1 : 0);
}

/**
 * "<cron seconds> <minutes> <hours> * * *" of the backup window's start: CloudNativePG's
 * schedules carry a seconds field.
 */
export function dailyBackupSchedule(backupWindow: string): string {
  const [hours, minutes] = backupWindow.split("-")[0]!.split(":");
  return `0 ${Number(minutes)} ${Number(hours)} * * *`;
}

/** The instances' namespace: every instance and one bootstrap or join job at a time. */
export function databaseNamespaceSettings(instances: number, name: string): NamespaceSettings {
  const pods = instances + 1;
  const cpuMilli = pods * (2000 + 250);
  const memoryMi = pods * (4096 + 256);
  return {
    name,
    quota: {
      requestsCpu: `${cpuMilli}m`,
      requestsMemory: `${memoryMi}Mi`,
      limitsCpu: `${cpuMilli}m`,
      limitsMemory: `${memoryMi}Mi`,
      pods,
      persistentVolumeClaims: pods,
    },
    containerLimits: {
      defaultRequestCpu: sidecarResources.cpu,
      defaultRequestMemory: sidecarResources.memory,
      defaultLimitCpu: sidecarResources.cpu,
      defaultLimitMemory: sidecarResources.memory,
      maxCpu: instanceResources.cpu,
      maxMemory: instanceResources.memory,
    },
  };
}

/** The operator's namespace: the operator and the plugin, one pod each. */
export const operatorNamespaceSettings: NamespaceSettings = {
  name: operatorNamespace,
  quota: {
    requestsCpu: "1",
    requestsMemory: "1Gi",
    limitsCpu: "2",
    limitsMemory: "2Gi",
    pods: 4,
    persistentVolumeClaims: 0,
  },
  containerLimits: {
    defaultRequestCpu: "100m",
    defaultRequestMemory: "128Mi",
    defaultLimitCpu: "500m",
    defaultLimitMemory: "512Mi",
    maxCpu: "1",
    maxMemory: "1Gi",
  },
};

const operatorResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
/** A first install waits for the operator's webhook to answer; Helm rolls back a failure. */
const releaseWait = { timeout: 600, atomic: true } as const;

/**
 * Step 1: the operator (with its CRDs) and the Barman Cloud plugin in `cnpg-system`. Both
 * go through the cluster's provider, so they wait for the nodes and the core add-ons; the
 * plugin waits for the operator's CRDs and for cert-manager.
 */
function createOperator(
  name: string,
  placement: KubernetesDatabasePlacement,
  parent: pulumi.Resource,
): k8s.helm.v3.Release[] {
  const opts = { parent, provider: placement.provider };
  const namespace = createNamespace(
    `${name}-operator-ns`,
    operatorNamespaceSettings,
    placement.labels,
    parent,
  );
  const operator = new k8s.helm.v3.Release(
    `${name}-operator`,
    {
      name: "cnpg",
      namespace: operatorNamespace,
      chart: operatorChart.chart,
      version: operatorChart.version,
      repositoryOpts: { repo: operatorChart.repo },
      values: {
        image: { repository: operatorChart.image, tag: operatorChart.imageTag },
        crds: { create: true },
        config: { clusterWide: true },
        // The charts' own security contexts are already restricted (non-root, read-only
        // root, no capabilities, RuntimeDefault seccomp).
        resources: operatorResources,
      },
      ...releaseWait,
    },
    { ...opts, dependsOn: [namespace] },
  );
  const plugin = new k8s.helm.v3.Release(
    `${name}-barman-cloud`,
    {
      name: "barman-cloud",
      namespace: operatorNamespace,
      chart: barmanCloudChart.chart,
      version: barmanCloudChart.version,
      repositoryOpts: { repo: barmanCloudChart.repo },
      values: {
        image: { tag: barmanCloudChart.imageTag },
        sidecarImage: { tag: barmanCloudChart.imageTag },
        resources: operatorResources,
      },
      ...releaseWait,
    },
    { ...opts, dependsOn: [operator, ...(placement.dependsOn ?? [])] },
  );
  return [operator, plugin];
}

/** Step 3: where Barman Cloud writes, with the tier's retention as the recovery window. */
function createObjectStore(
  name: string,
  clusterName: string,
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  const { placement } = args;
  return new k8s.apiextensions.CustomResource(
    `${name}-object-store`,
    {
      apiVersion: "barmancloud.cnpg.io/v1",
      kind: "ObjectStore",
      metadata: { name: `${clusterName}-backups`, namespace: placement.namespace },
      spec: {
        retentionPolicy: `${args.backupRetentionDays}d`,
        configuration: {
          destinationPath: pulumi.interpolate`s3://${placement.backupBucket}/${backupPrefix}`,
          // The regional name, which the VPC's S3 endpoint answers.
          endpointURL: `https://s3.${placement.region}.amazonaws.com`,
          s3Credentials: { inheritFromIAMRole: true },
          wal: { compression: "gzip", maxParallel: 2 },
          data: { compression: "gzip" },
        },
        instanceSidecarConfiguration: {
          resources: { requests: sidecarResources, limits: sidecarResources },
        },
      },
    },
    opts,
  );
}

/** Step 4: the PostgreSQL cluster itself. */
function clusterSpec(
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  image: string,
  refs: { secret: string; objectStore: string; roleArn: pulumi.Output<string> },
): Record<string, unknown> {
  const extensions = args.extensions.filter((e) => e !== "timescaledb");
  return {
    instances: instanceCount(args),
    imageName: image,
    enableSuperuserAccess: false,
    // CloudNativePG has no time window: it updates replicas, then switches the primary over,
    // whenever the spec changes, i.e. when `pulumi up` runs.
    primaryUpdateStrategy: "unsupervised",
    primaryUpdateMethod: "switchover",
    postgresql: {
      parameters: serverParameters(extensions),
      shared_preload_libraries: ["timescaledb"],
      // Ahead of CloudNativePG's own rules: a client without TLS is refused.
      pg_hba: ["hostnossl all all all reject"],
    },
    bootstrap: {
      initdb: {
        database: args.databaseName,
        owner: args.username,
        secret: { name: refs.secret },
        postInitApplicationSQL: ["timescaledb", ...extensions].map(
          (e) => `CREATE EXTENSION IF NOT EXISTS ${e}`,
        ),
      },
    },
    storage: {
      storageClass: args.placement.storageClassName,
      size: `${args.allocatedStorageGb}Gi`,
      resizeInUseVolumes: true,
    },
    resources: { requests: instanceResources, limits: instanceResources },
    affinity: {
      enablePodAntiAffinity: true,
      topologyKey: "topology.kubernetes.io/zone",
      podAntiAffinityType: "preferred",
    },
    serviceAccountTemplate: {
      metadata: { annotations: { "eks.amazonaws.com/role-arn": refs.roleArn } },
    },
    plugins: [
      {
        name: barmanCloudPlugin,
        isWALArchiver: true,
        parameters: { barmanObjectName: refs.objectStore },
      },
    ],
  };
}

/** The timescaledb engine's rules on the args, one line each; `databaseArgProblems` gathers them. */
export function timescaleProblems(args: DatabaseArgs): string[] {
  if (timescaleImages[args.engineVersion] !== undefined) return [];
  return [
    `engineVersion "${args.engineVersion}" has no pinned TimescaleDB image; expected one of ${Object.keys(timescaleImages).join(", ")}`,
  ];
}

/**
 * PostgreSQL with TimescaleDB on the stack's EKS cluster, run by CloudNativePG: instances on
 * the cluster's encrypted StorageClass, WAL archived continuously and a base backup every day
 * at the backup window's start to the object store's backups bucket (point-in-time recovery
 * over `backupRetentionDays`), TLS required, the application's credentials generated and
 * kept as Pulumi secrets. In prod the namespace, the Cluster and its backups are `protect`ed.
 */
export function createTimescaleDatabase(
  name: string,
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  parent: pulumi.Resource,
): DatabaseOutputs {
  const image = timescaleImages[args.engineVersion];
  if (image === undefined) throw new ComponentError("Database", name, timescaleProblems(args));
  const { placement } = args;
  const clusterName = name;
  const protect = args.deletionProtection;
  const [operator, plugin] = createOperator(name, placement, parent);
  // Deleting the namespace deletes the Cluster and its PVCs (reclaimPolicy Delete) with it.
  const namespace = createNamespace(
    `${name}-ns`,
    databaseNamespaceSettings(instanceCount(args), placement.namespace),
    placement.labels,
    parent,
    undefined,
    { protect, retainOnDelete: protect },
  );
  const inNamespace = { parent, provider: placement.provider, dependsOn: [namespace] };
  createNetworkPolicies(name, clusterName, placement, inNamespace);
  const { password, secret } = createCredentials(name, clusterName, args, {
    ...inNamespace,
    protect,
  });
  const backupRole = createBackupRole(name, placement, clusterName, args.tags, parent);
  const objectStore = createObjectStore(name, clusterName, args, {
    ...inNamespace,
    protect,
    dependsOn: [namespace, plugin!],
  });
  const cluster = new k8s.apiextensions.CustomResource(
    `${name}-cluster`,
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: clusterName, namespace: placement.namespace, labels: placement.labels },
      spec: clusterSpec(args, image, {
        secret: `${clusterName}-app-credentials`,
        objectStore: `${clusterName}-backups`,
        roleArn: backupRole.roleArn,
      }),
    },
    {
      ...inNamespace,
      protect,
      dependsOn: [namespace, operator!, plugin!, objectStore, secret, backupRole.ready],
    },
  );
  createDailyBackup(name, clusterName, args, { ...inNamespace, dependsOn: [cluster] });
  return {
    ...timescaleOutputs(args, clusterName, password.result),
    metricsTargets: createMetricsService(name, clusterName, placement, inNamespace),
  };
}

/** The application's owner role: a generated password in a basic-auth Secret initdb reads. */
function createCredentials(
  name: string,
  clusterName: string,
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  opts: pulumi.CustomResourceOptions,
): { password: random.RandomPassword; secret: k8s.core.v1.Secret } {
  const { placement } = args;
  const password = new random.RandomPassword(
    `${name}-password`,
    { length: 32, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
    { parent: opts.parent },
  );
  const secret = new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata: {
        name: `${clusterName}-app-credentials`,
        namespace: placement.namespace,
        labels: placement.labels,
      },
      type: "kubernetes.io/basic-auth",
      stringData: { username: args.username, password: pulumi.secret(password.result) },
    },
    opts,
  );
  return { password, secret };
}

/** Step 5: a base backup every day at the start of the backup window, through the plugin. */
function createDailyBackup(
  name: string,
  clusterName: string,
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  opts: pulumi.CustomResourceOptions,
): void {
  const { placement } = args;
  new k8s.apiextensions.CustomResource(
    `${name}-daily-backup`,
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: `${clusterName}-daily`, namespace: placement.namespace },
      spec: {
        schedule: dailyBackupSchedule(args.backupWindow),
        immediate: true,
        backupOwnerReference: "self",
        cluster: { name: clusterName },
        method: "plugin",
        pluginConfiguration: { name: barmanCloudPlugin },
      },
    },
    opts,
  );
}

/** The contract's outputs: CloudNativePG's read-write and read-only Services. */
function timescaleOutputs(
  args: DatabaseArgs & { placement: KubernetesDatabasePlacement },
  clusterName: string,
  password: pulumi.Output<string>,
): DatabaseOutputs {
  const ns = args.placement.namespace;
  const host = `${clusterName}-rw.${ns}.svc.cluster.local`;
  return {
    host: pulumi.output(host),
    port: pulumi.output(5432),
    databaseName: pulumi.output(args.databaseName),
    username: pulumi.output(args.username),
    password: pulumi.secret(password),
    connectionString: pulumi.secret(
      pulumi.interpolate`postgresql://${args.username}:${password}@${host}:5432/${args.databaseName}?sslmode=require`,
    ),
    ...(args.readReplica && {
      readerHost: pulumi.output(`${clusterName}-ro.${ns}.svc.cluster.local`),
    }),
    resourceId: pulumi.output(`${ns}/${clusterName}`),
    instanceId: pulumi.output(clusterName),
    replicaInstanceIds: [],
  };
}
