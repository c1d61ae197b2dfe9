import * as pulumi from "@pulumi/pulumi";
import type { Target, Tier } from "../../config/tiers";
import type { OriginLock } from "../edge/origin";
import { loadBalancerAnnotations } from "../workloads/service";

/** Chart pins: a chart changes only when these change. */
export const charts = {
  ingressNginx: {
    chart: "ingress-nginx",
    version: "4.15.1",
    repo: "https://kubernetes.github.io/ingress-nginx",
  },
  certManager: { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io" },
} as const;

/**
 * How both releases wait, sized for a first boot: nodes still joining and every image pulled
 * cold outrun Helm's 300 s default. `atomic` uninstalls a failed first install so the next
 * `pulumi up` starts clean; `waitForJobs` holds the release until its Jobs finish.
 */
export const releaseWait = { timeout: 900, atomic: true, waitForJobs: true } as const;

const replicasByTier: Readonly<Record<Tier, number>> = { dev: 1, staging: 2, prod: 3 };

/** A container context the "restricted" Pod Security Standard admits. */
const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

const small = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "200m", memory: "256Mi" },
};

/**
 * ingress-nginx values that the "restricted" profile admits: the controller runs as its
 * image's user 101, drops every capability but NET_BIND_SERVICE (restricted allows that
 * one, it binds 80/443), no privilege escalation, RuntimeDefault seccomp; the admission
 * webhook jobs run as non-root with everything dropped. On AWS the controller is fronted
 * by an NLB; on GCP by a passthrough network load balancer on `loadBalancerIp` when given
 * (a reserved address); on a local cluster it is a NodePort. Behind the edge (`originLock`) the
 * load balancer admits only the edge's ranges and the client address comes from the edge.
 */
export function ingressNginxValues(
  tier: Tier,
  target: Target,
  loadBalancerIp?: pulumi.Input<string>,
  originLock?: OriginLock,
): Record<string, unknown> {
  return {
    controller: {
      replicaCount: replicasByTier[tier],
      ingressClass: "nginx",
      ingressClassResource: { name: "nginx", enabled: true, default: false },
      service: {
        type: target === "local" ? "NodePort" : "LoadBalancer",
        annotations: target === "local" ? {} : loadBalancerAnnotations(target),
        externalTrafficPolicy: target === "local" ? "Cluster" : "Local",
        ...(loadBalancerIp !== undefined && { loadBalancerIP: loadBalancerIp }),
        ...(originLock && { loadBalancerSourceRanges: originLock.sourceRanges }),
      },
      config: {
        "use-forwarded-headers": "false",
        "ssl-protocols": "TLSv1.2 TLSv1.3",
        ...(originLock && realClientIpConfig(originLock.trustedProxies)),
      },
      image: {
        runAsNonRoot: true,
        runAsUser: 101,
        allowPrivilegeEscalation: false,
        seccompProfile: { type: "RuntimeDefault" },
      },
      podSecurityContext: restrictedPod,
      containerSecurityContext: {
        ...restrictedContainer,
        readOnlyRootFilesystem: false,
        runAsUser: 101,
        runAsGroup: 82,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      },
      resources: {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "500m", memory: "512Mi" },
      },
      admissionWebhooks: {
        createSecretJob: { securityContext: restrictedContainer, resources: small },
        patchWebhookJob: { securityContext: restrictedContainer, resources: small },
        patch: {
          securityContext: { ...restrictedPod, runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 },
        },
      },
      // The ServiceMonitor comes from Observability (see `metricsTargets`): this chart renders
      // its own whether or not the CRD exists, and installs before the monitoring stack.
      metrics: { enabled: true, serviceMonitor: { enabled: false } },
    },
    defaultBackend: { enabled: false },
  };
}

/**
 * The controller's ConfigMap keys that make `$remote_addr` the visitor behind the edge: nginx's
 * realip module takes `CF-Connecting-IP`, only from a connection whose address is in Cloudflare's
 * ranges (a request from anywhere else keeps its own address; the load balancer admits none). The
 * `limit-rps` zones key on `limit-conn-zone-variable`, `$binary_remote_addr`, which realip has
 * already rewritten: each visitor gets its own budget instead of sharing one per edge address.
 * `use-forwarded-headers` stays off: it would trust `X-Forwarded-For`, which a visitor can set.
 */
export function realClientIpConfig(
  trustedProxies: pulumi.Input<string[]>,
): Record<string, pulumi.Input<string>> {
  return {
    "enable-real-ip": "true",
    "forwarded-for-header": "CF-Connecting-IP",
    "proxy-real-ip-cidr": pulumi.output(trustedProxies).apply((cidrs) => cidrs.join(",")),
    "limit-conn-zone-variable": "$binary_remote_addr",
  };
}

/**
 * cert-manager values: CRDs installed by the chart (and kept on uninstall), every component
 * non-root with RuntimeDefault seccomp, nothing escalated, every capability dropped.
 */
export function certManagerValues(tier: Tier): Record<string, unknown> {
  const component = {
    securityContext: restrictedPod,
    containerSecurityContext: restrictedContainer,
    resources: small,
  };
  return {
    crds: { enabled: true, keep: true },
    replicaCount: replicasByTier[tier],
    ...component,
    webhook: { ...component, replicaCount: replicasByTier[tier] },
    cainjector: { ...component, replicaCount: replicasByTier[tier] },
    startupapicheck: component,
    // As for ingress-nginx: the metrics Service only; Observability scrapes it.
    prometheus: { enabled: true, servicemonitor: { enabled: false } },
  };
}
