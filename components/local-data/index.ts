import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import { createLocalCache } from "../cache/local";
import type { CacheOutputs, CacheSettings } from "../cache";
import { createLocalDatabase } from "../database/local";
import type { DatabaseOutputs, DatabaseSettings } from "../database";
import { createLocalObjectStore, type LocalObjectStoreOutputs } from "../objectstore/local";
import type { ObjectStoreSettings } from "../objectstore";
import type { NamespaceSettings } from "../workloads";
import { createNamespace } from "../workloads/namespace";
import { exporterPodLabels } from "../observability/prometheus-stack";
import { dnsEgress } from "../workloads/network-policy";

/** Settings of the in-cluster data services; sizing fields of the cloud targets are unused. */
export const localDatabaseSettings: DatabaseSettings = {
  engineVersion: "15",
  instanceClass: "local",
  allocatedStorageGb: 5,
  maxAllocatedStorageGb: 5,
  highAvailability: false,
  backupRetentionDays: 0,
  logRetentionDays: 0,
  backupWindow: "03:00-04:00",
  maintenanceWindow: "sun:04:00-sun:05:00",
  deletionProtection: false,
  readReplica: false,
  readReplicaInstanceClass: "local",
  extensions: [],
  databaseName: "app",
  username: "app",
};

export const localCacheSettings: CacheSettings = {
  engineVersion: "7.2",
  nodeType: "local",
  nodes: 1,
  highAvailability: false,
  snapshotRetentionDays: 0,
  slowLogRetentionDays: 0,
  deletionProtection: false,
};

export const localObjectStoreSettings: ObjectStoreSettings = {
  buckets: [
    { role: "uploads", noncurrentVersionDays: 7, infrequentAccessAfterDays: 0, expireAfterDays: 0 },
  ],
  crossRegionReplication: false,
  deletionProtection: false,
};

/** Quota of the data namespace: the three servers, the bucket job and their three PVCs. */
export const dataNamespaceDefaults: PerTier<Omit<NamespaceSettings, "name">> = {
  dev: {
    quota: {
      requestsCpu: "1",
      requestsMemory: "2Gi",
      limitsCpu: "3",
      limitsMemory: "4Gi",
      pods: 10,
      persistentVolumeClaims: 5,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "500m",
      defaultLimitMemory: "512Mi",
      maxCpu: "1",
      maxMemory: "1Gi",
    },
  },
  staging: {
    quota: {
      requestsCpu: "2",
      requestsMemory: "4Gi",
      limitsCpu: "4",
      limitsMemory: "8Gi",
      pods: 10,
      persistentVolumeClaims: 5,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "500m",
      defaultLimitMemory: "512Mi",
      maxCpu: "2",
      maxMemory: "2Gi",
    },
  },
  prod: {
    quota: {
      requestsCpu: "2",
      requestsMemory: "4Gi",
      limitsCpu: "4",
      limitsMemory: "8Gi",
      pods: 10,
      persistentVolumeClaims: 5,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "500m",
      defaultLimitMemory: "512Mi",
      maxCpu: "2",
      maxMemory: "2Gi",
    },
  },
};

/** Ports the data servers listen on: PostgreSQL, Redis, MinIO's S3 API. */
export const dataPorts = { database: 5432, cache: 6379, objectStore: 9000 } as const;

export interface LocalDataServicesArgs {
  readonly tier: Tier;
  /** Namespace the data servers run in (created here). */
  readonly namespace: string;
  /** Namespace whose pods may connect (the application's). */
  readonly clientNamespace: string;
  /**
   * Namespace of Observability's in-cluster postgres and redis exporters
   * (`platform:observability.inClusterExporters`): their pods, and only theirs, may reach
   * 5432 and 6379. @default none: no exporter is admitted
   */
  readonly exporterNamespace?: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Database, Cache and ObjectStore contracts on a local cluster: PostgreSQL, Redis and
 * MinIO in their own restricted namespace, reachable only from the application namespace.
 */
export class LocalDataServices extends pulumi.ComponentResource {
  readonly database: DatabaseOutputs;
  readonly cache: CacheOutputs;
  readonly objectStore: LocalObjectStoreOutputs;
  /** Connection strings and keys for the application's `connections` Secret. All secret. */
  readonly connectionSecrets: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: LocalDataServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:LocalDataServices", name, {}, opts);
    const namespace = createNamespace(
      `${name}-${args.namespace}`,
      { name: args.namespace, ...dataNamespaceDefaults[args.tier] },
      args.labels,
      this,
    );
    const placement = { target: "local" as const, namespace: args.namespace };
    const common = { tier: args.tier, placement, tags: { ...args.labels } };
    createDataNetworkPolicies(name, args, this, [namespace]);
    this.database = createLocalDatabase(
      `${name}-database`,
      { ...localDatabaseSettings, ...common },
      this,
      [namespace],
    );
    this.cache = createLocalCache(`${name}-cache`, { ...localCacheSettings, ...common }, this, [
      namespace,
    ]);
    this.objectStore = createLocalObjectStore(
      `${name}-objects`,
      { ...localObjectStoreSettings, ...common },
      this,
      [namespace],
    );
    this.connectionSecrets = {
      "database-url": this.database.connectionString,
      "redis-url": this.cache.connectionString,
      "s3-endpoint": pulumi.secret(this.objectStore.endpoint),
      "s3-access-key": this.objectStore.accessKey,
      "s3-secret-key": this.objectStore.secretKey,
    };
    this.registerOutputs({
      databaseHost: this.database.host,
      cacheHost: this.cache.host,
      objectStoreEndpoint: this.objectStore.endpoint,
    });
  }
}

/**
 * Default deny in the data namespace; the application namespace may reach the data ports;
 * pods here may resolve DNS and reach each other's data ports (the bucket job -> MinIO).
 */
function createDataNetworkPolicies(
  name: string,
  args: LocalDataServicesArgs,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): void {
  const ports = Object.values(dataPorts).map((port) => ({ protocol: "TCP", port }));
  const metadata = (policy: string) => ({
    name: policy,
    namespace: args.namespace,
    labels: { ...args.labels },
  });
  new k8s.networking.v1.NetworkPolicy(
    `${name}-default-deny`,
    {
      metadata: metadata("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    { parent, dependsOn },
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-clients`,
    {
      metadata: metadata("data-clients"),
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/component": "data" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": args.clientNamespace },
                },
              },
              { podSelector: {} },
            ],
            ports,
          },
        ],
      },
    },
    { parent, dependsOn },
  );
  if (args.exporterNamespace !== undefined) {
    new k8s.networking.v1.NetworkPolicy(
      `${name}-exporters`,
      { metadata: metadata("data-exporters"), spec: exportersPolicySpec(args.exporterNamespace) },
      { parent, dependsOn },
    );
  }
  new k8s.networking.v1.NetworkPolicy(
    `${name}-egress`,
    {
      metadata: metadata("data-egress"),
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [dnsEgress, { to: [{ podSelector: {} }], ports }],
      },
    },
    { parent, dependsOn },
  );
}

/**
 * The exporters scrape from the monitoring namespace: each exporter's pods (namespace and pod
 * labels both match) reach its own server's port only.
 */
export function exportersPolicySpec(
  exporterNamespace: string,
): k8s.types.input.networking.v1.NetworkPolicySpec {
  const from = (podLabels: Readonly<Record<string, string>>) => [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": exporterNamespace } },
      podSelector: { matchLabels: { ...podLabels } },
    },
  ];
  const exporters = exporterPodLabels();
  return {
    podSelector: { matchLabels: { "app.kubernetes.io/component": "data" } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: from(exporters.postgres),
        ports: [{ protocol: "TCP", port: dataPorts.database }],
      },
      { from: from(exporters.redis), ports: [{ protocol: "TCP", port: dataPorts.cache }] },
    ],
  };
}
