import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ScrapeTarget } from "../observability";
import type { KubernetesDatabasePlacement } from "./index";

/** Port of each instance's Prometheus exporter (CloudNativePG's instance manager). */
export const metricsPort = 9187;
/** Namespace of the operator and the plugin, which must live beside it. */
export const operatorNamespace = "cnpg-system";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/**
 * Who may reach the instances, by role: nobody by default; the clients' namespaces on 5432;
 * the operator on 8000 (the instance manager); the instances and their jobs to one another on
 * 5432 and 8000 (streaming replication, cloning a new replica); the monitoring namespace on
 * 9187, when there is one.
 */
export function networkPolicySpecs(
  clusterName: string,
  placement: KubernetesDatabasePlacement,
): [string, PolicySpec][] {
  const instances = { matchLabels: { "cnpg.io/cluster": clusterName } };
  const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
  const policies: [string, PolicySpec][] = [
    ["default-deny", { podSelector: {}, policyTypes: ["Ingress"] }],
    [
      "clients",
      {
        podSelector: instances,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: placement.clientNamespaces.map((ns) => ({
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
            })),
            ports: tcp(5432),
          },
        ],
      },
    ],
    [
      "operator",
      {
        podSelector: instances,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": operatorNamespace },
                },
                podSelector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } },
              },
            ],
            ports: tcp(8000),
          },
        ],
      },
    ],
    [
      "instances",
      {
        podSelector: instances,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: instances }], ports: tcp(5432, 8000) }],
      },
    ],
  ];
  if (placement.monitoringNamespace !== undefined) {
    policies.push([
      "metrics",
      {
        podSelector: instances,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": placement.monitoringNamespace },
                },
              },
            ],
            ports: tcp(metricsPort),
          },
        ],
      },
    ]);
  }
  return policies;
}

/** Step 2 (after the namespace): one NetworkPolicy per role of `networkPolicySpecs`. */
export function createNetworkPolicies(
  name: string,
  clusterName: string,
  placement: KubernetesDatabasePlacement,
  opts: pulumi.CustomResourceOptions,
): void {
  const metadata = (role: string) => ({
    name: `${clusterName}-${role}`,
    namespace: placement.namespace,
    labels: placement.labels,
  });
  for (const [role, spec] of networkPolicySpecs(clusterName, placement)) {
    new k8s.networking.v1.NetworkPolicy(
      `${name}-netpol-${role}`,
      { metadata: metadata(role), spec },
      opts,
    );
  }
}

/**
 * A Service over the instances' metrics port, which CloudNativePG does not create, for the
 * ServiceMonitor the monitoring stack makes from the returned target once its CRD exists.
 */
export function createMetricsService(
  name: string,
  clusterName: string,
  placement: KubernetesDatabasePlacement,
  opts: pulumi.CustomResourceOptions,
): ScrapeTarget[] {
  if (placement.monitoringNamespace === undefined) return [];
  const serviceName = `${clusterName}-metrics`;
  const labels = { ...placement.labels, "app.kubernetes.io/name": serviceName };
  new k8s.core.v1.Service(
    `${name}-metrics`,
    {
      metadata: { name: serviceName, namespace: placement.namespace, labels },
      spec: {
        selector: { "cnpg.io/cluster": clusterName, "cnpg.io/podRole": "instance" },
        ports: [{ name: "metrics", port: metricsPort, targetPort: metricsPort, protocol: "TCP" }],
      },
    },
    opts,
  );
  return [
    {
      name: serviceName,
      namespace: placement.namespace,
      port: "metrics",
      path: "/metrics",
      selector: { "app.kubernetes.io/name": serviceName },
    },
  ];
}
