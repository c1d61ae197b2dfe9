import * as pulumi from "@pulumi/pulumi";
import type { ServiceUses } from "../workloads";
import { refuseArgs } from "../errors";
import { createAwsServiceIdentity } from "./aws";
import { createGcpServiceIdentity } from "./gcp";

/** The AWS resources a service may be allowed, as ARNs (and the keys that encrypt them). */
export interface AwsUsableResources {
  /** Region of the resources: KMS use is allowed only through S3, SQS and SNS there. */
  readonly region: string;
  /** Bucket names by role (the ARN is `arn:aws:s3:::<name>`). */
  readonly buckets: Readonly<Record<string, pulumi.Input<string>>>;
  /** KMS key that encrypts the buckets (SSE-KMS). @default none */
  readonly bucketKeyArn?: pulumi.Input<string>;
  /** The notification queue's ARN. @default none */
  readonly queueArn?: pulumi.Input<string>;
  /** The notification topic's ARN. @default none */
  readonly topicArn?: pulumi.Input<string>;
  /** KMS key that encrypts the queue and the topic. @default none */
  readonly queueKeyArn?: pulumi.Input<string>;
  /** The OpenSearch domain's ARN. @default none */
  readonly searchDomainArn?: pulumi.Input<string>;
}

/** IAM roles for service accounts on EKS. */
export interface AwsIdentitySettings {
  readonly target: "aws";
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's issuer URL without the scheme, as trust policies name it. */
  readonly oidcIssuer: pulumi.Input<string>;
  readonly resources: AwsUsableResources;
}

/** Workload Identity on GKE. */
export interface GcpIdentitySettings {
  readonly target: "gcp";
  /** Project of the cluster, its Workload Identity pool (`<project>.svc.id.goog`) and the buckets. */
  readonly project: string;
  /** Bucket names by role. */
  readonly buckets: Readonly<Record<string, pulumi.Input<string>>>;
  /** The notification queue's Pub/Sub subscription (`projects/.../subscriptions/...`). @default none */
  readonly subscription?: pulumi.Input<string>;
  /** The notification topic (`projects/.../topics/...`), which feeds the queue. @default none */
  readonly topic?: pulumi.Input<string>;
  /**
   * What creates the Workload Identity pool (the GKE cluster): IAM refuses a binding to a
   * pool that does not exist yet.
   */
  readonly poolReady: readonly pulumi.Resource[];
}

export interface ServiceIdentityArgs {
  /** Cluster name, shown in descriptions; the base of the GCP account id. */
  readonly clusterName: string;
  /** Namespace of the service's ServiceAccount. */
  readonly namespace: string;
  /** Name of the service's ServiceAccount (the service's name). */
  readonly serviceAccount: string;
  /** What the service uses, with access levels. */
  readonly uses: ServiceUses;
  readonly cloud: AwsIdentitySettings | GcpIdentitySettings;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ServiceIdentityOutputs {
  /** Annotations binding the ServiceAccount to the cloud identity. */
  readonly annotations: Readonly<Record<string, pulumi.Output<string>>>;
  /** The identity and its grants; pods wait for them. */
  readonly ready: readonly pulumi.Resource[];
}

/**
 * Problems with the args, one line each: a use the cloud's resources have nothing for (a
 * bucket role, the queue, the topic, the search domain, or the key that encrypts them). The
 * constructor refuses args that have any.
 */
export function serviceIdentityArgProblems(args: ServiceIdentityArgs): string[] {
  const { uses, cloud } = args;
  const missing = (what: string) => `uses ${what}, which no resource was passed for`;
  const passed = cloud.target === "gcp" ? cloud.buckets : cloud.resources.buckets;
  const buckets = Object.keys(uses.buckets)
    .filter((role) => !(role in passed))
    .map((role) => missing(`bucket "${role}"`));
  const readsQueue = uses.queue === "read" || uses.queue === "readwrite";
  const publishes =
    uses.queue === "write" || uses.queue === "readwrite" || uses.topic !== undefined;
  if (cloud.target === "gcp") {
    return [
      ...buckets,
      ...(readsQueue && cloud.subscription === undefined ? [missing("the queue")] : []),
      ...(publishes && cloud.topic === undefined ? [missing("the topic")] : []),
    ];
  }
  const r = cloud.resources;
  const messaging = uses.queue !== undefined || uses.topic !== undefined;
  return [
    ...buckets,
    ...(Object.keys(uses.buckets).length > 0 && r.bucketKeyArn === undefined
      ? [missing("buckets: the key that encrypts them")]
      : []),
    ...(uses.queue !== undefined && r.queueArn === undefined ? [missing("the queue")] : []),
    ...(uses.topic !== undefined && r.topicArn === undefined ? [missing("the topic")] : []),
    ...(messaging && r.queueKeyArn === undefined
      ? [missing("the queue or topic: the key that encrypts them")]
      : []),
    ...(uses.search !== undefined && r.searchDomainArn === undefined
      ? [missing("the search domain")]
      : []),
  ];
}

/**
 * One service's own cloud identity, trusted by its Kubernetes ServiceAccount alone and
 * allowed exactly what the service uses: an IAM role (IRSA) on AWS, a Google service
 * account (Workload Identity) on GCP.
 */
export class ServiceIdentity extends pulumi.ComponentResource implements ServiceIdentityOutputs {
  readonly annotations: Readonly<Record<string, pulumi.Output<string>>>;
  readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: ServiceIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("ServiceIdentity", name, serviceIdentityArgProblems(args));
    super("platform:index:ServiceIdentity", name, {}, opts);
    const cloud = args.cloud;
    const built =
      cloud.target === "aws"
        ? createAwsServiceIdentity(name, { ...args, cloud }, this)
        : createGcpServiceIdentity(name, { ...args, cloud }, this);
    this.annotations = built.annotations;
    this.ready = built.ready;
    this.registerOutputs({ annotations: this.annotations });
  }
}
