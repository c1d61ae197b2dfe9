import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "./application";
import type { ServiceSettings } from "./index";

/**
 * The service's own identity, annotated for IRSA (AWS) or Workload Identity (GCP) when the
 * service asks; its token is not mounted unless the service needs the Kubernetes API.
 */
export function createServiceAccount(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  /** The cloud identity's annotations, set by the platform. @default none */
  identity: Readonly<Record<string, pulumi.Input<string>>> = {},
): k8s.core.v1.ServiceAccount {
  return new k8s.core.v1.ServiceAccount(
    `${prefix}-account`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, "app.kubernetes.io/name": service.name },
        annotations: { ...service.serviceAccount.annotations, ...identity },
      },
      automountServiceAccountToken: service.serviceAccount.automountToken,
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
