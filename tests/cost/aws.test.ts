import { strict as assert } from "node:assert";
import { estimateCost } from "../../tools/cost/estimate";
import { cents, component, hours, listPrice, resource } from "./fixtures";

const region = "us-east-1";
const aws = (sku: string, r = region) => listPrice("aws", sku, r);

describe("Cost of the AWS resources prod plans, from the catalog's list prices", () => {
  const cluster = component("Cluster", "cluster");
  const database = component("Database", "database");

  it("bills the EKS control plane per cluster-hour", () => {
    const e = estimateCost([
      cluster,
      resource("aws:eks/cluster:Cluster", "cluster-eks", {}, cluster),
    ]);
    assert.equal(cents(e.total.usd), cents(aws("eks.cluster") * hours));
    assert.deepEqual(Object.keys(e.byComponent), ["cluster (Cluster)"]);
  });

  it("bills a node group as instance type x desired nodes with its launch template's disks, and gives the min..max range", () => {
    const e = estimateCost([
      cluster,
      resource(
        "aws:eks/nodeGroup:NodeGroup",
        "cluster-nodes",
        {
          instanceTypes: ["m6i.xlarge"],
          scalingConfig: { desiredSize: 6, minSize: 6, maxSize: 12 },
        },
        cluster,
      ),
      resource(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "cluster-nodes-template",
        { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] },
        cluster,
      ),
    ]);
    const perNode = aws("ec2.m6i.xlarge") * hours + 50 * aws("ebs.gp3");
    assert.equal(cents(e.total.usd), cents(6 * perNode));
    assert.equal(cents(e.total.minUsd), cents(6 * perNode));
    assert.equal(cents(e.total.maxUsd), cents(12 * perNode));
    assert.deepEqual(e.footprint, { vcpu: 24, memoryGb: 96, diskGb: 300 });
  });

  it("bills a Multi-AZ RDS instance twice (instance and storage), and backups beyond the free allowance", () => {
    const e = estimateCost([
      database,
      resource(
        "aws:rds/instance:Instance",
        "database-instance",
        {
          identifier: "platform-prod-database",
          engine: "postgres",
          instanceClass: "db.r6g.xlarge",
          multiAz: true,
          allocatedStorage: 100,
          storageType: "gp3",
          backupRetentionPeriod: 7,
        },
        database,
      ),
    ]);
    const instance = 2 * aws("rds.postgres.db.r6g.xlarge") * hours;
    const storage = 2 * 100 * aws("rds.storage.gp3");
    // 100 GB is free; each of the 7 retained days keeps 5 % of 100 GB.
    const backups = 100 * 0.05 * 7 * aws("rds.backup");
    assert.equal(cents(e.total.usd), cents(instance + storage + backups));
  });

  it("bills a read replica at its class, with the storage of the primary it copies and no backups", () => {
    const primary = resource(
      "aws:rds/instance:Instance",
      "database-instance",
      {
        identifier: "db",
        engine: "postgres",
        instanceClass: "db.r6g.large",
        allocatedStorage: 100,
        storageType: "gp3",
        backupRetentionPeriod: 0,
      },
      database,
    );
    const replica = resource(
      "aws:rds/instance:Instance",
      "database-replica",
      { instanceClass: "db.r6g.large", replicateSourceDb: "db" },
      database,
    );
    const e = estimateCost([database, primary, replica]);
    const one = aws("rds.postgres.db.r6g.large") * hours + 100 * aws("rds.storage.gp3");
    assert.equal(cents(e.total.usd), cents(2 * one));
  });

  it("bills an ElastiCache replication group per node", () => {
    const cache = component("Cache", "cache");
    const e = estimateCost([
      cache,
      resource(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "cache-redis",
        { nodeType: "cache.r6g.large", numCacheClusters: 3 },
        cache,
      ),
    ]);
    assert.equal(cents(e.total.usd), cents(3 * aws("elasticache.cache.r6g.large") * hours));
  });

  it("bills an OpenSearch domain per data node and per node's EBS volume", () => {
    const search = component("Search", "search");
    const e = estimateCost([
      search,
      resource(
        "aws:opensearch/domain:Domain",
        "search-domain",
        {
          clusterConfig: { instanceType: "r6g.large.search", instanceCount: 3 },
          ebsOptions: { ebsEnabled: true, volumeSize: 100, volumeType: "gp3" },
        },
        search,
      ),
    ]);
    const expected =
      3 * aws("opensearch.r6g.large.search") * hours + 300 * aws("opensearch.storage.gp3");
    assert.equal(cents(e.total.usd), cents(expected));
  });

  it("bills NAT gateways per hour and per assumed GB processed, and their public IPv4 addresses", () => {
    const network = component("Network", "network");
    const e = estimateCost([
      network,
      resource(
        "aws:ec2/natGateway:NatGateway",
        "network-nat-0",
        { connectivityType: "public" },
        network,
      ),
      resource("aws:ec2/eip:Eip", "network-nat-eip-0", { domain: "vpc" }, network),
    ]);
    const expected =
      aws("vpc.natGateway") * hours +
      100 * aws("vpc.natGateway.data") +
      aws("vpc.publicIpv4") * hours;
    assert.equal(cents(e.total.usd), cents(expected));
  });

  it("bills an interface endpoint per AZ and a gateway endpoint nothing", () => {
    const network = component("Network", "network");
    const e = estimateCost([
      network,
      resource(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "network-sts-endpoint",
        { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] },
        network,
      ),
      resource(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "network-s3-endpoint",
        { vpcEndpointType: "Gateway", routeTableIds: ["r"] },
        network,
      ),
    ]);
    assert.equal(cents(e.total.usd), cents(3 * aws("vpc.interfaceEndpoint") * hours));
    assert.equal(e.unpriced.length, 0);
  });

  it("bills buckets at the assumed size, replication per replicated GB, keys, logs, alarms and secrets", () => {
    const objects = component("ObjectStore", "objects");
    const e = estimateCost([
      objects,
      resource("aws:s3/bucket:Bucket", "objects-uploads", {}, objects),
      resource(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "objects-uploads-replication",
        {},
        objects,
      ),
      resource("aws:kms/key:Key", "objects-key", {}, objects),
      resource("aws:cloudwatch/logGroup:LogGroup", "objects-log", { retentionInDays: 30 }, objects),
      resource("aws:cloudwatch/metricAlarm:MetricAlarm", "objects-alarm", {}, objects),
      resource("aws:secretsmanager/secret:Secret", "objects-secret", {}, objects),
    ]);
    const expected =
      100 * aws("s3.standard") +
      10 * aws("transfer.interRegion") +
      aws("kms.key") +
      5 * aws("logs.ingest") +
      5 * aws("logs.storage") +
      aws("cloudwatch.alarm") +
      aws("secretsmanager.secret");
    assert.equal(cents(e.total.usd), cents(expected));
  });

  it("prices us-west-2 from its own catalog rows", () => {
    const objects = component("ObjectStore", "objects");
    const e = estimateCost([
      objects,
      resource("aws:s3/bucket:Bucket", "replica", {}, objects, "us-west-2"),
    ]);
    assert.equal(cents(e.total.usd), cents(100 * aws("s3.standard", "us-west-2")));
  });
});
