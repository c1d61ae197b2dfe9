import * as k8s from "@pulumi/kubernetes";
import { selectorOf, type ServiceContext } from "./application";
import type { Exposure, ServiceSettings } from "./index";
import { servicePort } from "./service";

/** The ingress class the platform's ingress-nginx controller serves. */
export const ingressClassName = "nginx";

/** Key of the CA in the Secret `auth-tls-secret` names (ingress-nginx reads `ca.crt`). */
export const clientCaKey = "ca.crt";

/**
 * Annotations of seed 001's ingress: HTTPS only, a per-client request rate limit, and the
 * ClusterIssuer that signs the certificate. ingress-nginx spells the rate limit `limit-rps`.
 * With `clientCaSecret` (`namespace/name`), the TLS handshake demands a client certificate that
 * CA signs (Cloudflare's Authenticated Origin Pulls): a connection without one gets 400.
 * Depth 1, as Cloudflare's nginx example (`ssl_verify_client` at nginx's default depth): the
 * CA signs the client certificate directly.
 */
export function ingressAnnotations(
  rateLimit: number,
  clusterIssuer: string,
  clientCaSecret?: string,
): Record<string, string> {
  return {
    "nginx.ingress.kubernetes.io/ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/limit-rps": String(rateLimit),
    "cert-manager.io/cluster-issuer": clusterIssuer,
    ...(clientCaSecret !== undefined && {
      "nginx.ingress.kubernetes.io/auth-tls-secret": clientCaSecret,
      "nginx.ingress.kubernetes.io/auth-tls-verify-client": "on",
      "nginx.ingress.kubernetes.io/auth-tls-verify-depth": "1",
      "nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream": "false",
    }),
  };
}

/**
 * The edge's client CA beside the Ingress: ingress-nginx 1.15 reads an `auth-tls-secret` only in
 * the Ingress's own namespace (`allow-cross-namespace-resources` is off by default).
 */
function createClientCaSecret(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  pem: string,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    `${prefix}-origin-pull-ca`,
    {
      metadata: {
        name: `${service.name}-origin-pull-ca`,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
      },
      type: "Opaque",
      stringData: { [clientCaKey]: pem },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}

/**
 * An Ingress for one host and path with TLS from cert-manager, demanding the edge's client
 * certificate when the context has its CA.
 */
export function createIngress(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  exposure: Extract<Exposure, { kind: "ingress" }>,
  kubeService: k8s.core.v1.Service,
): k8s.networking.v1.Ingress {
  const clientCa =
    context.originPullCa !== undefined
      ? createClientCaSecret(prefix, context, service, context.originPullCa)
      : undefined;
  return new k8s.networking.v1.Ingress(
    `${prefix}-ingress`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
        annotations: ingressAnnotations(
          exposure.rateLimit,
          context.clusterIssuer,
          clientCa && `${context.namespace}/${service.name}-origin-pull-ca`,
        ),
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
    {
      parent: context.parent,
      dependsOn: [...context.dependsOn, kubeService, ...(clientCa ? [clientCa] : [])],
    },
  );
}
