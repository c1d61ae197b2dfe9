import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { releaseWait, restrictedContainer, restrictedPod, sized } from "./prometheus-stack";
import { releaseNames, type ObservabilityContext, type PodsMetricSource } from "./index";

export const customMetricsChart = {
  chart: "prometheus-adapter",
  version: "5.3.0",
  repo: "https://prometheus-community.github.io/helm-charts",
} as const;

/** Window of the rate a pods metric is: long enough for four 30 s scrapes. */
export const rateWindow = "2m";

/**
 * One prometheus-adapter rule: the counter's per-second rate over `rateWindow`, per pod and
 * namespace (the labels a ServiceMonitor scrape carries), served under the metric's name.
 */
export function adapterRule(metric: PodsMetricSource): Record<string, unknown> {
  return {
    seriesQuery: `${metric.counter}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: `^${metric.counter}$`, as: metric.name },
    metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${rateWindow}])) by (<<.GroupBy>>)`,
  };
}

/**
 * Values of the prometheus-adapter release: it reads the kube-prometheus-stack Prometheus and
 * serves only the declared pods metrics (no default rules), restricted like every other pod.
 */
export function customMetricsValues(
  ctx: ObservabilityContext,
  metrics: readonly PodsMetricSource[],
): Record<string, unknown> {
  const ns = pulumi.output(ctx.args.namespace);
  return {
    fullnameOverride: releaseNames.customMetrics,
    prometheus: {
      url: pulumi.interpolate`http://${releaseNames.prometheusStack}-prometheus.${ns}.svc`,
      port: 9090,
    },
    replicas: ctx.args.tier === "prod" ? 2 : 1,
    rules: { default: false, custom: metrics.map(adapterRule) },
    resources: sized(ctx.args.tier, 200, 256),
    podSecurityContext: restrictedPod,
    securityContext: {
      ...restrictedContainer,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/**
 * prometheus-adapter, when a service's HPA scales on a pods metric: the custom metrics API
 * (custom.metrics.k8s.io) answers the HPA from Prometheus. Nothing is installed otherwise.
 */
export function createCustomMetrics(
  ctx: ObservabilityContext,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release | undefined {
  const metrics = ctx.args.podsMetrics ?? [];
  if (metrics.length === 0) return undefined;
  return new k8s.helm.v3.Release(
    `${ctx.name}-custom-metrics`,
    {
      name: releaseNames.customMetrics,
      namespace: ctx.args.namespace,
      chart: customMetricsChart.chart,
      version: customMetricsChart.version,
      repositoryOpts: { repo: customMetricsChart.repo },
      values: customMetricsValues(ctx, metrics),
      ...releaseWait,
    },
    { parent: ctx.parent, ...opts },
  );
}
