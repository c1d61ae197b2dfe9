import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import type { ServiceContext } from "./application";
import type { ConfigFiles, ServiceSettings } from "./index";

/** Name of a service's config-files ConfigMap (seed 001: `auth-service-config`). */
export function configFilesConfigMapName(service: string): string {
  return `${service}-config`;
}

/**
 * Digest of the files, put on the pod template: Kubernetes does not restart pods when a
 * mounted ConfigMap changes, and a service that reads its config at start would keep the old
 * one; a new digest rolls the pods.
 */
export function configFilesDigest(config: ConfigFiles): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(config.files).sort()) {
    hash.update(name).update("\0").update(config.files[name]!).update("\0");
  }
  return hash.digest("hex");
}

/** The service's files as a ConfigMap its pods mount read-only. None when it has no files. */
export function createConfigFiles(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
): k8s.core.v1.ConfigMap | undefined {
  if (service.configFiles === undefined) return undefined;
  return new k8s.core.v1.ConfigMap(
    `${prefix}-config`,
    {
      metadata: {
        name: configFilesConfigMapName(service.name),
        namespace: context.namespace,
        labels: { ...context.labels, "app.kubernetes.io/name": service.name },
      },
      data: { ...service.configFiles.files },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
