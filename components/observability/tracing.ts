import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { releaseWait, restrictedContainer, restrictedPod, sized } from "./prometheus-stack";
import { releaseNames, type ObservabilityContext } from "./index";

export const tracingChart = {
  chart: "jaeger",
  version: "3.4.1",
  repo: "https://jaegertracing.github.io/helm-charts",
} as const;

/** The collector's OTLP ports on the all-in-one pod: gRPC and HTTP. */
export const otlpPorts = { grpc: 4317, http: 4318 } as const;

/**
 * Labels of the all-in-one pod that receives traces, as chart 3.4.1 sets them
 * (`jaeger.selectorLabels` and `allinone-deploy.yaml`); the application's egress policy admits
 * exactly these pods. A function, not a constant: `releaseNames` is read after ./index has loaded.
 */
export function collectorPodLabels(): Record<string, string> {
  return {
    "app.kubernetes.io/name": tracingChart.chart,
    "app.kubernetes.io/instance": releaseNames.tracing,
    "app.kubernetes.io/component": "all-in-one",
  };
}

/**
 * Jaeger (seeds 001, 003) as one all-in-one pod: OTLP on 4317 (gRPC) and 4318 (HTTP), the UI
 * on 16686. Traces are held in memory, capped per tier.
 */
export function tracingValues(ctx: ObservabilityContext): Record<string, unknown> {
  return {
    fullnameOverride: releaseNames.tracing,
    provisionDataStore: { cassandra: false, elasticsearch: false, kafka: false },
    storage: { type: "memory" },
    allInOne: {
      enabled: true,
      // Chart 3.4.1's allinone-deploy.yaml sets COLLECTOR_OTLP_ENABLED=true itself; naming it
      // here too would give the container the same variable twice.
      extraEnv: [{ name: "MEMORY_MAX_TRACES", value: String(ctx.settings.maxTraces) }],
      resources: sized(ctx.args.tier, 200, 256),
      podSecurityContext: restrictedPod,
      securityContext: restrictedContainer,
    },
    agent: { enabled: false },
    collector: { enabled: false },
    query: { enabled: false },
  };
}

export function createTracing(ctx: ObservabilityContext): {
  release: k8s.helm.v3.Release;
  otlpEndpoint: pulumi.Output<string>;
} {
  const { name, args, parent } = ctx;
  const release = new k8s.helm.v3.Release(
    `${name}-tracing`,
    {
      name: releaseNames.tracing,
      namespace: args.namespace,
      chart: tracingChart.chart,
      version: tracingChart.version,
      repositoryOpts: { repo: tracingChart.repo },
      values: tracingValues(ctx),
      ...releaseWait,
    },
    { parent },
  );
  return { release, otlpEndpoint: pulumi.output(args.namespace).apply(otlpEndpointIn) };
}

/**
 * The collector's OTLP gRPC address in the monitoring namespace: known before the chart is
 * installed, so the workloads built first can be told where to send traces.
 */
export function otlpEndpointIn(monitoringNamespace: string): string {
  return `http://${releaseNames.tracing}-collector.${monitoringNamespace}.svc.cluster.local:${otlpPorts.grpc}`;
}
