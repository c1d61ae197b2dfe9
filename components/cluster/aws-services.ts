import type * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MetricsServer } from "../metrics-server";

/** Name of the default StorageClass every PersistentVolumeClaim without a class gets. */
export const defaultStorageClassName = "gp3-encrypted";

/** A kubeconfig for one EKS cluster that gets its token from `aws eks get-token`. */
export function buildKubeconfig(
  clusterName: string,
  endpoint: string,
  certificateAuthorityData: string,
  region: string,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: clusterName,
        cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData },
      },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
            interactiveMode: "Never",
          },
        },
      },
    ],
  };
}

/** What must run before anything is deployed into the cluster. */
export interface ClusterReadiness {
  readonly nodeGroup: aws.eks.NodeGroup;
  readonly addons: readonly aws.eks.Addon[];
  readonly ebsCsi: aws.eks.Addon;
  /** The deployer's way in: its network admitted, its role an administrator. */
  readonly access: readonly pulumi.Resource[];
}

/**
 * Step 5, in-cluster services: the provider everything deploys through, and the default
 * StorageClass. The provider waits for nodes, networking, DNS and volumes: a Helm release or
 * a PVC started before them hangs until its timeout.
 */
export function createInClusterServices(
  name: string,
  cluster: aws.eks.Cluster,
  region: string,
  ready: ClusterReadiness,
  parent: pulumi.Resource,
): {
  kubeconfig: pulumi.Output<string>;
  provider: k8s.Provider;
  storageClassName: pulumi.Output<string>;
} {
  const kubeconfig = pulumi.secret(
    pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) =>
        JSON.stringify(buildKubeconfig(clusterName, endpoint, ca.data ?? "", region)),
      ),
  );
  const provider = new k8s.Provider(
    `${name}-k8s`,
    { kubeconfig, enableServerSideApply: true },
    { parent, dependsOn: [ready.nodeGroup, ...ready.addons, ...ready.access] },
  );
  const storageClass = createDefaultStorageClass(name, provider, ready.ebsCsi, parent);
  return { kubeconfig, provider, storageClassName: storageClass.metadata.name };
}

/**
 * EKS has had no default StorageClass since 1.30, so a claim without a class stays Pending.
 * gp3 volumes encrypted with the account's EBS key (aws/ebs), created in the zone of the pod
 * that claims them, and growable in place.
 */
function createDefaultStorageClass(
  name: string,
  provider: k8s.Provider,
  ebsCsi: aws.eks.Addon,
  parent: pulumi.Resource,
): k8s.storage.v1.StorageClass {
  return new k8s.storage.v1.StorageClass(
    `${name}-gp3`,
    {
      metadata: {
        name: defaultStorageClassName,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    { parent, provider, dependsOn: [ebsCsi] },
  );
}

/** Seconds Helm waits for a release on a first boot (image pulls on fresh nodes). */
export const firstBootTimeoutSeconds = 600;

/** Step 5c, resource metrics for HPAs: metrics-server in kube-system, two replicas. */
export function createMetricsServer(
  name: string,
  provider: k8s.Provider,
  parent: pulumi.Resource,
): MetricsServer {
  return new MetricsServer(
    `${name}-metrics-server`,
    { replicas: 2 },
    { parent, providers: { kubernetes: provider } },
  );
}
