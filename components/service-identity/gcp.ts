import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Access, ServiceUses } from "../workloads";
import type { GcpIdentitySettings, ServiceIdentityArgs, ServiceIdentityOutputs } from "./index";
import { ComponentError } from "../errors";

/** Bucket role granted per access level: read objects, or read, create and delete them. */
export function gcsRoleFor(access: Access): string {
  return access === "read" ? "roles/storage.objectViewer" : "roles/storage.objectUser";
}

/**
 * Google service account id of a service (6 to 30 lowercase letters, digits and hyphens):
 * `<cluster>-<service>`, or when longer its first 23 characters and a hash of the whole, so two
 * long names never share an id.
 */
export function gcpServiceAccountId(clusterName: string, service: string): string {
  const full = `${clusterName}-${service}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  if (full.length <= 30) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, 23).replace(/-+$/, "")}-${hash}`;
}

/** `serviceAccount:<project>.svc.id.goog[<namespace>/<name>]`, the one member allowed to act as it. */
export function workloadIdentityMember(project: string, namespace: string, name: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${name}]`;
}

/**
 * Pub/Sub roles of a service, as AWS grants SQS and SNS: consuming the queue is subscriber on
 * its subscription; sending to the queue or publishing to the topic is publisher on the topic,
 * the queue's only way in. The queue's Cloud KMS key is used by Pub/Sub's service agent, so the
 * account needs no key grant.
 */
function createMessagingGrants(
  name: string,
  uses: ServiceUses,
  cloud: GcpIdentitySettings,
  member: pulumi.Output<string>,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  const grants: pulumi.Resource[] = [];
  if (uses.queue === "read" || uses.queue === "readwrite") {
    if (cloud.subscription === undefined) {
      throw new ComponentError("ServiceIdentity", name, [
        "uses the queue, which no resource was passed for",
      ]);
    }
    grants.push(
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-queue`,
        { subscription: cloud.subscription, role: "roles/pubsub.subscriber", member },
        { parent },
      ),
    );
  }
  if (uses.queue === "write" || uses.queue === "readwrite" || uses.topic !== undefined) {
    if (cloud.topic === undefined) {
      throw new ComponentError("ServiceIdentity", name, [
        "uses the topic, which no resource was passed for",
      ]);
    }
    grants.push(
      new gcp.pubsub.TopicIAMMember(
        `${name}-topic`,
        { topic: cloud.topic, role: "roles/pubsub.publisher", member },
        { parent },
      ),
    );
  }
  return grants;
}

/**
 * The service's Google service account: only its Kubernetes ServiceAccount may act as it
 * (Workload Identity), with object access on exactly the buckets it uses and the queue and
 * topic roles of `createMessagingGrants`. The buckets' Cloud KMS key is used by Cloud
 * Storage's service agent, so the account needs no key grant.
 */
export function createGcpServiceIdentity(
  name: string,
  args: ServiceIdentityArgs & { cloud: GcpIdentitySettings },
  parent: pulumi.Resource,
): ServiceIdentityOutputs {
  const { cloud } = args;
  const account = new gcp.serviceaccount.Account(
    `${name}-gsa`,
    {
      accountId: gcpServiceAccountId(args.clusterName, args.serviceAccount),
      displayName: `${args.serviceAccount} in ${args.namespace} of ${args.clusterName}`,
      project: cloud.project,
    },
    { parent },
  );
  const binding = new gcp.serviceaccount.IAMMember(
    `${name}-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: workloadIdentityMember(cloud.project, args.namespace, args.serviceAccount),
    },
    { parent, dependsOn: [...cloud.poolReady] },
  );
  const grants = Object.entries(args.uses.buckets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, access]) => {
      const bucket = cloud.buckets[role];
      if (bucket === undefined) {
        throw new ComponentError("ServiceIdentity", name, [
          `uses bucket "${role}", which no bucket was passed for`,
        ]);
      }
      return new gcp.storage.BucketIAMMember(
        `${name}-${role}`,
        { bucket, role: gcsRoleFor(access), member: account.member },
        { parent },
      );
    });
  const messaging = createMessagingGrants(name, args.uses, cloud, account.member, parent);
  return {
    annotations: { "iam.gke.io/gcp-service-account": account.email },
    ready: [account, binding, ...grants, ...messaging],
  };
}
