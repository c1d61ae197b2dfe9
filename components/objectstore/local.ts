import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  createStatefulServer,
  credentialsSecret,
  localDataResources,
} from "../local-data/stateful";
import {
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "../workloads/security";
import type { LocalPlacement } from "../placement";
import type { ObjectStoreArgs, ObjectStoreOutputs } from "./index";

/** MinIO server and client images, pinned to releases. */
export const minioImages = {
  server: "minio/minio:RELEASE.2024-11-07T00-52-20Z",
  client: "minio/mc:RELEASE.2024-11-05T11-29-45Z",
} as const;

export interface LocalObjectStoreOutputs extends ObjectStoreOutputs {
  /** Root access key. Secret. */
  readonly accessKey: pulumi.Output<string>;
  /** Root secret key. Secret. */
  readonly secretKey: pulumi.Output<string>;
}

/**
 * MinIO in the cluster: one server on a PVC with generated root credentials, and a Job that
 * creates each bucket with versioning on (the `mc` client, same restricted context).
 */
export function createLocalObjectStore(
  name: string,
  args: ObjectStoreArgs & { readonly placement: LocalPlacement },
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
): LocalObjectStoreOutputs {
  const namespace = args.placement.namespace;
  const serverName = `${name}-minio`;
  const secretName = `${serverName}-credentials`;
  // MinIO's root user is half of its root credentials: kept a secret like the password.
  const user = new random.RandomString(
    `${name}-access-key`,
    { length: 20, special: false },
    { parent, additionalSecretOutputs: ["result"] },
  );
  const password = new random.RandomPassword(
    `${name}-secret-key`,
    { length: 40, special: false },
    { parent },
  );
  const labels = { ...args.tags };
  const secret = credentialsSecret(
    name,
    secretName,
    namespace,
    labels,
    { "root-user": user.result, "root-password": password.result },
    parent,
    dependsOn,
  );
  const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: secretName, key } } });
  const { service, statefulSet } = createStatefulServer(
    name,
    {
      serverName,
      namespace,
      labels,
      image: minioImages.server,
      args: ["server", "/data", "--console-address", ":9001", "--certs-dir", "/tmp/certs"],
      env: [
        { name: "MINIO_ROOT_USER", ...fromSecret("root-user") },
        { name: "MINIO_ROOT_PASSWORD", ...fromSecret("root-password") },
      ],
      port: 9000,
      extraPorts: [{ name: "console", port: 9001 }],
      dataPath: "/data",
      storageGb: 5,
      resources: localDataResources.objectStore,
      liveness: {
        httpGet: { path: "/minio/health/live", port: 9000 },
        initialDelaySeconds: 10,
        periodSeconds: 10,
      },
      readiness: {
        httpGet: { path: "/minio/health/ready", port: 9000 },
        initialDelaySeconds: 5,
        periodSeconds: 5,
      },
    },
    parent,
    [...dependsOn, secret],
  );
  const endpoint = pulumi.interpolate`http://${service.metadata.name}.${namespace}.svc.cluster.local:9000`;
  const bucketNames = Object.fromEntries(
    args.buckets.map((b) => [b.role, pulumi.output(`${name}-${b.role}`)]),
  );
  const script = [
    'mc alias set local "$MINIO_ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"',
    ...args.buckets.flatMap((b) => [
      `mc mb --ignore-existing local/${name}-${b.role}`,
      `mc version enable local/${name}-${b.role}`,
    ]),
  ].join(" && ");
  new k8s.batch.v1.Job(
    `${name}-buckets`,
    {
      metadata: { name: `${serverName}-buckets`, namespace, labels: { ...labels } },
      spec: {
        backoffLimit: 10,
        template: {
          metadata: { labels: { ...labels, "app.kubernetes.io/name": `${serverName}-buckets` } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: "mc",
                image: minioImages.client,
                command: ["/bin/sh", "-c", script],
                env: [
                  { name: "MINIO_ENDPOINT", value: endpoint },
                  { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
                  { name: "MINIO_ROOT_USER", ...fromSecret("root-user") },
                  { name: "MINIO_ROOT_PASSWORD", ...fromSecret("root-password") },
                ],
                resources: localDataResources.bucketJob,
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    { parent, dependsOn: [statefulSet] },
  );
  return {
    bucketNames,
    replicaBucketNames: {},
    endpoint,
    accessKey: pulumi.secret(user.result),
    secretKey: pulumi.secret(password.result),
  };
}
