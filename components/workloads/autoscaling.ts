import * as k8s from "@pulumi/kubernetes";
import { selectorOf, type ServiceContext } from "./application";
import type { ScalingRules, ServiceSettings } from "./index";

function rules(r: ScalingRules): k8s.types.input.autoscaling.v2.HPAScalingRules {
  return {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    policies: r.policies.map((p) => ({ ...p })),
  };
}

/**
 * autoscaling/v2 HPA on CPU and memory utilisation, then one `Pods` metric per configured
 * per-pod metric (averaged over the pods), with the service's scale behaviour.
 */
export function createAutoscaler(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  deployment: k8s.apps.v1.Deployment,
): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  const scaling = service.autoscaling;
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${prefix}-hpa`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
      },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: service.name },
        minReplicas: scaling.min,
        maxReplicas: scaling.max,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: scaling.cpuPercent },
            },
          },
          {
            type: "Resource",
            resource: {
              name: "memory",
              target: { type: "Utilization", averageUtilization: scaling.memoryPercent },
            },
          },
          ...scaling.podsMetrics.map((m) => ({
            type: "Pods",
            pods: {
              metric: { name: m.name },
              target: { type: "AverageValue", averageValue: m.averageValue },
            },
          })),
        ],
        behavior: {
          scaleUp: rules(scaling.behavior.scaleUp),
          scaleDown: rules(scaling.behavior.scaleDown),
        },
      },
    },
    { parent: context.parent, dependsOn: [...context.dependsOn, deployment] },
  );
}

/**
 * At most one pod of the service down for voluntary disruptions (node drains, upgrades);
 * with one replica a drain can still proceed, with more the service stays up.
 */
export function createDisruptionBudget(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(
    `${prefix}-pdb`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
      },
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(service) } },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
