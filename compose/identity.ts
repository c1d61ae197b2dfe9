import type * as aws from "@pulumi/aws";
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { ObjectStore } from "../components/objectstore";
import type { Queue } from "../components/queue";
import type { Search } from "../components/search";
import { ServiceIdentity, type ServiceIdentityArgs } from "../components/service-identity";
import {
  noUses,
  usesAnything,
  type ServiceIdentityBinding,
  type ServiceSettings,
} from "../components/workloads";
import type { PlatformConfig } from "../config";

/** The resources a site's services may be granted, on the cloud that built them. */
export type IdentitySite =
  | {
      readonly target: "aws";
      readonly region: string;
      readonly cluster: Cluster;
      readonly objectStore?: ObjectStore;
      readonly queue?: Queue;
      readonly search?: Search;
      readonly provider: aws.Provider;
    }
  | {
      readonly target: "gcp";
      readonly project: string;
      readonly cluster: Cluster;
      readonly objectStore?: ObjectStore;
      readonly queue?: Queue;
      readonly provider: gcp.Provider;
    };

function identityCloud(site: IdentitySite): ServiceIdentityArgs["cloud"] {
  const buckets = { ...site.objectStore?.bucketNames };
  if (site.target === "gcp") {
    return {
      target: "gcp",
      project: site.project,
      buckets,
      poolReady: [site.cluster],
      ...(site.queue && { subscription: site.queue.queueUrl, topic: site.queue.topicArn }),
    };
  }
  const { cluster, queue, search } = site;
  if (!cluster.oidcProviderArn || !cluster.oidcIssuer) {
    throw new Error("an EKS cluster without an OIDC provider cannot give services a role");
  }
  return {
    target: "aws",
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    resources: {
      region: site.region,
      buckets,
      ...(site.objectStore?.keyArn && { bucketKeyArn: site.objectStore.keyArn }),
      ...(queue && {
        queueArn: queue.queueArn,
        topicArn: queue.topicArn,
        queueKeyArn: queue.keyArn,
      }),
      ...(search && { searchDomainArn: search.domainArn }),
    },
  };
}

/**
 * A cloud identity for every service that uses a bucket, the queue, the topic or the search
 * domain, bound to its ServiceAccount in the application namespace. `prefix` names them
 * ("" on the primary, "standby-" on the standby).
 */
export function buildServiceIdentities(
  prefix: string,
  config: PlatformConfig,
  services: readonly ServiceSettings[],
  site: IdentitySite,
): Record<string, ServiceIdentityBinding> {
  const identities: Record<string, ServiceIdentityBinding> = {};
  const users = services.filter((s) => usesAnything(s.uses));
  if (users.length === 0) return identities;
  const cloud = identityCloud(site);
  const providers: Record<string, pulumi.ProviderResource> =
    site.target === "aws" ? { aws: site.provider } : { gcp: site.provider };
  for (const service of users) {
    identities[service.name] = new ServiceIdentity(
      `${prefix}identity-${service.name}`,
      {
        clusterName: config.baseName,
        namespace: config.appNamespace.name,
        serviceAccount: service.name,
        uses: service.uses ?? noUses,
        cloud,
        tags: config.tags,
      },
      { providers },
    );
  }
  return identities;
}
