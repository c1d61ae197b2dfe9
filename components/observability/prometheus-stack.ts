import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Tier } from "../../config/tiers";
import { checkIntervalSeconds } from "./alert-rules";
import { alertmanagerConfigSecretName } from "./alertmanager";
import { releaseNames, type ObservabilityContext, type ScrapeTarget } from "./index";
import { ComponentError } from "../errors";

/** Pinned charts: an upgrade is a reviewed change to these lines. */
export const charts = {
  prometheusStack: {
    chart: "kube-prometheus-stack",
    version: "65.1.1",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  postgresExporter: {
    chart: "prometheus-postgres-exporter",
    version: "6.4.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  redisExporter: {
    chart: "prometheus-redis-exporter",
    version: "6.6.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
} as const;

/**
 * How every release of the component waits, sized for a first boot: on a fresh cluster the
 * nodes may still be joining and every image is pulled cold, which Helm's 300 s default does
 * not cover. `atomic` uninstalls a failed first install so the next `pulumi up` starts clean;
 * `waitForJobs` holds the release until its Jobs (CRD upgrades, certificate patches) finish.
 */
export const releaseWait = { timeout: 900, atomic: true, waitForJobs: true } as const;

/** Host-level agents need host paths, which the restricted monitoring namespace refuses. */
export const nodeAgentNamespace = "kube-system";

/** Pod and container security contexts that pass the "restricted" Pod Security Standard. */
export const restrictedPod = {
  runAsNonRoot: true,
  runAsUser: 65534,
  seccompProfile: { type: "RuntimeDefault" },
} as const;
export const restrictedContainer = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
} as const;

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

const tierFactor: Record<Tier, number> = { dev: 1, staging: 2, prod: 2 };

/**
 * Requests and limits of a small container: dev's numbers, doubled in staging and prod.
 * Requests are half the limits. Every container states both, so the namespace quota holds.
 */
export function sized(tier: Tier, cpuMillis: number, memoryMi: number): Resources {
  const f = tierFactor[tier];
  return {
    requests: { cpu: `${(cpuMillis * f) / 2}m`, memory: `${(memoryMi * f) / 2}Mi` },
    limits: { cpu: `${cpuMillis * f}m`, memory: `${memoryMi * f}Mi` },
  };
}

function halfOf(quantity: string): string {
  const m = /^(\d+(?:\.\d+)?)(m|Mi|Gi)?$/.exec(quantity);
  if (!m) {
    throw new ComponentError("halfOf", JSON.stringify(quantity), [
      `cannot halve quantity ${quantity}; expected a number of m, Mi or Gi`,
    ]);
  }
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (unit === "Gi") return `${n * 512}Mi`;
  if (unit === "") return `${n * 500}m`;
  return `${n / 2}${unit}`;
}

export const grafanaAdminSecretName = "grafana-admin";

/** Alertmanager's volume: silences and the notification log, a few MiB. */
export const alertmanagerStorageGb = 1;

/** A prometheus-operator storage spec: one ReadWriteOnce claim per replica, on the given class. */
function volumeClaim(ctx: ObservabilityContext, storageGb: number): Record<string, unknown> {
  const storageClassName = ctx.args.storageClassName;
  return {
    volumeClaimTemplate: {
      spec: {
        ...(storageClassName !== undefined && { storageClassName }),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${storageGb}Gi` } },
      },
    },
  };
}

/** Values of the kube-prometheus-stack release. */
export function prometheusStackValues(
  ctx: ObservabilityContext,
  alertmanagerSecretName: string,
): Record<string, unknown> {
  const { tier, target } = ctx.args;
  const s = ctx.settings;
  const interval = `${checkIntervalSeconds}s`;
  return {
    fullnameOverride: releaseNames.prometheusStack,
    crds: { enabled: true },
    // Managed control planes (EKS, GKE) and kind do not expose these to scraping.
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    prometheusOperator: {
      resources: sized(tier, 200, 256),
      prometheusConfigReloader: { resources: sized(tier, 50, 64) },
      admissionWebhooks: { patch: { resources: sized(tier, 50, 64) } },
    },
    prometheus: {
      prometheusSpec: {
        replicas: s.prometheusReplicas,
        retention: s.metricsRetention,
        scrapeInterval: interval,
        evaluationInterval: interval,
        resources: {
          requests: {
            cpu: halfOf(s.prometheusResources.cpu),
            memory: halfOf(s.prometheusResources.memory),
          },
          limits: { ...s.prometheusResources },
        },
        // Pick up every ServiceMonitor and PrometheusRule, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        storageSpec: volumeClaim(ctx, s.metricsStorageGb),
        externalLabels: { cluster: ctx.args.clusterName, tier, target },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: s.alertmanagerReplicas,
        // The routing config, with its receiver secrets, comes from our own Secret.
        useExistingSecret: true,
        configSecret: alertmanagerSecretName,
        resources: sized(tier, 100, 128),
        retention: "120h",
        // Silences and the notification log survive a restart.
        storage: volumeClaim(ctx, alertmanagerStorageGb),
      },
    },
    grafana: {
      fullnameOverride: releaseNames.grafana,
      admin: {
        existingSecret: grafanaAdminSecretName,
        userKey: "admin-user",
        passwordKey: "admin-password",
      },
      resources: sized(tier, 200, 256),
      sidecar: {
        resources: sized(tier, 100, 128),
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1" },
      },
      defaultDashboardsTimezone: "utc",
    },
    "kube-state-metrics": { resources: sized(tier, 100, 128) },
    // Node metrics (seed 003: node exporter) need the host's /proc and /sys.
    nodeExporter: { enabled: true },
    "prometheus-node-exporter": {
      namespaceOverride: nodeAgentNamespace,
      resources: sized(tier, 100, 64),
    },
  };
}

export interface PrometheusStack {
  readonly release: k8s.helm.v3.Release;
  readonly grafanaUrl: pulumi.Output<string>;
  readonly alertmanagerUrl: pulumi.Output<string>;
}

export function createPrometheusStack(
  ctx: ObservabilityContext,
  alertmanagerSecret: k8s.core.v1.Secret,
): PrometheusStack {
  const { name, args, parent } = ctx;
  const password = new random.RandomPassword(
    `${name}-grafana-admin-password`,
    { length: 32, special: false },
    { parent },
  );
  const adminSecret = new k8s.core.v1.Secret(
    `${name}-grafana-admin`,
    {
      metadata: { name: grafanaAdminSecretName, namespace: args.namespace, labels: args.labels },
      type: "Opaque",
      stringData: { "admin-user": "admin", "admin-password": pulumi.secret(password.result) },
    },
    { parent },
  );
  const release = new k8s.helm.v3.Release(
    `${name}-prometheus-stack`,
    {
      name: releaseNames.prometheusStack,
      namespace: args.namespace,
      chart: charts.prometheusStack.chart,
      version: charts.prometheusStack.version,
      repositoryOpts: { repo: charts.prometheusStack.repo },
      values: prometheusStackValues(ctx, alertmanagerConfigSecretName),
      ...releaseWait,
    },
    { parent, dependsOn: [adminSecret, alertmanagerSecret] },
  );
  const afterStack = { parent, dependsOn: [release] };
  for (const target of [...args.scrapeTargets, ...(args.platformScrapeTargets ?? [])]) {
    createServiceMonitor(ctx, target, afterStack);
  }
  createExporters(ctx, afterStack);
  const ns = pulumi.output(args.namespace);
  return {
    release,
    grafanaUrl: pulumi.interpolate`http://${releaseNames.grafana}.${ns}.svc.cluster.local`,
    alertmanagerUrl: pulumi.interpolate`http://${releaseNames.prometheusStack}-alertmanager.${ns}.svc.cluster.local:9093`,
  };
}

/** The ServiceMonitor of one scrape target. */
export function serviceMonitorSpec(target: ScrapeTarget): IServiceMonitor["spec"] {
  return {
    jobLabel: "app.kubernetes.io/name",
    selector: {
      matchLabels: { ...(target.selector ?? { "app.kubernetes.io/name": target.name }) },
    },
    namespaceSelector: { matchNames: [target.namespace] },
    endpoints: [
      {
        port: target.port,
        path: target.path === "" ? "/metrics" : target.path,
        interval: `${checkIntervalSeconds}s`,
        scrapeTimeout: "10s",
      },
    ],
  };
}

function createServiceMonitor(
  ctx: ObservabilityContext,
  target: ScrapeTarget,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    `${ctx.name}-scrape-${target.namespace}-${target.name}`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: {
        name: `${target.namespace}-${target.name}`,
        namespace: ctx.args.namespace,
        labels: ctx.args.labels,
      },
      spec: serviceMonitorSpec(target),
    },
    opts,
  );
}

/**
 * Labels of the exporters' pods, as the pinned charts set them for our release names
 * (postgres-exporter 6.4.0: `app`/`release`; redis-exporter 6.6.0: `app.kubernetes.io/*`);
 * the data namespace's NetworkPolicy admits exactly these pods.
 */
export function exporterPodLabels(): {
  postgres: Record<string, string>;
  redis: Record<string, string>;
} {
  // A function, not a constant: `releaseNames` is read after ./index has loaded.
  return {
    postgres: { app: "prometheus-postgres-exporter", release: releaseNames.postgresExporter },
    redis: {
      "app.kubernetes.io/name": "prometheus-redis-exporter",
      "app.kubernetes.io/instance": releaseNames.redisExporter,
    },
  };
}

/**
 * The exporter's libpq sslmode: the local PostgreSQL serves no TLS (the application connects
 * with sslmode=disable too); any other database is reached with TLS required.
 */
export function exporterSslMode(ctx: ObservabilityContext): string {
  return (
    ctx.args.inClusterData?.postgres?.sslmode ??
    (ctx.args.target === "local" ? "disable" : "require")
  );
}

/** postgres/redis exporters (seed 003) for data services that run in the cluster. */
function createExporters(ctx: ObservabilityContext, opts: pulumi.CustomResourceOptions): void {
  const { name, args } = ctx;
  const data = args.inClusterData;
  const serviceMonitor = { enabled: true, interval: `${checkIntervalSeconds}s` };
  const resources = sized(args.tier, 100, 64);
  if (data?.postgres) {
    const pg = data.postgres;
    const secret = new k8s.core.v1.Secret(
      `${name}-postgres-exporter-password`,
      {
        metadata: { name: "postgres-exporter", namespace: args.namespace, labels: args.labels },
        type: "Opaque",
        stringData: { password: pulumi.secret(pg.password) },
      },
      opts,
    );
    new k8s.helm.v3.Release(
      `${name}-postgres-exporter`,
      {
        name: releaseNames.postgresExporter,
        namespace: args.namespace,
        chart: charts.postgresExporter.chart,
        version: charts.postgresExporter.version,
        repositoryOpts: { repo: charts.postgresExporter.repo },
        values: {
          config: {
            datasource: {
              host: pg.host,
              port: String(pg.port),
              database: pg.database,
              user: pg.username,
              passwordSecret: { name: "postgres-exporter", key: "password" },
              sslmode: exporterSslMode(ctx),
            },
          },
          serviceMonitor,
          resources,
          podSecurityContext: restrictedPod,
          securityContext: restrictedContainer,
        },
        ...releaseWait,
      },
      pulumi.mergeOptions(opts, { dependsOn: [secret] }),
    );
  }
  if (data?.redis) {
    const redis = data.redis;
    const password = redis.password;
    const secret =
      password === undefined
        ? undefined
        : new k8s.core.v1.Secret(
            `${name}-redis-exporter-password`,
            {
              metadata: { name: "redis-exporter", namespace: args.namespace, labels: args.labels },
              type: "Opaque",
              stringData: { password: pulumi.secret(password) },
            },
            opts,
          );
    new k8s.helm.v3.Release(
      `${name}-redis-exporter`,
      {
        name: releaseNames.redisExporter,
        namespace: args.namespace,
        chart: charts.redisExporter.chart,
        version: charts.redisExporter.version,
        repositoryOpts: { repo: charts.redisExporter.repo },
        values: {
          redisAddress: pulumi.interpolate`redis://${redis.address}`,
          auth: secret
            ? { enabled: true, secret: { name: "redis-exporter", key: "password" } }
            : { enabled: false },
          serviceMonitor,
          resources,
          // Chart 6.6.0: `podSecurityContext` is the pod's, `securityContext` the container's.
          podSecurityContext: restrictedPod,
          securityContext: restrictedContainer,
        },
        ...releaseWait,
      },
      pulumi.mergeOptions(opts, { dependsOn: secret ? [secret] : [] }),
    );
  }
}
