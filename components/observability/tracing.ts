import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { releaseWait, restrictedContainer, restrictedPod, sized } from "./prometheus-stack";
import { releaseNames, type ObservabilityContext } from "./index";

export const tracingChart = {
  chart: "jaeger",
  version: "3.4.1",
  repo: "https://jaegertracing.github.io/helm-charts",
} as const;

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
  const ns = pulumi.output(args.namespace);
  return {
    release,
    otlpEndpoint: pulumi.interpolate`http://${releaseNames.tracing}-collector.${ns}.svc.cluster.local:4317`,
  };
}
