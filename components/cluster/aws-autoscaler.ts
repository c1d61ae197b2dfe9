import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "./aws-iam";
import type { ClusterIdentity } from "./aws-identity";
import { firstBootTimeoutSeconds } from "./aws-services";
import type { EksClusterArgs } from "./index";

/**
 * Cluster Autoscaler from kubernetes/autoscaler, tag cluster-autoscaler-chart-9.59.0
 * (Chart.yaml appVersion 1.35.0; values.yaml image registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0).
 * Its minor version follows the Kubernetes minor version of the cluster.
 */
export const clusterAutoscalerChart = {
  chart: "cluster-autoscaler",
  version: "9.59.0",
  repo: "https://kubernetes.github.io/autoscaler",
  image: "registry.k8s.io/autoscaling/cluster-autoscaler",
  imageTag: "v1.35.0",
} as const;

/** Service account the autoscaler runs as, which alone may assume its role. */
export const clusterAutoscalerServiceAccount = {
  namespace: "kube-system",
  name: "cluster-autoscaler",
} as const;

/**
 * Least privilege from the autoscaler's AWS README: read the groups, instance types and node
 * groups anywhere; resize or terminate only in groups EKS tagged as owned by this cluster.
 */
export function clusterAutoscalerPolicy(clusterName: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Discover",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
      {
        Sid: "ScaleOwnGroups",
        Effect: "Allow",
        Action: [
          "autoscaling:SetDesiredCapacity",
          "autoscaling:TerminateInstanceInAutoScalingGroup",
        ],
        Resource: "*",
        Condition: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" },
        },
      },
    ],
  };
}

/** Chart values: auto-discovery by the tags EKS puts on managed node groups' ASGs, restricted pods. */
export function clusterAutoscalerValues(
  args: EksClusterArgs,
  roleArn: pulumi.Input<string>,
): Record<string, unknown> {
  return {
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    image: { repository: clusterAutoscalerChart.image, tag: clusterAutoscalerChart.imageTag },
    rbac: {
      serviceAccount: {
        create: true,
        name: clusterAutoscalerServiceAccount.name,
        annotations: { "eks.amazonaws.com/role-arn": roleArn },
      },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    resources: {
      requests: { cpu: "100m", memory: "300Mi" },
      limits: { cpu: "200m", memory: "600Mi" },
    },
  };
}

/**
 * Step 5b, node autoscaling: grows the node group up to `maxNodes` when pods do not fit and
 * shrinks it to `minNodes`, under an IAM role only its service account may assume.
 */
export function createClusterAutoscaler(
  name: string,
  args: EksClusterArgs,
  identity: ClusterIdentity,
  provider: k8s.Provider,
  parent: pulumi.Resource,
): k8s.helm.v3.Release {
  const sa = `system:serviceaccount:${clusterAutoscalerServiceAccount.namespace}:${clusterAutoscalerServiceAccount.name}`;
  const role = new aws.iam.Role(
    `${name}-autoscaler-role`,
    {
      description: `Cluster Autoscaler of ${args.clusterName} (IAM role for its service account)`,
      assumeRolePolicy: pulumi
        .all([identity.oidcProvider.arn, identity.oidcIssuer])
        .apply(([arn, host]) => JSON.stringify(irsaTrustPolicy(arn, host, sa))),
      tags: args.tags,
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-autoscaler-role-scaling`,
    { role: role.id, policy: JSON.stringify(clusterAutoscalerPolicy(args.clusterName)) },
    { parent },
  );
  return new k8s.helm.v3.Release(
    `${name}-autoscaler`,
    {
      name: "cluster-autoscaler",
      namespace: clusterAutoscalerServiceAccount.namespace,
      chart: clusterAutoscalerChart.chart,
      version: clusterAutoscalerChart.version,
      repositoryOpts: { repo: clusterAutoscalerChart.repo },
      values: clusterAutoscalerValues(args, role.arn),
      timeout: firstBootTimeoutSeconds,
    },
    { parent, provider, dependsOn: [policy] },
  );
}
