import * as k8s from "@pulumi/kubernetes";
import { LocalDataServices } from "../components/local-data";
import type { PlatformConfig } from "../config";
import { applicationNamespace, platformLabels } from "./in-cluster";

/** The platform on a local cluster (`target: local`): any kubeconfig, data services in-cluster. */
export interface LocalSite {
  /** Provider of the kubeconfig context `platform:local.kubeContext` (the current one if unset). */
  readonly provider: k8s.Provider;
  /** PostgreSQL, Redis and MinIO in `<namespace>-data`, the managed services' stand-ins. */
  readonly data: LocalDataServices;
}

/** The kubeconfig's cluster and the data services the application reads there. */
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
      labels: platformLabels(config),
    },
    { providers: { kubernetes: provider } },
  );
  return { provider, data };
}
