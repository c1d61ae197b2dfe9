import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { boundedName, physicalNameRules } from "../naming";
import type { ObservabilityContext } from "./index";

/** Compute permissions Velero's GCP plugin needs to snapshot and restore persistent disks. */
export const veleroSnapshotPermissions = [
  "compute.disks.create",
  "compute.disks.createSnapshot",
  "compute.disks.get",
  "compute.projects.get",
  "compute.snapshots.create",
  "compute.snapshots.delete",
  "compute.snapshots.get",
  "compute.snapshots.setLabels",
  "compute.snapshots.useReadOnly",
  "compute.zones.get",
] as const;

/**
 * Google service account id (6 to 30 characters) of a cluster's Velero: cut with a hash when
 * longer, so two clusters whose names share a beginning keep apart in one project.
 */
export function veleroAccountId(clusterName: string): string {
  const base = clusterName.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return boundedName(
    base,
    "velero",
    physicalNameRules["gcp:serviceaccount/account:Account"]!.limit,
  );
}

/** Custom role id of a cluster's Velero snapshot permissions (letters, digits, `_`, `.`). */
export function veleroRoleId(clusterName: string): string {
  return `${clusterName.replace(/[^a-zA-Z0-9]/g, "_")}_velero_snapshots`.slice(0, 64);
}

/**
 * The IAM Condition that keeps Velero's object role to its prefix: the bucket itself (listing
 * is checked there) and the objects under `<prefix>/`, nothing else in the bucket.
 */
export function veleroBucketCondition(bucket: string, prefix: string): string {
  return (
    `resource.name == "projects/_/buckets/${bucket}" || ` +
    `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${prefix}/")`
  );
}

/**
 * Velero's Google service account: only the Velero server's Kubernetes service account may act
 * as it (Workload Identity), it administers objects under its prefix of the backups bucket,
 * it may snapshot and restore the project's persistent disks, and it may sign blobs as itself
 * (the plugin's signed download URLs).
 */
export function createVeleroServiceAccountGcp(
  ctx: ObservabilityContext,
  serviceAccount: string,
  bucket: pulumi.Input<string>,
  prefix: string,
): { id: pulumi.Output<string>; ready: pulumi.Resource[] } {
  const { name, args, parent } = ctx;
  const project = args.gcpProject ?? "";
  const account = new gcp.serviceaccount.Account(
    `${name}-velero-gsa`,
    {
      accountId: veleroAccountId(args.clusterName),
      displayName: `Velero of ${args.clusterName}`,
      project,
    },
    { parent },
  );
  const workloadIdentity = new gcp.serviceaccount.IAMMember(
    `${name}-velero-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: pulumi.interpolate`serviceAccount:${project}.svc.id.goog[${args.namespace}/${serviceAccount}]`,
    },
    { parent },
  );
  const objects = new gcp.storage.BucketIAMMember(
    `${name}-velero-bucket`,
    {
      bucket,
      role: "roles/storage.objectAdmin",
      member: account.member,
      condition: {
        title: `velero-${prefix}`,
        description: `Velero reads and writes ${prefix}/ only`,
        expression: pulumi.output(bucket).apply((b) => veleroBucketCondition(b, prefix)),
      },
    },
    { parent },
  );
  const role = new gcp.projects.IAMCustomRole(
    `${name}-velero-snapshots`,
    {
      project,
      roleId: veleroRoleId(args.clusterName),
      title: `Velero snapshots of ${args.clusterName}`,
      permissions: [...veleroSnapshotPermissions],
    },
    { parent },
  );
  const snapshots = new gcp.projects.IAMMember(
    `${name}-velero-snapshots`,
    { project, role: role.name, member: account.member },
    { parent },
  );
  // signBlob on itself only (Token Creator bound on the account, not the project): the plugin
  // signs GCS URLs as this account and may sign as no other.
  const signer = new gcp.serviceaccount.IAMMember(
    `${name}-velero-url-signer`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.serviceAccountTokenCreator",
      member: account.member,
    },
    { parent },
  );
  return { id: account.email, ready: [workloadIdentity, objects, snapshots, signer] };
}
