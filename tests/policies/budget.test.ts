import { strict as assert } from "node:assert";
import type { FakeResource } from "../support/policy";
import { estimateCost } from "../../tools/cost/estimate";
import { listPrice } from "../cost/fixtures";
import { assertFindings, usePack } from "./pack";

const policy = "stack-monthly-budget";
const stack = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test";
const hours = 730;
const aws = (sku: string) => listPrice("aws", sku, "us-east-1");

function component(type: string, name: string): FakeResource {
  return {
    type: `platform:index:${type}`,
    name,
    props: {},
    urn: `urn:pulumi:test::platform::platform:index:${type}::${name}`,
    parent: stack,
  };
}
function child(
  parent: FakeResource,
  type: string,
  name: string,
  props: Record<string, unknown>,
): FakeResource {
  return { type, name, props, urn: `${parent.urn ?? ""}$${type}::${name}`, parent: parent.urn };
}

const cluster = component("Cluster", "cluster");
const database = component("Database", "database");
const cache = component("Cache", "cache");
const objects = component("ObjectStore", "objects");

/** A prod-shaped stack: its estimate is the sum of the catalog rows below. */
const prodStack: FakeResource[] = [
  cluster,
  child(cluster, "aws:eks/cluster:Cluster", "cluster-eks", {}),
  child(cluster, "aws:eks/nodeGroup:NodeGroup", "cluster-nodes", {
    instanceTypes: ["m6i.xlarge"],
    diskSize: 50,
    scalingConfig: { desiredSize: 6, minSize: 6, maxSize: 12 },
  }),
  database,
  child(database, "aws:rds/instance:Instance", "database-instance", {
    engine: "postgres",
    instanceClass: "db.r6g.xlarge",
    multiAz: true,
    allocatedStorage: 100,
    storageType: "gp3",
    backupRetentionPeriod: 7,
  }),
  cache,
  child(cache, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis", {
    nodeType: "cache.r6g.large",
    numCacheClusters: 3,
  }),
  objects,
  child(objects, "aws:s3/bucket:Bucket", "objects-uploads", {}),
];

const clusterUsd =
  aws("eks.cluster") * hours + 6 * (aws("ec2.m6i.xlarge") * hours + 50 * aws("ebs.gp3"));
const databaseUsd =
  2 * aws("rds.postgres.db.r6g.xlarge") * hours +
  2 * 100 * aws("rds.storage.gp3") +
  35 * aws("rds.backup");
const cacheUsd = 3 * aws("elasticache.cache.r6g.large") * hours;
const total = clusterUsd + databaseUsd + cacheUsd + 100 * aws("s3.standard");
/** The estimate the policy computes for these resources, to the last bit. */
const estimateOf = (resources: readonly FakeResource[]): number =>
  estimateCost(
    resources.map((r) => ({
      urn: r.urn ?? "",
      type: r.type,
      name: r.name,
      parent: r.parent ?? "",
      props: r.props,
      providerUrn: "",
    })),
  ).total.usd;
const usd = (n: number) => `\\$${n.toFixed(2)}`;

describe("Budget policy on a prod stack", () => {
  const pack = usePack();

  it("refuses a stack whose monthly estimate exceeds monthlyBudgetUsd, naming its three costliest components", async () => {
    await pack.configure({ [policy]: { enforcementLevel: "mandatory", monthlyBudgetUsd: 2000 } });
    const found = await pack.analyzeStack(prodStack, policy);
    assertFindings(found, policy, [
      new RegExp(
        `^The stack is estimated at ${usd(total)} a month, over its budget of \\$2000\\.00 \\(monthlyBudgetUsd\\)\\. ` +
          `Costliest components: cluster \\(Cluster\\) ${usd(clusterUsd)}, database \\(Database\\) ${usd(databaseUsd)}, cache \\(Cache\\) ${usd(cacheUsd)}\\.$`,
      ),
    ]);
  });

  it("stays quiet when the estimate is within the budget", async () => {
    await pack.configure({
      [policy]: { enforcementLevel: "mandatory", monthlyBudgetUsd: Math.ceil(total) },
    });
    assert.deepEqual(await pack.analyzeStack(prodStack, policy), []);
  });

  it("stays quiet at a budget equal to the estimate, and fires a cent below it", async () => {
    const exact = estimateOf(prodStack);
    await pack.configure({ [policy]: { enforcementLevel: "mandatory", monthlyBudgetUsd: exact } });
    assert.deepEqual(await pack.analyzeStack(prodStack, policy), []);
    await pack.configure({
      [policy]: { enforcementLevel: "mandatory", monthlyBudgetUsd: exact - 0.01 },
    });
    assert.equal((await pack.analyzeStack(prodStack, policy)).length, 1);
  });

  it("declares the budget as a non-negative number of USD", () => {
    const schema = pack.infos.find((i) => i.name === policy)?.configSchema;
    const budget = schema?.monthlyBudgetUsd as { type?: string; minimum?: number } | undefined;
    assert.deepEqual(
      { type: budget?.type, minimum: budget?.minimum },
      { type: "number", minimum: 0 },
    );
  });

  it("stays quiet when the stack sets no budget", async () => {
    await pack.configure();
    assert.deepEqual(await pack.analyzeStack(prodStack, policy), []);
  });

  it("is advisory unless the stack's policy config makes it mandatory (as prod's does)", async () => {
    await pack.configure({ [policy]: { monthlyBudgetUsd: 1 } });
    const found = await pack.analyzeStack(prodStack, policy);
    assert.deepEqual(
      found.map((d) => d.enforcementLevel),
      ["advisory"],
    );
  });
});
