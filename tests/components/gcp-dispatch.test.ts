import { strict as assert } from "node:assert";
import { Cache, cacheDefaults } from "../../components/cache";
import { Cluster, clusterDefaults } from "../../components/cluster";
import { Database, databaseDefaults } from "../../components/database";
import {
  Network,
  networkDefaults,
  type GcpNetworkPlacement,
  type NetworkPlacement,
} from "../../components/network";
import { ObjectStore, objectStoreDefaults } from "../../components/objectstore";
import type { GcpPlacement } from "../../components/placement";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { tags } from "./support";

const region = "us-central1";
const networkId = "projects/platform-prod-standby/global/networks/standby-network-vpc";
const placement: GcpPlacement = { target: "gcp", networkId };

/** Types the recorded resources have, outside the platform's own components. */
function cloudsOf(recorded: Recorded): string[] {
  const clouds = recorded.all.filter((r) => r.custom).map((r) => r.type.split(":")[0]!);
  return [...new Set(clouds)].sort();
}

function childOf(recorded: Recorded, type: string, name: string, componentType: string): boolean {
  return recorded.one(type, name).parent.includes(componentType);
}

function gcpNetwork(name: string): Network<GcpNetworkPlacement> {
  return new Network(name, {
    ...networkDefaults.prod,
    tier: "prod",
    tags,
    clusterName: "platform-prod",
    placement: { target: "gcp", region },
  });
}

describe("Network on gcp in prod", () => {
  let recorded: Recorded;
  let network: Network<GcpNetworkPlacement>;
  before(async () => {
    recorded = useMocks();
    network = gcpNetwork("standby-network");
    await settle();
  });

  it("builds a custom-mode VPC network with the regional subnet, and nothing on AWS", () => {
    const vpc = recorded.inputs(recorded.one("gcp:compute/network:Network", "standby-network-vpc"));
    assert.equal(vpc.autoCreateSubnetworks, false);
    const subnet = recorded.inputs(
      recorded.one("gcp:compute/subnetwork:Subnetwork", "standby-network-subnet"),
    );
    assert.equal(subnet.region, "us-central1");
    assert.equal(subnet.ipCidrRange, "10.20.0.0/20");
    assert.ok(
      childOf(
        recorded,
        "gcp:compute/network:Network",
        "standby-network-vpc",
        "platform:index:Network",
      ),
    );
    assert.deepEqual(
      cloudsOf(recorded).filter((c) => c !== "pulumi"),
      ["gcp"],
    );
  });

  it("gives the VPC network as vpcId and the one subnet as the private subnet", async () => {
    assert.match((await resolve(network.vpcId)).value, /\/global\/networks\/standby-network-vpc-/);
    assert.equal(network.privateSubnetIds.length, 1);
    assert.match(
      (await resolve(network.privateSubnetIds[0]!)).value,
      /\/regions\/us-central1\/subnetworks\/standby-network-subnet-/,
    );
    assert.deepEqual(network.publicSubnetIds, []);
    assert.equal(network.cidrBlock, "10.20.0.0/20");
    assert.equal(network.flowLogGroupName, undefined);
  });

  it("cannot be placed on gcp without a region: the placement's type requires one", () => {
    const placement: NetworkPlacement = { target: "gcp", region };
    // @ts-expect-error A GCP placement without a region does not type-check.
    const regionless: NetworkPlacement = { target: "gcp" };
    assert.deepEqual([placement.target, regionless.target], ["gcp", "gcp"]);
  });
});

describe("Cluster on gcp in prod as the warm standby", () => {
  let recorded: Recorded;
  let cluster: Cluster;
  before(async () => {
    recorded = useMocks();
    const network = gcpNetwork("standby-network");
    cluster = new Cluster("standby-cluster", {
      ...clusterDefaults.prod,
      tier: "prod",
      clusterName: "platform-prod",
      region,
      tags,
      placement: {
        target: "gcp",
        project: "platform-prod-standby",
        network: network.gcp,
        standby: true,
      },
    });
    await settle();
  });

  it("builds a private regional GKE cluster in the network's subnet", () => {
    const gke = recorded.inputs(
      recorded.one("gcp:container/cluster:Cluster", "standby-cluster-gke"),
    );
    assert.equal(gke.location, "us-central1");
    assert.equal(gke.project, "platform-prod-standby");
    assert.equal((gke.privateClusterConfig as Record<string, unknown>).enablePrivateEndpoint, true);
    assert.ok(
      childOf(
        recorded,
        "gcp:container/cluster:Cluster",
        "standby-cluster-gke",
        "platform:index:Cluster",
      ),
    );
    assert.ok(!cloudsOf(recorded).includes("aws"));
  });

  it("sizes the node pool from the common settings, keeping 3 nodes while standing by", () => {
    const pool = recorded.inputs(
      recorded.one("gcp:container/nodePool:NodePool", "standby-cluster-nodes"),
    );
    assert.deepEqual(pool.autoscaling, {
      totalMinNodeCount: 3,
      totalMaxNodeCount: 12,
      locationPolicy: "BALANCED",
    });
    const nodes = pool.nodeConfig as Record<string, unknown>;
    assert.equal(nodes.machineType, "n2-standard-4");
    assert.equal(nodes.diskSizeGb, 50);
  });

  it("gives a Kubernetes provider and no AWS-only outputs", () => {
    assert.equal(recorded.ofType("pulumi:providers:kubernetes").length, 1);
    assert.equal(cluster.nodeSecurityGroupId, undefined);
    assert.equal(cluster.workloadIdentityPool, "platform-prod-standby.svc.id.goog");
  });
});

describe("Database on gcp in prod", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Database("standby-database", { ...databaseDefaults.prod, tier: "prod", placement, tags });
    await settle();
  });

  it("registers a regional Cloud SQL PostgreSQL 15 on the private network only", () => {
    const record = recorded.one(
      "gcp:sql/databaseInstance:DatabaseInstance",
      "standby-database-postgres",
    );
    const inputs = recorded.inputs(record);
    const settings = inputs.settings as Record<string, Record<string, unknown>>;
    assert.equal(inputs.databaseVersion, "POSTGRES_15");
    assert.equal(settings.availabilityType as unknown, "REGIONAL");
    assert.equal(settings.ipConfiguration!.ipv4Enabled, false);
    assert.equal(settings.ipConfiguration!.privateNetwork, networkId);
    assert.equal(record.protect, true);
    assert.ok(record.parent.includes("platform:index:Database"));
    assert.equal(recorded.ofType("aws:rds/instance:Instance").length, 0);
  });
});

describe("Cache on gcp in prod", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Cache("standby-cache", { ...cacheDefaults.prod, tier: "prod", placement, tags });
    await settle();
  });

  it("registers a STANDARD_HA Memorystore Redis with AUTH and TLS on the network", () => {
    const record = recorded.one("gcp:redis/instance:Instance", "standby-cache-redis");
    const inputs = recorded.inputs(record);
    assert.equal(inputs.tier, "STANDARD_HA");
    assert.equal(inputs.memorySizeGb, 13);
    assert.equal(inputs.authEnabled, true);
    assert.equal(inputs.transitEncryptionMode, "SERVER_AUTHENTICATION");
    assert.equal(inputs.authorizedNetwork, networkId);
    assert.ok(record.parent.includes("platform:index:Cache"));
  });
});

describe("ObjectStore on gcp in prod", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new ObjectStore("standby-objects", {
      ...objectStoreDefaults.prod,
      tier: "prod",
      placement,
      tags,
      region,
    });
    await settle();
  });

  it("registers one private, versioned, protected GCS bucket per role in the US multi-region", () => {
    const names = recorded
      .ofType("gcp:storage/bucket:Bucket")
      .map((r) => r.name)
      .sort();
    assert.deepEqual(names, ["standby-objects-backups", "standby-objects-uploads"]);
    const bucket = recorded.one("gcp:storage/bucket:Bucket", "standby-objects-backups");
    const inputs = recorded.inputs(bucket);
    assert.equal(inputs.location, "US");
    assert.equal(inputs.publicAccessPrevention, "enforced");
    assert.equal(inputs.uniformBucketLevelAccess, true);
    assert.deepEqual(inputs.versioning, { enabled: true });
    assert.equal(bucket.protect, true);
    assert.equal(recorded.ofType("aws:s3/bucket:Bucket").length, 0);
  });

  it("encrypts every bucket with its own key in the buckets' multi-region, rotated every 90 days", () => {
    const ring = recorded.one("gcp:kms/keyRing:KeyRing", "standby-objects-keyring");
    assert.equal(recorded.inputs(ring).location, "us");
    assert.equal(recorded.inputs(ring).name, undefined, "auto-named: key rings are never deleted");
    const key = recorded.one("gcp:kms/cryptoKey:CryptoKey", "standby-objects-key");
    assert.equal(recorded.inputs(key).rotationPeriod, "7776000s");
    assert.equal(key.protect, true);
    const keyId =
      /^projects\/mock-project\/locations\/us-central1\/keyRings\/standby-objects-keyring-[0-9a-f]{7}\/cryptoKeys\/standby-objects-key$/;
    for (const bucket of recorded.ofType("gcp:storage/bucket:Bucket")) {
      const encryption = recorded.inputs(bucket).encryption as { defaultKmsKeyName: string };
      assert.match(encryption.defaultKmsKeyName, keyId);
    }
    assert.equal(recorded.ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").length, 1);
  });

  it("refuses target gcp without a region, naming the setting", () => {
    assert.throws(
      () => new ObjectStore("bad", { ...objectStoreDefaults.prod, tier: "prod", placement, tags }),
      {
        name: "ComponentError",
        message:
          'ObjectStore bad: invalid args:\n  - region is required on target "gcp" (e.g. "us-central1")',
      },
    );
  });
});
