import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import { Cache, type CacheSettings } from "../cache";
import { Database, type DatabaseSettings } from "../database";
import { ObjectStore, type ObjectStoreSettings } from "../objectstore";
import type { LocalPlacement } from "../placement";
import type { NamespaceSettings } from "../workloads";
import { createNamespace } from "../workloads/namespace";
import { exporterPodLabels } from "../observability/prometheus-stack";
import { dnsEgress } from "../workloads/network-policy";

/**
 * Settings of the in-cluster data services, the local target's defaults (config resolves
 * `platform:database.*`, `platform:cache.*` and `platform:objectStore.*` over them); sizing
 * fields of the cloud targets are unused.
 */
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

/** A data service's settings and whether it is built. */
export type Built<T> = T & { readonly enabled: boolean };

export interface LocalDataServicesArgs {
  readonly tier: Tier;
  /** The PostgreSQL server (`platform:database`). @default `localDatabaseSettings`, built */
  readonly database?: Built<DatabaseSettings>;
  /** The Redis server (`platform:cache`). @default `localCacheSettings`, built */
  readonly cache?: Built<CacheSettings>;
  /** The MinIO server and its buckets (`platform:objectStore`). @default `localObjectStoreSettings`, built */
  readonly objectStore?: Built<ObjectStoreSettings>;
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
 * The Database, Cache and ObjectStore contracts placed on a local cluster: PostgreSQL, Redis
 * and MinIO in their own restricted namespace, reachable only from the application namespace.
 * A service switched off (`enabled: false`) is not built, and its port is not admitted.
 */
export class LocalDataServices extends pulumi.ComponentResource {
  readonly database?: Database;
  readonly cache?: Cache;
  readonly objectStore?: ObjectStore;
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
    // The namespace's name as an output: every server's object waits for the namespace.
    const placement: LocalPlacement = { target: "local", namespace: namespace.metadata.name };
    const common = { tier: args.tier, placement, tags: { ...args.labels } };
    const built = builtServices(args);
    createDataNetworkPolicies(name, args, dataPortsOf(built), this, [namespace]);
    const childOpts = { parent: this, transformations: [keepIdentityUnder(this)] };
    const { database, cache, objectStore } = built;
    this.database =
      database && new Database(`${name}-database`, { ...database, ...common }, childOpts);
    this.cache = cache && new Cache(`${name}-cache`, { ...cache, ...common }, childOpts);
    this.objectStore =
      objectStore && new ObjectStore(`${name}-objects`, { ...objectStore, ...common }, childOpts);
    this.connectionSecrets = connectionSecretsOf(this);
    this.registerOutputs({
      databaseHost: this.database?.host,
      cacheHost: this.cache?.host,
      objectStoreEndpoint: this.objectStore?.endpoint,
    });
  }
}

/** The settings of each service the args switch on; none of those switched off. */
function builtServices(args: LocalDataServicesArgs): {
  database?: DatabaseSettings;
  cache?: CacheSettings;
  objectStore?: ObjectStoreSettings;
} {
  const on = <T extends object>(given: Built<T> | undefined, defaults: T): T | undefined => {
    if (given === undefined) return defaults;
    const { enabled, ...settings } = given;
    return enabled ? (settings as T) : undefined;
  };
  return {
    database: on(args.database, localDatabaseSettings),
    cache: on(args.cache, localCacheSettings),
    objectStore: on(args.objectStore, localObjectStoreSettings),
  };
}

/** The ports of the servers that are built. */
function dataPortsOf(built: ReturnType<typeof builtServices>): number[] {
  return [
    ...(built.database ? [dataPorts.database] : []),
    ...(built.cache ? [dataPorts.cache] : []),
    ...(built.objectStore ? [dataPorts.objectStore] : []),
  ];
}

/** The `connections` keys of the servers that are built. */
function connectionSecretsOf(data: LocalDataServices): Record<string, pulumi.Output<string>> {
  const { database, cache, objectStore } = data;
  return {
    ...(database && { "database-url": database.connectionString }),
    ...(cache && { "redis-url": cache.connectionString }),
    ...(objectStore && {
      "s3-endpoint": pulumi.secret(objectStore.endpoint),
      ...(objectStore.accessKey && { "s3-access-key": objectStore.accessKey }),
      ...(objectStore.secretKey && { "s3-secret-key": objectStore.secretKey }),
    }),
  };
}

/**
 * The servers' objects were children of this component before the Database, Cache and
 * ObjectStore components stood between: each keeps that identity as an alias, so a stack
 * deployed before keeps its volumes, Secrets and generated passwords instead of replacing them.
 */
export function keepIdentityUnder(component: pulumi.Resource): pulumi.ResourceTransformation {
  return ({ opts, props }) =>
    opts.parent === component
      ? undefined
      : { props, opts: { ...opts, aliases: [...(opts.aliases ?? []), { parent: component }] } };
}

/**
 * Default deny in the data namespace; the application namespace may reach the data ports;
 * pods here may resolve DNS and reach each other's data ports (the bucket job -> MinIO).
 */
function createDataNetworkPolicies(
  name: string,
  args: LocalDataServicesArgs,
  dataPortNumbers: readonly number[],
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): void {
  const ports = dataPortNumbers.map((port) => ({ protocol: "TCP", port }));
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
