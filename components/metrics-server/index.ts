import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The metrics-server chart, checked in kubernetes-sigs/metrics-server at tag
 * `metrics-server-helm-chart-3.13.1` (charts/metrics-server/Chart.yaml: app 0.8.1; values.yaml
 * for every key set below).
 */
export const metricsServerChart = {
  chart: "metrics-server",
  version: "3.13.1",
  repo: "https://kubernetes-sigs.github.io/metrics-server/",
} as const;

/** Namespace the chart goes to: its `system-cluster-critical` priority class belongs there. */
export const metricsServerNamespace = "kube-system";

export interface MetricsServerArgs {
  /**
   * Skip verifying the kubelets' serving certificates. kind, minikube and Docker Desktop sign
   * them with a CA metrics-server is not given, so without it no node is ever scraped.
   * @default false
   */
  readonly kubeletInsecureTls?: boolean;
  /** Labels put on the chart's objects. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Replicas of metrics-server; above one, a disruption budget keeps one up while nodes drain
   * (the cluster autoscaler drains them). @default 1
   */
  readonly replicas?: number;
}

/**
 * Values of the chart: `replicas` (one by default) under the "restricted" Pod Security profile (non-root user
 * 1000, the image's, read-only root with the chart's emptyDir at /tmp for its self-signed
 * certificate, every capability dropped, RuntimeDefault seccomp), with requests and limits.
 */
export function metricsServerValues(args: MetricsServerArgs): Record<string, unknown> {
  const replicas = args.replicas ?? 1;
  return {
    replicas,
    ...(replicas > 1 && { podDisruptionBudget: { enabled: true, minAvailable: 1 } }),
    args: args.kubeletInsecureTls === true ? ["--kubelet-insecure-tls"] : [],
    commonLabels: { ...args.labels },
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    resources: {
      requests: { cpu: "100m", memory: "200Mi" },
      limits: { cpu: "500m", memory: "400Mi" },
    },
  };
}

/**
 * metrics-server: the resource metrics API (`metrics.k8s.io`) that CPU and memory
 * HorizontalPodAutoscalers read. Clusters that do not ship one (kind, minikube without its
 * add-on, Docker Desktop) get it here.
 */
export class MetricsServer extends pulumi.ComponentResource {
  /** The Helm release; HPAs scale once it is ready. */
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:MetricsServer", name, {}, opts);
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "metrics-server",
        chart: metricsServerChart.chart,
        version: metricsServerChart.version,
        repositoryOpts: { repo: metricsServerChart.repo },
        namespace: metricsServerNamespace,
        createNamespace: false,
        atomic: true,
        // The API service is available only once the pod is ready and has scraped the nodes.
        timeout: 600,
        values: metricsServerValues(args),
      },
      { parent: this },
    );
    this.registerOutputs({ releaseName: this.release.name });
  }
}
