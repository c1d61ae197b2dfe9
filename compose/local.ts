import * as k8s from "@pulumi/kubernetes";
import { LocalDataServices } from "../components/local-data";
import { MetricsServer } from "../components/metrics-server";
import type { PlatformConfig } from "../config";
import { applicationNamespace, platformLabels } from "./in-cluster";

/** The platform on a local cluster (`target: local`): any kubeconfig, data services in-cluster. */
export interface LocalSite {
  /** Provider of the kubeconfig context `platform:local.kubeContext` (the current one if unset). */
  readonly provider: k8s.Provider;
  /**
   * PostgreSQL, Redis and MinIO in `<namespace>-data`, the managed services' stand-ins, each
   * as `platform:database`, `platform:cache` and `platform:objectStore` set it.
   */
  readonly data: LocalDataServices;
  /** The resource metrics API the workloads' CPU and memory autoscalers read. */
  readonly metricsServer: MetricsServer;
}

/**
 * The kubeconfig's cluster, the data services the application reads there, and
 * metrics-server, which kind, minikube (without its add-on) and Docker Desktop do not ship:
 * without it no CPU or memory autoscaler ever scales.
 */
export function buildLocalSite(config: PlatformConfig): LocalSite {
  const provider = new k8s.Provider("k8s", {
    context: config.local?.kubeContext,
    enableServerSideApply: true,
  });
  const appNamespace = applicationNamespace(config);
  const data = new LocalDataServices(
    "data",
    {
      tier: config.tier,
      namespace: `${appNamespace}-data`,
      clientNamespace: appNamespace,
      database: config.database,
      cache: config.cache,
      objectStore: config.objectStore,
      ...(config.observability.inClusterExporters && {
        exporterNamespace: config.monitoringNamespace.name,
      }),
      labels: platformLabels(config),
    },
    { providers: { kubernetes: provider } },
  );
  // kind's kubelets serve certificates signed by a CA metrics-server is not given.
  const metricsServer = new MetricsServer(
    "metrics-server",
    { kubeletInsecureTls: true, labels: platformLabels(config) },
    { providers: { kubernetes: provider } },
  );
  return { provider, data, metricsServer };
}
