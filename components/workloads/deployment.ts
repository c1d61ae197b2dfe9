import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { selectorOf, type ServiceContext } from "./application";
import type { ProbeSettings, ServiceSettings } from "./index";
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

/**
 * The service's Deployment: rolling update that never drops below the desired count
 * (maxSurge 1, maxUnavailable 0, seed 000), restricted security context, requests and
 * limits, probes, and an emptyDir at /tmp beside the read-only root filesystem.
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
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...context.labels, ...selector } },
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
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
          },
        },
      },
    },
    { parent: context.parent, dependsOn: [...context.dependsOn, ...dependsOn] },
  );
}
