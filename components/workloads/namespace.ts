import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamespaceSettings } from "./index";

/**
 * A namespace that enforces the Pod Security Standards "restricted" profile, with a quota
 * on what it may consume and a LimitRange so no container runs without requests and limits.
 * `dependsOn`: what the namespace, and so everything created in it, waits for.
 * `keep`: `protect`/`retainOnDelete` for the Namespace alone, where deleting it would cascade
 * to stateful resources inside (a database's Cluster and its volumes).
 */
export function createNamespace(
  name: string,
  settings: NamespaceSettings,
  labels: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
  dependsOn?: pulumi.ResourceOptions["dependsOn"],
  keep?: Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete">,
): k8s.core.v1.Namespace {
  const namespace = new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name: settings.name,
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      },
    },
    { parent, ...(dependsOn !== undefined && { dependsOn }), ...keep },
  );
  const childOpts = { parent, dependsOn: [namespace] };
  const { quota, containerLimits } = settings;
  new k8s.core.v1.ResourceQuota(
    `${name}-quota`,
    {
      metadata: { name: "quota", namespace: settings.name, labels },
      spec: {
        hard: {
          "requests.cpu": quota.requestsCpu,
          "requests.memory": quota.requestsMemory,
          "limits.cpu": quota.limitsCpu,
          "limits.memory": quota.limitsMemory,
          pods: String(quota.pods),
          persistentvolumeclaims: String(quota.persistentVolumeClaims),
        },
      },
    },
    childOpts,
  );
  new k8s.core.v1.LimitRange(
    `${name}-limits`,
    {
      metadata: { name: "limits", namespace: settings.name, labels },
      spec: {
        limits: [
          {
            type: "Container",
            defaultRequest: {
              cpu: containerLimits.defaultRequestCpu,
              memory: containerLimits.defaultRequestMemory,
            },
            default: {
              cpu: containerLimits.defaultLimitCpu,
              memory: containerLimits.defaultLimitMemory,
            },
            max: { cpu: containerLimits.maxCpu, memory: containerLimits.maxMemory },
          },
        ],
      },
    },
    childOpts,
  );
  return namespace;
}
