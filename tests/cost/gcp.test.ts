import { strict as assert } from "node:assert";
import { estimateCost } from "../../tools/cost/estimate";
import { cents, component, hours, listPrice, resource } from "./fixtures";

const gcp = (sku: string, region = "us-central1") => listPrice("gcp", sku, region);

describe("Cost of the GCP standby prod plans, from the catalog's list prices", () => {
  const cluster = component("Cluster", "standby-cluster");

  it("bills the GKE cluster management fee per hour", () => {
    const e = estimateCost([
      cluster,
      resource(
        "gcp:container/cluster:Cluster",
        "standby-cluster-gke",
        { location: "us-central1" },
        cluster,
      ),
    ]);
    assert.equal(cents(e.total.usd), cents(gcp("gke.cluster") * hours));
  });

  it("bills a regional node pool at its autoscaler's total minimum, with a boot disk per node, and gives the range", () => {
    const e = estimateCost([
      cluster,
      resource(
        "gcp:container/nodePool:NodePool",
        "standby-cluster-nodes",
        {
          location: "us-central1",
          initialNodeCount: 1,
          autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 12, locationPolicy: "BALANCED" },
          nodeConfig: { machineType: "n2-standard-4", diskSizeGb: 50, diskType: "pd-balanced" },
        },
        cluster,
      ),
    ]);
    const perNode = gcp("gce.n2-standard-4") * hours + 50 * gcp("pd.pd-balanced");
    assert.equal(cents(e.total.usd), cents(3 * perNode));
    assert.equal(cents(e.total.maxUsd), cents(12 * perNode));
  });

  it("bills a REGIONAL Cloud SQL instance twice for vCPU, memory and SSD, and its backups", () => {
    const database = component("Database", "standby-database");
    const e = estimateCost([
      database,
      resource(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "standby-database-instance",
        {
          settings: {
            tier: "db-custom-6-32768",
            availabilityType: "REGIONAL",
            diskSize: 100,
            diskType: "PD_SSD",
            backupConfiguration: { enabled: true, backupRetentionSettings: { retainedBackups: 7 } },
          },
        },
        database,
      ),
    ]);
    const compute = 2 * (6 * gcp("sql.vcpu") + 32 * gcp("sql.memory")) * hours;
    const storage = 2 * 100 * gcp("sql.storage.ssd");
    const backups = 100 * (1 + 0.05 * 7) * gcp("sql.backup");
    assert.equal(cents(e.total.usd), cents(compute + storage + backups));
  });

  it("bills Memorystore Standard with two read replicas at the M3 rate twice, and Basic once", () => {
    const cache = component("Cache", "standby-cache");
    const e = estimateCost([
      cache,
      resource(
        "gcp:redis/instance:Instance",
        "ha",
        { tier: "STANDARD_HA", memorySizeGb: 13, replicaCount: 2 },
        cache,
      ),
      resource("gcp:redis/instance:Instance", "basic", { tier: "BASIC", memorySizeGb: 3 }, cache),
    ]);
    const expected =
      2 * 13 * gcp("memorystore.standard.m3") * hours + 3 * gcp("memorystore.basic.m1") * hours;
    assert.equal(cents(e.total.usd), cents(expected));
  });

  it("bills Cloud NAT per VM behind it and per assumed GB, an external address, a bucket and a key", () => {
    const network = component("Network", "standby-network");
    const e = estimateCost([
      network,
      resource(
        "gcp:container/nodePool:NodePool",
        "pool",
        {
          location: "us-central1",
          nodeCount: 1,
          nodeConfig: { machineType: "e2-standard-4", diskSizeGb: 10 },
        },
        network,
      ),
      resource("gcp:compute/routerNat:RouterNat", "nat", { region: "us-central1" }, network),
      resource(
        "gcp:compute/address:Address",
        "ip",
        { addressType: "EXTERNAL", region: "us-central1" },
        network,
      ),
      resource(
        "gcp:compute/globalAddress:GlobalAddress",
        "psa",
        { addressType: "INTERNAL", purpose: "VPC_PEERING" },
        network,
      ),
      resource("gcp:storage/bucket:Bucket", "bucket", {}, network),
      resource(
        "gcp:kms/cryptoKey:CryptoKey",
        "key",
        { keyRing: "projects/p/locations/us-central1/keyRings/r" },
        network,
      ),
    ]);
    const pool = 3 * (gcp("gce.e2-standard-4") * hours + 10 * gcp("pd.pd-balanced"));
    const nat = 3 * gcp("nat.vm") * hours + 100 * gcp("nat.data");
    const rest = gcp("ip.external") * hours + 100 * gcp("gcs.standard") + gcp("kms.key");
    assert.equal(cents(e.total.usd), cents(pool + nat + rest));
  });

  it("prices europe-west1 from its own rows", () => {
    const e = estimateCost([
      cluster,
      resource(
        "gcp:container/nodePool:NodePool",
        "pool",
        {
          location: "europe-west1-b",
          nodeCount: 2,
          nodeConfig: { machineType: "n2-standard-4", diskSizeGb: 50 },
        },
        cluster,
        "europe-west1",
      ),
    ]);
    const perNode =
      gcp("gce.n2-standard-4", "europe-west1") * hours + 50 * gcp("pd.pd-balanced", "europe-west1");
    assert.equal(cents(e.total.usd), cents(2 * perNode));
  });
});
