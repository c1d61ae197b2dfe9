import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config/tiers";
import { createAutoscaler, createDisruptionBudget } from "./autoscaling";
import { createDeployment } from "./deployment";
import { createIngress } from "./ingress";
import { createConfigFiles } from "./config-files";
import { createConnectionData } from "./connection-data";
import type { ConnectionData, ServiceIdentityBinding, ServiceSettings } from "./index";
import { createServiceNetworkPolicy } from "./network-policy";
import { createKubernetesService } from "./service";
import { createServiceAccount } from "./service-account";

/** What every per-service builder needs to know about where it builds. */
export interface ServiceContext {
  /** Name of the Workloads component; children are `${componentName}-<service>-<role>`. */
  readonly componentName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly target: Target;
  readonly ingressControllerNamespace: string;
  /** Namespace of the Prometheus that scrapes the services, when there is one. */
  readonly monitoringNamespace?: string;
  readonly clusterIssuer: string;
  /** PEM of the CA of the edge's client certificates, which each Ingress then demands. */
  readonly originPullCa?: string;
  /** Where the cloud's API endpoints answer; services with a cloud identity reach it on 443. */
  readonly cloudApiCidr?: string;
  readonly parent: pulumi.Resource;
  readonly dependsOn: pulumi.Resource[];
}

/** Labels that select one service's pods. */
export function selectorOf(service: ServiceSettings): Record<string, string> {
  return { "app.kubernetes.io/name": service.name };
}

/**
 * One service: ServiceAccount, Deployment, Service, HPA, PodDisruptionBudget and
 * NetworkPolicy, plus an Ingress when it is exposed through the ingress controller.
 */
export function createApplication(
  context: ServiceContext,
  service: ServiceSettings,
  all: readonly ServiceSettings[],
  secrets: k8s.core.v1.Secret[],
  wiring: { identity?: ServiceIdentityBinding; connectionData?: ConnectionData } = {},
): { loadBalancerHost?: pulumi.Output<string> } {
  const prefix = `${context.componentName}-${service.name}`;
  const account = createServiceAccount(prefix, context, service, wiring.identity?.annotations);
  const data = createConnectionData(prefix, context, service, wiring.connectionData);
  const files = createConfigFiles(prefix, context, service);
  // Pods start once their role and its grants exist: a pod that starts first fails its first
  // calls, and SDKs cache the failure.
  const deployment = createDeployment(
    prefix,
    context,
    service,
    [
      account,
      ...secrets,
      ...(data ? [data] : []),
      ...(files ? [files] : []),
      ...(wiring.identity?.ready ?? []),
    ],
    data?.metadata.name,
  );
  const kubeService = createKubernetesService(prefix, context, service);
  createAutoscaler(prefix, context, service, deployment);
  createDisruptionBudget(prefix, context, service);
  createServiceNetworkPolicy(prefix, context, service, all);
  if (service.exposure.kind === "ingress") {
    createIngress(prefix, context, service, service.exposure, kubeService);
  }
  // A NodePort (the local target) has no load balancer to report: the README says how to reach it.
  if (service.exposure.kind === "loadBalancer" && context.target !== "local") {
    return {
      loadBalancerHost: kubeService.status.loadBalancer.apply(
        (lb) => lb?.ingress?.[0]?.hostname ?? lb?.ingress?.[0]?.ip ?? "",
      ),
    };
  }
  return {};
}
