import * as k8s from "@pulumi/kubernetes";
import type { Target } from "../../config/tiers";
import { selectorOf, type ServiceContext } from "./application";
import type { ServiceSettings } from "./index";

/** Port every Service listens on; it forwards to the container's port (seeds 000/001). */
export const servicePort = 80;

/**
 * Annotations of a raw TCP load balancer per target: an internet-facing NLB passing TCP
 * through on AWS (seed 000's websocket tier); the cloud's defaults elsewhere.
 */
export function loadBalancerAnnotations(target: Target): Record<string, string> {
  switch (target) {
    case "aws":
      return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
      };
    case "gcp":
      return { "cloud.google.com/l4-rbs": "enabled" };
    case "local":
      return {};
  }
}

/**
 * Service type of a `loadBalancer` exposure: a cloud load balancer on AWS and GCP; a NodePort
 * on a local cluster, where nothing ever gives a LoadBalancer Service an address (kind has no
 * cloud controller) and the deployment would wait for one forever.
 */
export function exposedServiceType(target: Target): "LoadBalancer" | "NodePort" {
  return target === "local" ? "NodePort" : "LoadBalancer";
}

/** ClusterIP, or `exposedServiceType` for `loadBalancer` exposure. */
export function createKubernetesService(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
): k8s.core.v1.Service {
  const balanced = service.exposure.kind === "loadBalancer";
  return new k8s.core.v1.Service(
    `${prefix}-service`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
        annotations: balanced ? loadBalancerAnnotations(context.target) : {},
      },
      spec: {
        type: balanced ? exposedServiceType(context.target) : "ClusterIP",
        selector: selectorOf(service),
        ports: [{ name: "http", port: servicePort, targetPort: service.port, protocol: "TCP" }],
      },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
