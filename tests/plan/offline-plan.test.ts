import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlanCli } from "../support/run";

interface PlanJson {
  resources: { type: string; name: string; parent: string; protect: boolean; inputs: unknown }[];
  violations: { policyName: string; enforcementLevel: string }[];
}

function tempJson(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), `${name}.json`);
}

describe("The offline plan", function () {
  this.timeout(180_000);

  it("refuses a program with a mandatory violation, naming the policy, and exits 2", () => {
    const json = tempJson("violating");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/violating-program",
      "--stack",
      "prod",
      "--json",
      json,
    ]);
    assert.equal(run.status, 2, run.stderr + run.stdout);
    assert.match(run.stdout, /k8s-namespace-enforces-restricted/);
    assert.match(run.stderr, /mandatory policy violation\(s\): the plan is refused/);
    const plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
    assert.deepEqual(plan.violations.map((v) => `${v.enforcementLevel} ${v.policyName}`).sort(), [
      "mandatory k8s-namespace-enforces-restricted",
      "mandatory k8s-namespace-has-quota-and-limits",
    ]);
  });

  it("stops on bad config with one line per problem and registers nothing", () => {
    const json = tempJson("bad-config");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/bad-config",
      "--stack",
      "prod",
      "--json",
      json,
    ]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /platform:aws\.region: "us-east" is not an AWS region/);
    assert.match(run.stderr, /platform:netwrok: unknown key/);
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, "a config error must not print a stack trace");
    const plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
    assert.deepEqual(
      plan.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
  });

  it("rejects a call without --stack as bad usage", () => {
    const run = runPlanCli([]);
    assert.equal(run.status, 64);
    assert.match(run.stderr, /--stack is required/);
  });
});
