import * as k8s from "@pulumi/kubernetes";
import { selectorOf, type ServiceContext } from "./application";
import type { Exposure, ServiceSettings } from "./index";
import { servicePort } from "./service";

/** The ingress class the platform's ingress-nginx controller serves. */
export const ingressClassName = "nginx";

/**
 * Annotations of seed 001's ingress: HTTPS only, a per-client request rate limit, and the
 * ClusterIssuer that signs the certificate. ingress-nginx spells the rate limit `limit-rps`.
 */
export function ingressAnnotations(
  rateLimit: number,
  clusterIssuer: string,
): Record<string, string> {
  return {
    "nginx.ingress.kubernetes.io/ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/limit-rps": String(rateLimit),
    "cert-manager.io/cluster-issuer": clusterIssuer,
  };
}

/** An Ingress for one host and path with TLS from cert-manager. */
export function createIngress(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  exposure: Extract<Exposure, { kind: "ingress" }>,
  kubeService: k8s.core.v1.Service,
): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    `${prefix}-ingress`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
        annotations: ingressAnnotations(exposure.rateLimit, context.clusterIssuer),
      },
      spec: {
        ingressClassName,
        tls: [{ hosts: [exposure.host], secretName: `${service.name}-tls` }],
        rules: [
          {
            host: exposure.host,
            http: {
              paths: [
                {
                  path: exposure.path,
                  pathType: "Prefix",
                  backend: { service: { name: service.name, port: { number: servicePort } } },
                },
              ],
            },
          },
        ],
      },
    },
    { parent: context.parent, dependsOn: [...context.dependsOn, kubeService] },
  );
}
