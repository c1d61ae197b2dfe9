import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanReport } from "../../tools/plan/report";
import { runPlanCli } from "../support/run";

/**
 * The offline plan on small programs written the way other Pulumi projects are: one fixture
 * per pattern (tests/fixtures/plan-*), each planned once, its output, JSON and exit code read
 * by the tests of that pattern.
 */

interface Planned {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: PlanReport;
}

const runs = new Map<string, Planned>();

/** Plans a fixture once per set of options; later calls read the same run. */
function plan(fixture: string, ...options: string[]): Planned {
  const key = [fixture, ...options].join(" ");
  const known = runs.get(key);
  if (known) return known;
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "foreign-")), "plan.json");
  const run = runPlanCli([
    "--dir",
    `tests/fixtures/${fixture}`,
    "--stack",
    "dev",
    "--quiet",
    "--json",
    json,
    ...options,
  ]);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
  const planned = { ...run, report };
  runs.set(key, planned);
  return planned;
}

const byType = (report: PlanReport, type: string) =>
  report.resources.filter((r) => r.type === type);

describe("The offline plan of programs written like other Pulumi projects", function () {
  this.timeout(180_000);

  describe("a data source the plan has no answer for (aws.ec2.getAmi)", () => {
    it("stops an update as incomplete (exit 3), naming the call, its token and the program's line", () => {
      const { status, stderr, report } = plan("plan-data-source", "--no-policy");
      assert.equal(status, 3, stderr);
      assert.match(
        stderr,
        /the offline plan has no answer for invoke aws:ec2\/getAmi:getAmi at index\.ts:5:23\. Answer it in the project's plan\.mocks\.ts or plan\.mocks\.js or plan\.mocks\.json/,
      );
      assert.doesNotMatch(stderr, /tools\/plan\/mocks\.ts|promises were still active|^\s+at /m);
      assert.equal(report.outcome, "incomplete");
      assert.equal(report.exitCode, 3);
      assert.equal(report.errors.length, 1);
      assert.match(report.errors[0]!, /aws:ec2\/getAmi:getAmi at index\.ts:5:23/);
      assert.deepEqual(report.guessedCalls, [
        {
          kind: "invoke",
          token: "aws:ec2/getAmi:getAmi",
          location: "index.ts:5:23",
          answer: "unanswered",
        },
      ]);
    });

    it("leaves its result unknown in a preview, as a first preview does, and lists the guess", () => {
      const { status, stdout, stderr, report } = plan(
        "plan-data-source",
        "--no-policy",
        "--preview",
      );
      assert.equal(status, 3, stderr);
      assert.match(
        stdout,
        /1 call\(s\) without an answer, left unknown as in a first preview:\n {2}invoke aws:ec2\/getAmi:getAmi at index\.ts:5:23/,
      );
      assert.deepEqual(report.errors, []);
      assert.deepEqual(report.guessedCalls, [
        {
          kind: "invoke",
          token: "aws:ec2/getAmi:getAmi",
          location: "index.ts:5:23",
          answer: "unknown",
        },
      ]);
      const [instance] = byType(report, "aws:ec2/instance:Instance");
      assert.deepEqual(instance?.inputs, { ami: "[unknown]", instanceType: "t3.micro" });
    });
  });

  describe("a stack reference answered by the project's plan.mocks.json", () => {
    it("reads the other stack's outputs from the project's file and plans clean (exit 0)", () => {
      const { status, stderr, report } = plan("plan-stack-reference", "--no-policy");
      assert.equal(status, 0, stderr);
      assert.equal(report.outcome, "clean");
      assert.equal(report.projectMocksFile, "plan.mocks.json");
      assert.deepEqual(report.calls, [
        {
          kind: "read",
          token: "pulumi:pulumi:StackReference",
          id: "acme/network/dev",
          location: "index.ts:5:17",
          answer: "project",
        },
      ]);
      const [group] = byType(report, "aws:ec2/securityGroup:SecurityGroup");
      assert.deepEqual(group?.inputs, { description: "app", vpcId: "vpc-0a1b2c3d4e5f60718" });
    });
  });

  describe("a resource passed as an input (role: role)", () => {
    it("sends the reference to the pack as the engine does, and the pack checks every resource", () => {
      const { status, stdout, stderr, report } = plan("plan-resource-reference");
      assert.equal(status, 0, stderr + stdout);
      assert.doesNotMatch(stderr + stdout, /Unrecognized signature/);
      assert.deepEqual(report.errors, []);
      assert.ok(report.policyPack, "the policy phase ran");
      const [profile] = byType(report, "aws:iam/instanceProfile:InstanceProfile");
      assert.deepEqual(profile?.inputs, {
        role: "[resource urn:pulumi:dev::plan-resource-reference::aws:iam/role:Role::worker]",
      });
    });
  });

  describe("a multi-language component and a Helm v4 chart", () => {
    it("says which components it did not expand and exits incomplete (exit 3)", () => {
      const { status, stdout, stderr, report } = plan("plan-remote-component", "--no-policy");
      assert.equal(status, 3, stderr);
      assert.match(stdout, /2 components not expanded; their children are not checked:/);
      assert.match(stdout, /awsx:ec2:Vpc network: a multi-language component/);
      assert.match(stderr, /Incomplete: no mandatory violation in what the plan saw/);
      assert.deepEqual(
        report.unexpanded?.map((c) => `${c.type} ${c.name} ${c.urn}`),
        [
          "awsx:ec2:Vpc network urn:pulumi:dev::plan-remote-component::awsx:ec2:Vpc::network",
          "kubernetes:helm.sh/v4:Chart cache urn:pulumi:dev::plan-remote-component::kubernetes:helm.sh/v4:Chart::cache",
        ],
      );
      assert.equal(report.outcome, "incomplete");
    });
  });

  describe("YAML manifests from a local file (yaml.ConfigFile) and inline (yaml.ConfigGroup, yaml.v2.ConfigGroup)", () => {
    it("decodes every object under its component, so the pack checks them", () => {
      const { status, stdout, stderr, report } = plan("plan-local-yaml");
      assert.equal(status, 2, stderr + stdout);
      const children = report.resources
        .filter((r) => r.parent.includes("kubernetes:yaml"))
        .map((r) => `${r.type} ${r.name} <- ${r.parent.split("::").pop()}`);
      assert.deepEqual(children.sort(), [
        "kubernetes:apps/v1:Deployment shop/shop <- app",
        "kubernetes:core/v1:ConfigMap shop/shop-settings <- extra",
        "kubernetes:core/v1:Namespace shop <- app",
        "kubernetes:core/v1:ServiceAccount more:shop/shop-runner <- more",
      ]);
      const deployment = "kubernetes:yaml:ConfigFile$kubernetes:apps/v1:Deployment::shop/shop";
      const onDeployment = report.violations
        .filter((v) => v.urn.endsWith(deployment))
        .map((v) => `${v.enforcementLevel} ${v.policyName}`);
      assert.ok(onDeployment.includes("mandatory k8s-pod-run-as-non-root"), onDeployment.join());
      assert.deepEqual(report.unexpanded, []);
    });
  });

  describe("a Helm release and a chart in a local folder (helm.v3.Chart)", () => {
    it("renders the local chart's objects and lists the release as checked by its inputs only", () => {
      const { status, stdout, stderr, report } = plan("plan-helm-release", "--no-policy");
      assert.equal(status, 0, stderr);
      const [settings] = byType(report, "kubernetes:core/v1:ConfigMap");
      assert.deepEqual(settings?.inputs, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "greeter-settings", namespace: "greeter" },
        data: { image: "nginx:1.27" },
      });
      assert.deepEqual(report.unexpanded, []);
      assert.deepEqual(report.helmReleases, [
        {
          urn: "urn:pulumi:dev::plan-helm-release::kubernetes:helm.sh/v3:Release::cache",
          name: "cache",
          chart: "redis",
          version: "20.0.0",
        },
      ]);
      assert.match(stdout, /1 Helm release\(s\): chart, version and values are checked/);
    });
  });
});

describe("The offline plan's usage errors and reports", function () {
  this.timeout(120_000);

  it("refuses a --json it cannot write at once, with usage (exit 64)", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "json-")), "a-file");
    fs.writeFileSync(file, "");
    const run = runPlanCli(["--stack", "dev", "--json", path.join(file, "plan.json")]);
    assert.equal(run.status, 64, run.stderr);
    assert.match(run.stderr, /--json .*a-file\/plan\.json cannot be written/);
    assert.match(run.stderr, /usage: npm run plan/);
    assert.doesNotMatch(run.stdout, /Plan of/, "it fails before planning");
  });

  it("refuses a --dir that does not exist, with usage (exit 64)", () => {
    const run = runPlanCli(["--dir", "tests/fixtures/no-such-project", "--stack", "dev"]);
    assert.equal(run.status, 64, run.stderr);
    assert.match(run.stderr, /--dir tests\/fixtures\/no-such-project: no such folder/);
    assert.match(run.stderr, /usage: npm run plan/);
  });

  it("refuses a stack the folder has no file for, naming the stacks it has (exit 64)", () => {
    const run = runPlanCli(["--dir", "tests/fixtures/plan-local-yaml", "--stack", "prod"]);
    assert.equal(run.status, 64, run.stderr);
    assert.match(run.stderr, /--stack prod: no Pulumi\.prod\.yaml in .*\(stacks there: dev\)/);
    assert.match(run.stderr, /usage: npm run plan/);
  });

  it("names the file, line and column of a YAML syntax error, and still writes --json", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-error-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: [eu-west-1\n");
    const json = path.join(dir, "plan.json");
    const run = runPlanCli(["--dir", dir, "--stack", "dev", "--json", json]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Pulumi\.dev\.yaml:\d+:\d+: YAML syntax error: /);
    const report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
    assert.equal(report.outcome, "program-failed");
    assert.equal(report.exitCode, 1);
    assert.match(report.errors[0]!, /Pulumi\.dev\.yaml:\d+:\d+: YAML syntax error/);
  });
});
