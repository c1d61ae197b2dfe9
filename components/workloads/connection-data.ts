import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "./application";
import {
  noUses,
  usesAnything,
  type ConnectionData,
  type ServiceSettings,
  type ServiceUses,
} from "./index";

/** Env name of a bucket's name: `BUCKET_<ROLE>`, hyphens as underscores (`BUCKET_UPLOADS`). */
export function bucketEnvName(role: string): string {
  return `BUCKET_${role.toUpperCase().replace(/-/g, "_")}`;
}

/** The AWS SDKs' switch from S3's global name to the regional one in us-east-1. */
const s3RegionalEndpointEnv = "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT";

/** Every env name a service's uses may set (AWS_REGION included). */
export function usesEnvNames(uses: ServiceUses): string[] {
  if (!usesAnything(uses)) return [];
  return [
    ...Object.keys(uses.buckets).map(bucketEnvName),
    ...(uses.queue !== undefined ? ["QUEUE_URL"] : []),
    ...(uses.topic !== undefined ? ["TOPIC_ARN"] : []),
    ...(uses.search !== undefined ? ["SEARCH_URL"] : []),
    "AWS_REGION",
    ...(Object.keys(uses.buckets).length > 0 ? [s3RegionalEndpointEnv] : []),
  ];
}

/** What a service uses that `data` holds nothing for, e.g. `bucket "photos"`, `the queue`. */
export function missingConnectionData(uses: ServiceUses, data: ConnectionData): string[] {
  return [
    ...Object.keys(uses.buckets)
      .filter((role) => data.buckets[role] === undefined)
      .map((role) => `bucket "${role}"`),
    ...(uses.queue !== undefined && data.queueUrl === undefined ? ["the queue"] : []),
    ...(uses.topic !== undefined && data.topicArn === undefined ? ["the topic"] : []),
    ...(uses.search !== undefined && data.searchEndpoint === undefined
      ? ["the search domain"]
      : []),
  ];
}

/**
 * The env a service gets for what it uses, and nothing for what it does not: each bucket's
 * name, the queue's URL, the topic's ARN, the search endpoint (no credentials: requests are
 * signed with the service's own role), and the region whenever it uses anything.
 */
export function connectionEnv(
  uses: ServiceUses,
  data: ConnectionData,
): Record<string, pulumi.Input<string>> {
  const env: Record<string, pulumi.Input<string>> = {};
  for (const role of Object.keys(uses.buckets).sort()) {
    const name = data.buckets[role];
    if (name !== undefined) env[bucketEnvName(role)] = name;
  }
  if (uses.queue !== undefined && data.queueUrl !== undefined) env.QUEUE_URL = data.queueUrl;
  if (uses.topic !== undefined && data.topicArn !== undefined) env.TOPIC_ARN = data.topicArn;
  if (uses.search !== undefined && data.searchEndpoint !== undefined) {
    env.SEARCH_URL = data.searchEndpoint;
  }
  if (Object.keys(env).length > 0 && data.region !== undefined) env.AWS_REGION = data.region;
  // SDKs that still default to S3's global name in us-east-1 (s3.amazonaws.com) would leave
  // the VPC's S3 interface endpoint, which answers only the regional name, for public
  // addresses the service's NetworkPolicy does not admit. Other regions ignore the variable.
  if (Object.keys(uses.buckets).length > 0 && data.region !== undefined) {
    env[s3RegionalEndpointEnv] = "regional";
  }
  return env;
}

/** Name of a service's connection-data ConfigMap. */
export function connectionDataConfigMapName(service: string): string {
  return `${service}-connection-data`;
}

/**
 * The service's connection data as a ConfigMap its pods read with `envFrom`: names and URLs,
 * none of them secret. None when the service uses nothing.
 */
export function createConnectionData(
  prefix: string,
  context: ServiceContext,
  service: ServiceSettings,
  data: ConnectionData | undefined,
): k8s.core.v1.ConfigMap | undefined {
  const env = connectionEnv(service.uses ?? noUses, data ?? { buckets: {} });
  if (Object.keys(env).length === 0) return undefined;
  return new k8s.core.v1.ConfigMap(
    `${prefix}-connection-data`,
    {
      metadata: {
        name: connectionDataConfigMapName(service.name),
        namespace: context.namespace,
        labels: { ...context.labels, "app.kubernetes.io/name": service.name },
      },
      data: env,
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
