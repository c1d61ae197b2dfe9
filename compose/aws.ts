import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Backups } from "../components/backup";
import { Cache } from "../components/cache";
import { Cluster } from "../components/cluster";
import { Database } from "../components/database";
import { Network } from "../components/network";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { backupsBucket, ObjectStore } from "../components/objectstore";
import type { AwsPlacement } from "../components/placement";
import { Queue } from "../components/queue";
import { Search, type SnapshotBucket } from "../components/search";
import type { PlatformConfig } from "../config";

/** Range the GCP standby's Cloud SQL lives in (private service access), replicating from RDS. */
const standbyReplicaCidr = `${gcpNetworkDefaults.privateServiceAddress}/${gcpNetworkDefaults.privateServicePrefixLength}`;

/** The platform on AWS (`target: aws`): VPC, EKS and the managed data services. */
export interface AwsSite {
  readonly network: Network;
  readonly cluster: Cluster;
  /** Where the data services live: the private subnets, open to the nodes' group only. */
  readonly placement?: AwsPlacement;
  readonly database?: Database;
  readonly cache?: Cache;
  readonly objectStore?: ObjectStore;
  readonly search?: Search;
  readonly queue?: Queue;
  readonly backups?: Backups;
}

/**
 * Network, EKS and every managed data service the config enables, on `provider`'s account
 * and region. Children keep the names they have always had (`network`, `cluster`,
 * `database` ...): renaming one would replace a real resource.
 */
export function buildAwsSite(config: PlatformConfig, provider: aws.Provider): AwsSite {
  const { network, cluster } = buildAwsCluster(config, provider);
  const placement = awsPlacement(config, network, cluster);
  if (placement === undefined) return { network, cluster };
  return { network, cluster, placement, ...buildAwsDataServices(config, provider, placement) };
}

/** The VPC and the EKS cluster in its private subnets. */
function buildAwsCluster(
  config: PlatformConfig,
  provider: aws.Provider,
): { network: Network; cluster: Cluster } {
  const awsConfig = config.aws;
  if (awsConfig === undefined) throw new Error("platform:aws is required to build on AWS");
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const network = new Network(
    "network",
    {
      ...config.network,
      tier: config.tier,
      tags: config.tags,
      clusterName: config.baseName,
      placement: { target: "aws" },
    },
    opts,
  );
  const cluster = new Cluster(
    "cluster",
    {
      ...config.cluster,
      tier: config.tier,
      clusterName: config.baseName,
      region: awsConfig.region,
      tags: config.tags,
      placement: {
        target: "aws",
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
      },
    },
    opts,
  );
  return { network, cluster };
}

/**
 * The data services admit the nodes' security group and nothing else. That group needs only
 * the VPC, so the data stores never wait on the control plane or the node groups.
 */
function awsPlacement(
  config: PlatformConfig,
  network: Network,
  cluster: Cluster,
): AwsPlacement | undefined {
  if (!cluster.nodeSecurityGroupId) return undefined;
  return {
    target: "aws",
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
    replicaRegion: config.aws?.replicaRegion,
  };
}

/** RDS, ElastiCache, S3, OpenSearch, SQS+SNS and AWS Backup, each only when enabled. */
function buildAwsDataServices(
  config: PlatformConfig,
  provider: aws.Provider,
  placement: AwsPlacement,
): Omit<AwsSite, "network" | "cluster" | "placement"> {
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const common = { tier: config.tier, placement, tags: config.tags };
  const database = managedDatabase(config)
    ? new Database(
        "database",
        {
          ...config.database,
          ...common,
          // The GCP standby's Cloud SQL replicates from it, from private service access's range.
          ...(config.replication?.rpo.database && { replicationClientCidrs: [standbyReplicaCidr] }),
        },
        opts,
      )
    : undefined;
  const cache = config.cache.enabled
    ? new Cache("cache", { ...config.cache, ...common }, opts)
    : undefined;
  const objectStore = config.objectStore.enabled
    ? new ObjectStore("objects", { ...config.objectStore, ...common }, opts)
    : undefined;
  const search = config.search.enabled
    ? new Search(
        "search",
        { ...config.search, ...common, snapshotBucket: searchSnapshotBucket(objectStore) },
        opts,
      )
    : undefined;
  const queue = config.queue.enabled
    ? new Queue("notifications", { ...config.queue, ...common }, opts)
    : undefined;
  // A stack whose database runs on the cluster (timescaledb) still backs up its buckets.
  const bucketArns = backedUpBucketArns(objectStore);
  const backups =
    config.backup.enabled && (database || bucketArns.length > 0)
      ? new Backups(
          "backups",
          {
            ...config.backup,
            ...common,
            resources: database ? [database.resourceId] : [],
            bucketArns,
          },
          opts,
        )
      : undefined;
  return { database, cache, objectStore, search, queue, backups };
}

/**
 * Whether the stack's database is the target's managed service; the `timescaledb` engine runs
 * on the cluster instead, after the ingress (compose/in-cluster.ts).
 */
function managedDatabase(config: PlatformConfig): boolean {
  return config.database.enabled && config.database.engine !== "timescaledb";
}

/**
 * The buckets AWS Backup copies as well: every bucket but the cluster backups' own (Velero's
 * target already holds backups). The buckets are versioned, as AWS Backup requires.
 */
function backedUpBucketArns(objectStore: ObjectStore | undefined): pulumi.Output<string>[] {
  return Object.entries(objectStore?.bucketNames ?? {})
    .filter(([role]) => role !== backupsBucket.role)
    .map(([, bucket]) => pulumi.interpolate`arn:aws:s3:::${bucket}`);
}

/** Manual OpenSearch snapshots go under `search/` in the backups bucket, when there is one. */
function searchSnapshotBucket(objectStore: ObjectStore | undefined): SnapshotBucket | undefined {
  const bucket = objectStore?.bucketNames[backupsBucket.role];
  return bucket && objectStore?.keyArn
    ? { name: bucket, keyArn: objectStore.keyArn, prefix: "search" }
    : undefined;
}
