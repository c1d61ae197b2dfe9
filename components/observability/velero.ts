import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createVeleroRole } from "./identity-aws";
import { createVeleroServiceAccountGcp } from "./identity-gcp";
import { releaseWait, restrictedContainer, restrictedPod, sized } from "./prometheus-stack";
import { releaseNames, type ObservabilityContext } from "./index";
import { ComponentError } from "../errors";

export const veleroChart = {
  chart: "velero",
  version: "12.1.0",
  repo: "https://vmware-tanzu.github.io/helm-charts",
} as const;

/** Plugin images, pinned with the chart (Velero 1.18 pairs with plugins v1.14). */
export const veleroPlugins = {
  aws: "velero/velero-plugin-for-aws:v1.14.2",
  gcp: "velero/velero-plugin-for-gcp:v1.14.2",
} as const;

/**
 * The kubectl image of the chart's CRD clean-up job: the Kubernetes project's own, served by
 * registry.k8s.io (bitnami/kubectl was withdrawn in 2025). Since chart 12 the CRD upgrade job
 * runs `velero install --crds-only --apply` and pulls no kubectl at all.
 */
export const veleroKubectlImage = "registry.k8s.io/kubectl";

/** Seed 001: daily at 02:00 UTC, kept 72 h, the production and staging namespaces. */
export const backupSchedule = {
  cron: "0 2 * * *",
  ttl: "72h0m0s",
  namespaces: ["production", "staging"],
  prefix: "k8s-backups",
} as const;

/** Velero server's service account; its cloud identity trusts this name only. */
export const veleroServiceAccount = "velero";

/**
 * Helm values of Velero. `identity` is the cloud identity its service account is bound to:
 * the IAM role ARN on aws, the Google service account email on gcp.
 */
export function veleroValues(
  ctx: ObservabilityContext,
  identity: pulumi.Input<string>,
): Record<string, unknown> {
  const { args } = ctx;
  const backups = args.backups;
  if (!backups || args.target === "local") {
    throw new ComponentError("Observability", ctx.name, [
      'backups: Velero needs them, on target "aws" or "gcp"',
    ]);
  }
  const provider = args.target;
  const plugin = veleroPlugins[provider];
  const annotations =
    provider === "aws"
      ? { "eks.amazonaws.com/role-arn": identity }
      : { "iam.gke.io/gcp-service-account": identity };
  // velero-plugin-for-gcp (README, "Using Workload Identity"): without a key file the plugin
  // signs download URLs (`velero backup logs/describe/download`) through the IAM Credentials
  // API as the service account named here, so the location names Velero's own.
  const locationConfig =
    provider === "aws" ? { region: args.region ?? "" } : { serviceAccount: identity };
  const snapshotConfig =
    provider === "aws" ? { region: args.region ?? "" } : { project: args.gcpProject ?? "" };
  return {
    fullnameOverride: releaseNames.velero,
    initContainers: [
      {
        name: `velero-plugin-for-${provider}`,
        image: plugin,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        securityContext: restrictedContainer,
        resources: sized(args.tier, 100, 128),
      },
    ],
    // No static keys: the server's service account assumes the cloud identity.
    credentials: { useSecret: false },
    serviceAccount: { server: { create: true, name: veleroServiceAccount, annotations } },
    deployNodeAgent: false,
    snapshotsEnabled: true,
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider,
          bucket: backups.bucket,
          prefix: backups.prefix ?? backupSchedule.prefix,
          default: true,
          config: locationConfig,
        },
      ],
      volumeSnapshotLocation: [{ name: "default", provider, config: snapshotConfig }],
    },
    schedules: {
      daily: {
        disabled: false,
        schedule: backupSchedule.cron,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: backupSchedule.ttl,
          includedNamespaces: [...(backups.namespaces ?? backupSchedule.namespaces)],
          snapshotVolumes: true,
          storageLocation: "default",
        },
      },
    },
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
    resources: sized(args.tier, 500, 512),
    podSecurityContext: restrictedPod,
    containerSecurityContext: restrictedContainer,
    upgradeCRDs: true,
    kubectl: {
      image: { repository: veleroKubectlImage },
      resources: sized(args.tier, 100, 128),
      containerSecurityContext: restrictedContainer,
    },
  };
}

/**
 * Velero with seed 001's schedule, writing to its prefix of the backups bucket through
 * workload identity: an IAM role (aws) or a Google service account (gcp) that only the
 * Velero server's service account can act as.
 */
export function createVelero(
  ctx: ObservabilityContext,
  opts: { dependsOn: pulumi.Resource[] },
): { destination: pulumi.Output<string> } | undefined {
  const { name, args, parent } = ctx;
  const backups = args.backups;
  if (!backups || args.target === "local") return undefined;
  const prefix = backups.prefix ?? backupSchedule.prefix;
  const identity =
    args.target === "aws"
      ? createVeleroRole(ctx, veleroServiceAccount, backups.bucket, prefix)
      : createVeleroServiceAccountGcp(ctx, veleroServiceAccount, backups.bucket, prefix);
  new k8s.helm.v3.Release(
    `${name}-velero`,
    {
      name: releaseNames.velero,
      namespace: args.namespace,
      chart: veleroChart.chart,
      version: veleroChart.version,
      repositoryOpts: { repo: veleroChart.repo },
      values: veleroValues(ctx, identity.id),
      ...releaseWait,
    },
    { parent, dependsOn: [...opts.dependsOn, ...identity.ready] },
  );
  const scheme = args.target === "aws" ? "s3" : "gs";
  return { destination: pulumi.interpolate`${scheme}://${backups.bucket}/${prefix}` };
}
