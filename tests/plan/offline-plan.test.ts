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

  it("keeps receiver credentials stored as secrets out of the plan", () => {
    const json = tempJson("alerting-secret");
    const run = runPlanCli(["--dir", "tests/fixtures/alerting", "--stack", "dev", "--json", json]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const text = fs.readFileSync(json, "utf8");
    assert.doesNotMatch(text, /offline-secret-placeholder/);
    const plan = JSON.parse(text) as PlanJson;
    const config = plan.resources.find((r) => r.name === "observability-alertmanager-config");
    assert.deepEqual((config?.inputs as { stringData: unknown }).stringData, "[secret]");
  });

  it("refuses a receiver key stored as plain text, naming it without printing it", () => {
    const json = tempJson("alerting-plain");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/alerting",
      "--stack",
      "staging",
      "--json",
      json,
    ]);
    assert.equal(run.status, 1, run.stderr + run.stdout);
    assert.match(
      run.stderr,
      /platform:observability\.alerting\.pagerdutyKey: \[plain text\] is a credential stored as plain text; set it with `pulumi config set --secret --path/,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /pd-plain-text-key-0123456789/);
  });

  it("rejects a call without --stack as bad usage", () => {
    const run = runPlanCli([]);
    assert.equal(run.status, 64);
    assert.match(run.stderr, /--stack is required/);
  });
});
