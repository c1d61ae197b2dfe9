import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanReport } from "../../tools/plan/report";
import { at } from "../examples/plan";
import { runPlanCli } from "../support/run";

describe("A dev stack on a local cluster with platform:database.enabled false", () => {
  let report: PlanReport;
  const ofType = (type: string) => report.resources.filter((r) => r.type === type);

  before(function () {
    this.timeout(240_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-without-database-"));
    const json = path.join(dir, "plan.json");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/dev-without-database",
      "--stack",
      "dev",
      "--quiet",
      "--json",
      json,
    ]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
  });

  it("plans no database: no Database component, no PostgreSQL and no postgres exporter", () => {
    assert.deepEqual(ofType("platform:index:Database"), []);
    assert.deepEqual(
      ofType("kubernetes:apps/v1:StatefulSet").map((s) => s.name),
      ["data-cache-statefulset", "data-objects-statefulset"],
    );
    const releases = ofType("kubernetes:helm.sh/v3:Release").map((r) => r.name);
    assert.ok(!releases.some((r) => r.includes("postgres")), releases.join(", "));
  });

  it("admits the application to Redis's and MinIO's ports only, not PostgreSQL's", () => {
    const policy = report.resources.find(
      (r) =>
        r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === "data-clients",
    );
    const ports = at(policy!.inputs, "spec", "ingress", 0, "ports") as { port: number }[];
    assert.deepEqual(
      ports.map((p) => p.port),
      [6379, 9000],
    );
  });

  it("creates the buckets platform:objectStore names, beside the local default", () => {
    const job = ofType("kubernetes:batch/v1:Job").find((j) => j.name === "data-objects-buckets");
    const script = at(job!.inputs, "spec", "template", "spec", "containers", 0, "command", 2);
    assert.match(String(script), /mc mb --ignore-existing local\/data-objects-uploads/);
    assert.match(String(script), /mc mb --ignore-existing local\/data-objects-exports/);
  });
});
