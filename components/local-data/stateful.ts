import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "../workloads/security";

/** One in-cluster data server: a single-replica StatefulSet with a PVC and a headless Service. */
export interface StatefulServerSpec {
  /** Kubernetes name of the StatefulSet and Service. */
  readonly serverName: string;
  readonly namespace: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string;
  readonly args?: string[];
  readonly env: k8s.types.input.core.v1.EnvVar[];
  readonly port: number;
  /** Extra ports the Service publishes (e.g. a console). */
  readonly extraPorts?: { name: string; port: number }[];
  /** Where the PVC is mounted. */
  readonly dataPath: string;
  readonly storageGb: number;
  /** Further writable paths (emptyDir) beside /tmp. */
  readonly scratchPaths?: string[];
  readonly resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
  };
  readonly liveness: k8s.types.input.core.v1.Probe;
  readonly readiness: k8s.types.input.core.v1.Probe;
}

/** Creates `${name}-statefulset` and `${name}-service`; returns the Service's DNS name. */
export function createStatefulServer(
  name: string,
  spec: StatefulServerSpec,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): { statefulSet: k8s.apps.v1.StatefulSet; service: k8s.core.v1.Service } {
  const selector = { "app.kubernetes.io/name": spec.serverName };
  const labels = { ...spec.labels, ...selector, "app.kubernetes.io/component": "data" };
  const scratch = ["/tmp", ...(spec.scratchPaths ?? [])];
  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: { name: spec.serverName, namespace: spec.namespace, labels },
      spec: {
        clusterIP: "None",
        selector,
        ports: [
          { name: "main", port: spec.port, targetPort: spec.port, protocol: "TCP" },
          ...(spec.extraPorts ?? []).map((p) => ({ ...p, targetPort: p.port, protocol: "TCP" })),
        ],
      },
    },
    { parent, dependsOn },
  );
  const statefulSet = new k8s.apps.v1.StatefulSet(
    `${name}-statefulset`,
    {
      metadata: { name: spec.serverName, namespace: spec.namespace, labels },
      spec: {
        serviceName: spec.serverName,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: "server",
                image: spec.image,
                ...(spec.args && { args: spec.args }),
                env: spec.env,
                ports: [
                  { name: "main", containerPort: spec.port, protocol: "TCP" },
                  ...(spec.extraPorts ?? []).map((p) => ({
                    name: p.name,
                    containerPort: p.port,
                    protocol: "TCP",
                  })),
                ],
                resources: spec.resources,
                livenessProbe: spec.liveness,
                readinessProbe: spec.readiness,
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: "data", mountPath: spec.dataPath },
                  ...scratch.map((path, i) => ({ name: `scratch-${i}`, mountPath: path })),
                ],
              },
            ],
            volumes: scratch.map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })),
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${spec.storageGb}Gi` } },
            },
          },
        ],
      },
    },
    { parent, dependsOn: [...dependsOn, service] },
  );
  return { statefulSet, service };
}

/** A Secret holding generated credentials, as stringData. */
export function credentialsSecret(
  name: string,
  secretName: string,
  namespace: pulumi.Input<string>,
  labels: Readonly<Record<string, string>>,
  data: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata: { name: secretName, namespace, labels: { ...labels } },
      type: "Opaque",
      stringData: data,
    },
    { parent, dependsOn },
  );
}

/** Requests and limits of each in-cluster data server. */
export const localDataResources = {
  database: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  cache: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  objectStore: {
    requests: { cpu: "250m", memory: "256Mi" },
    limits: { cpu: "1", memory: "1Gi" },
  },
  bucketJob: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
} as const;
