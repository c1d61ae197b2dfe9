import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkDependencies, type GraphResource } from "../../tools/plan/chains";
import type { PlanReport } from "../../tools/plan/report";
import { runPlanCli } from "../support/run";

const stack = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test";

function resource(
  type: string,
  name: string,
  waits: { dependencies?: string[]; parent?: string; provider?: string } = {},
): GraphResource {
  return {
    urn: `urn:pulumi:test::platform::${type}::${name}`,
    type,
    name,
    parent: waits.parent ?? stack,
    provider: waits.provider ?? "",
    dependencies: waits.dependencies ?? [],
    propertyDependencies: {},
  };
}

describe("The plan's dependency check", () => {
  const root: GraphResource = {
    ...resource("pulumi:pulumi:Stack", "platform-test"),
    urn: stack,
    parent: "",
  };
  const cluster = resource("aws:eks/cluster:Cluster", "cluster-eks");
  const nodes = resource("aws:eks/nodeGroup:NodeGroup", "cluster-nodes", {
    dependencies: [cluster.urn],
  });

  it("finds a database that waits on the node group through a security group", () => {
    const group = resource("aws:ec2/securityGroup:SecurityGroup", "db-sg", {
      dependencies: [nodes.urn],
    });
    const database = resource("aws:rds/instance:Instance", "database-instance", {
      dependencies: [group.urn],
    });
    const check = checkDependencies([root, cluster, nodes, group, database]);
    assert.deepEqual(check.dataStores, [
      {
        kind: "rds instance",
        name: "database-instance",
        waitsOnCluster: true,
        via: ["database-instance", "db-sg", "cluster-nodes"],
      },
    ]);
    assert.equal(check.minutes, 10 + 5 + 15);
    assert.deepEqual(
      check.chain.map((l) => l.name),
      ["cluster-eks", "cluster-nodes", "database-instance"],
    );
  });

  it("counts a parent component that waits on the cluster as a wait", () => {
    const component = resource("platform:index:Database", "database", {
      dependencies: [cluster.urn],
    });
    const database = resource("aws:rds/instance:Instance", "database-instance", {
      parent: component.urn,
    });
    const check = checkDependencies([root, cluster, component, database]);
    assert.equal(check.dataStores[0]!.waitsOnCluster, true);
    assert.deepEqual(check.dataStores[0]!.via, ["database-instance", "database", "cluster-eks"]);
  });

  it("lets independent data stores run beside the cluster", () => {
    const database = resource("aws:rds/instance:Instance", "database-instance");
    const replica = resource("aws:rds/instance:Instance", "database-replica", {
      dependencies: [database.urn],
    });
    const check = checkDependencies([root, cluster, nodes, database, replica]);
    assert.ok(check.dataStores.every((s) => !s.waitsOnCluster));
    assert.equal(check.minutes, 30);
    assert.deepEqual(
      check.chain.map((l) => l.name),
      ["database-instance", "database-replica"],
    );
  });
});

for (const stackName of ["staging", "prod"]) {
  describe(`The ${stackName} stack's slow resources`, () => {
    let report: PlanReport;
    before(function () {
      this.timeout(120_000);
      const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chain-")), "plan.json");
      const run = runPlanCli(["--stack", stackName, "--quiet", "--no-policy", "--json", json]);
      assert.equal(run.status, 0, run.stderr);
      report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
    });

    it("builds the database, cache and buckets without waiting on the cluster or its nodes", () => {
      const kinds = new Set(report.slowChain.dataStores.map((s) => s.kind));
      for (const kind of ["rds instance", "elasticache replication group", "s3 bucket"]) {
        assert.ok(kinds.has(kind), `no ${kind} in the plan`);
      }
      const waiting = report.slowChain.dataStores.filter((s) => s.waitsOnCluster);
      assert.deepEqual(waiting, []);
    });

    it("reports its longest chain of slow creates", () => {
      assert.ok(report.slowChain.chain.length > 0);
      assert.equal(
        report.slowChain.minutes,
        report.slowChain.chain.reduce((sum, l) => sum + l.minutes, 0),
      );
    });
  });
}
