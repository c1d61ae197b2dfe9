import * as k8s from "@pulumi/kubernetes";
import { collectorPodLabels, otlpPorts } from "../observability/tracing";
import { selectorOf, type ServiceContext } from "./application";
import { usesAnything, type EgressRule, type ServiceSettings } from "./index";

const namespaceLabel = "kubernetes.io/metadata.name";

/** Nothing in or out of the namespace's pods unless a policy below allows it. */
export function createDefaultDeny(context: ServiceContext): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    `${context.componentName}-default-deny`,
    {
      metadata: {
        name: "default-deny",
        namespace: context.namespace,
        labels: { ...context.labels },
      },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}

/** DNS to the cluster resolver in kube-system, UDP and TCP 53. */
export const dnsEgress: k8s.types.input.networking.v1.NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { [namespaceLabel]: "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/**
 * OTLP, gRPC and HTTP, to the trace collector's pods in the monitoring namespace: the services
 * send traces to `tracesEndpoint`, which the namespace's default deny would otherwise drop.
 * None without a monitoring namespace.
 */
export function tracesEgress(
  monitoringNamespace: string | undefined,
): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
  if (monitoringNamespace === undefined) return [];
  return [
    {
      to: [
        {
          namespaceSelector: { matchLabels: { [namespaceLabel]: monitoringNamespace } },
          podSelector: { matchLabels: collectorPodLabels() },
        },
      ],
      ports: [
        { protocol: "TCP", port: otlpPorts.grpc },
        { protocol: "TCP", port: otlpPorts.http },
      ],
    },
  ];
}

/** Where an egress rule leads: an address range, a namespace, or the own namespace's pods. */
export function egressPeer(rule: EgressRule): k8s.types.input.networking.v1.NetworkPolicyPeer {
  return rule.cidr
    ? { ipBlock: { cidr: rule.cidr } }
    : rule.namespace
      ? { namespaceSelector: { matchLabels: { [namespaceLabel]: rule.namespace } } }
      : { podSelector: {} };
}

/**
 * The GKE metadata server, which hands a pod with Workload Identity its Google access token:
 * 169.254.169.254 on ports 80 and 8080 under GKE Dataplane V2 (the clusters here), and
 * 169.254.169.252 on 987 and 988 under the legacy datapath.
 */
export const gkeMetadataServer = [
  { cidr: "169.254.169.254/32", ports: [80, 8080] },
  { cidr: "169.254.169.252/32", ports: [987, 988] },
] as const;

/** The private ranges a Google API address never lies in. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * HTTPS to the cloud's APIs for a service with a cloud identity. On AWS, STS (the web identity
 * token exchanged for the role's credentials) and the services it uses (S3, SQS, SNS, KMS)
 * answer on the VPC's interface endpoints, inside the VPC's range. On GKE, the metadata server
 * issues the token, and Cloud Storage answers on Google's public addresses (Private Google
 * Access routes them from the private nodes), which have no published range: 443 anywhere
 * outside the private ranges. None on a local cluster.
 */
export function cloudApiEgress(
  context: Pick<ServiceContext, "cloudApiCidr" | "target">,
  service: ServiceSettings,
): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
  if (!usesAnything(service.uses)) return [];
  const https = [{ protocol: "TCP", port: 443 }];
  if (context.target === "gcp") {
    return [
      ...gkeMetadataServer.map(({ cidr, ports }) => ({
        to: [{ ipBlock: { cidr } }],
        ports: ports.map((port) => ({ protocol: "TCP", port })),
      })),
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }], ports: https },
    ];
  }
  if (context.cloudApiCidr === undefined) return [];
  return [{ to: [{ ipBlock: { cidr: context.cloudApiCidr } }], ports: https }];
}

/** Who may reach the service and what it may reach. */
export function networkPolicySpec(
  context: Pick<
    ServiceContext,
    "ingressControllerNamespace" | "monitoringNamespace" | "cloudApiCidr" | "target"
  >,
  service: ServiceSettings,
  all: readonly ServiceSettings[],
): k8s.types.input.networking.v1.NetworkPolicySpec {
  const ownPort = [{ protocol: "TCP", port: service.port }];
  const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
  if (service.exposure.kind === "ingress") {
    ingress.push({
      from: [
        {
          namespaceSelector: {
            matchLabels: { [namespaceLabel]: context.ingressControllerNamespace },
          },
        },
      ],
      ports: ownPort,
    });
  }
  if (service.exposure.kind === "loadBalancer") {
    // A public TCP load balancer passes client addresses through; any source may connect.
    ingress.push({ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: ownPort });
  }
  if (context.monitoringNamespace) {
    // Prometheus scrapes /metrics on the service's own port.
    ingress.push({
      from: [
        { namespaceSelector: { matchLabels: { [namespaceLabel]: context.monitoringNamespace } } },
      ],
      ports: ownPort,
    });
  }
  const callers = all.filter((s) => s.calls.includes(service.name)).map((s) => s.name);
  if (callers.length > 0) {
    ingress.push({
      from: callers.map((caller) => ({
        podSelector: { matchLabels: { "app.kubernetes.io/name": caller } },
      })),
      ports: ownPort,
    });
  }
  const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
    dnsEgress,
    ...tracesEgress(context.monitoringNamespace),
  ];
  for (const callee of service.calls) {
    const target = all.find((s) => s.name === callee);
    if (!target) continue;
    egress.push({
      to: [{ podSelector: { matchLabels: selectorOf(target) } }],
      ports: [{ protocol: "TCP", port: target.port }],
    });
  }
  for (const rule of service.egress) {
    egress.push({ to: [egressPeer(rule)], ports: [{ protocol: "TCP", port: rule.port }] });
  }
  for (const rule of cloudApiEgress(context, service)) {
    const same = egress.some((e) => JSON.stringify(e) === JSON.stringify(rule));
    if (!same) egress.push(rule);
  }
  return {
    podSelector: { matchLabels: selectorOf(service) },
    policyTypes: ["Ingress", "Egress"],
    ingress,
    egress,
  };
}

export function createServiceNetworkPolicy(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  all: readonly ServiceSettings[],
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    `${prefix}-network-policy`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selectorOf(service) },
      },
      spec: networkPolicySpec(context, service, all),
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
