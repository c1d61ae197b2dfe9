import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { selectorOf, type ServiceContext } from "./application";
import { configFilesConfigMapName, configFilesDigest } from "./config-files";
import { rolloutDefaults, type ProbeSettings, type ServiceSettings } from "./index";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

/** A probe as the kubelet takes it. */
export function probe(settings: ProbeSettings): k8s.types.input.core.v1.Probe {
  return {
    ...(settings.httpGet && {
      httpGet: { path: settings.httpGet.path, port: settings.httpGet.port },
    }),
    ...(settings.tcp && { tcpSocket: { port: settings.tcp.port } }),
    initialDelaySeconds: settings.initialDelaySeconds,
    periodSeconds: settings.periodSeconds,
    timeoutSeconds: settings.timeoutSeconds,
    failureThreshold: settings.failureThreshold,
  };
}

/** Plain values first, then secrets by reference, each list in name order. */
export function environment(
  service: Pick<ServiceSettings, "env" | "secretEnv">,
): k8s.types.input.core.v1.EnvVar[] {
  const plain = Object.entries(service.env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
  const secret = Object.entries(service.secretEnv)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } },
    }));
  return [...plain, ...secret];
}

/** The emptyDir at /tmp, and the service's config files read-only where it reads them. */
function volumesOf(service: ServiceSettings): {
  volumes: k8s.types.input.core.v1.Volume[];
  mounts: k8s.types.input.core.v1.VolumeMount[];
} {
  const volumes: k8s.types.input.core.v1.Volume[] = [
    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
  ];
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
  if (service.configFiles !== undefined) {
    volumes.push({ name: "config", configMap: { name: configFilesConfigMapName(service.name) } });
    mounts.push({ name: "config", mountPath: service.configFiles.mountPath, readOnly: true });
  }
  return { volumes, mounts };
}

/**
 * The service's Deployment: rolling update within the service's bounds (by default never
 * below the desired count: maxSurge 1, maxUnavailable 0, seed 000), restricted security
 * context, requests and limits, probes, an emptyDir at /tmp beside the read-only root
 * filesystem and the service's config files, read-only.
 */
export function createDeployment(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  dependsOn: pulumi.Resource[],
  /** ConfigMap whose keys become env (the service's connection data). @default none */
  envFromConfigMap?: pulumi.Input<string>,
): k8s.apps.v1.Deployment {
  const selector = selectorOf(service);
  const { volumes, mounts } = volumesOf(service);
  const rollout = service.rollout ?? rolloutDefaults;
  return new k8s.apps.v1.Deployment(
    `${prefix}-deployment`,
    {
      metadata: {
        name: service.name,
        namespace: context.namespace,
        labels: { ...context.labels, ...selector },
      },
      spec: {
        replicas: service.replicas,
        strategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: rollout.maxSurge, maxUnavailable: rollout.maxUnavailable },
        },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...context.labels, ...selector },
            ...(service.configFiles !== undefined && {
              annotations: { "platform/config-sha256": configFilesDigest(service.configFiles) },
            }),
          },
          spec: {
            serviceAccountName: service.name,
            automountServiceAccountToken: service.serviceAccount.automountToken,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: service.name,
                image: service.image,
                ports: [{ name: "http", containerPort: service.port, protocol: "TCP" }],
                env: environment(service),
                ...(envFromConfigMap !== undefined && {
                  envFrom: [{ configMapRef: { name: envFromConfigMap } }],
                }),
                resources: {
                  requests: { ...service.resources.requests },
                  limits: { ...service.resources.limits },
                },
                livenessProbe: probe(service.probes.liveness),
                readinessProbe: probe(service.probes.readiness),
                ...(service.probes.startup && { startupProbe: probe(service.probes.startup) }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    },
    { parent: context.parent, dependsOn: [...context.dependsOn, ...dependsOn] },
  );
}
