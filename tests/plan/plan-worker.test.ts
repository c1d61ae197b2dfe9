import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Lanes, planCommand, PlanRunner } from "../../tools/plan/lanes";
import { servePlans, type PlanServer } from "../../tools/plan/plan-server";
import type { PlanReport } from "../../tools/plan/report";
import { PlanWorkerProcess, reusableAfter } from "../../tools/plan/worker-process";
import { repoRoot } from "../support/run";

const tempJson = (name: string) =>
  path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-worker-")), `${name}.json`);

/** Plan CLI arguments for a fixture program, without the policy pack: these tests are about the run. */
function fixtureArgs(fixture: string, stack: string, json: string): string[] {
  return [
    "--dir",
    `tests/fixtures/${fixture}`,
    "--stack",
    stack,
    "--quiet",
    "--no-policy",
    "--json",
    json,
  ];
}

/** A report without what differs between any two runs (timings, memory). */
function comparable(file: string): Omit<PlanReport, "stats"> {
  const { stats, ...report } = JSON.parse(fs.readFileSync(file, "utf8")) as PlanReport;
  assert.ok(stats, "the report carries its timings");
  return report;
}

function coldRun(args: readonly string[]) {
  const result = spawnSync(process.execPath, planCommand(args), {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("A plan worker that plans one program after another", () => {
  let worker: PlanWorkerProcess;
  before(() => (worker = PlanWorkerProcess.start()));
  after(() => worker.stop());

  it("plans a second program exactly as a new CLI process plans it", async () => {
    const first = await worker.run(
      fixtureArgs("plan-resource-reference", "dev", tempJson("first")),
    );
    assert.equal(first.status, 0, first.stderr);
    const warmJson = tempJson("warm");
    const warm = await worker.run(fixtureArgs("plan-stack-reference", "dev", warmJson));
    const coldJson = tempJson("cold");
    const cold = coldRun(fixtureArgs("plan-stack-reference", "dev", coldJson));
    assert.equal(warm.status, cold.status);
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(warm.stderr, cold.stderr);
    const report = comparable(warmJson);
    assert.deepEqual(report, comparable(coldJson));
    assert.deepEqual(
      report.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack", "pulumi:providers:aws", "aws:ec2/securityGroup:SecurityGroup"],
      "none of the first program's resources",
    );
    assert.equal(report.project, "plan-stack-reference", "the second program's own project");
  });

  it("evaluates the program again on each run, with that run's stack config", async () => {
    const once = tempJson("once");
    const twice = tempJson("twice");
    assert.equal((await worker.run(fixtureArgs("plan-resource-reference", "dev", once))).status, 0);
    assert.equal(
      (await worker.run(fixtureArgs("plan-resource-reference", "dev", twice))).status,
      0,
    );
    assert.deepEqual(comparable(twice), comparable(once));
    assert.equal(comparable(twice).resources.length, 4, "registered again, not skipped as loaded");
  });

  it("answers bad usage with the CLI's usage text and exit 64, and plans again after it", async () => {
    const usage = await worker.run(["--stack"]);
    assert.equal(usage.status, 64);
    assert.match(usage.stderr, /^usage: npm run plan -- --stack <name>/m);
    assert.ok(worker.usable, "nothing ran, so nothing was left behind");
  });
});

describe("The lanes' plan workers", () => {
  it("are reused after a clean plan, a violation or bad usage, and retired after anything else", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 64, null].map(reusableAfter), [
      true,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it("retire a worker whose program failed, and plan the next run in a new one", async () => {
    const runner = new PlanRunner(new Lanes(1));
    try {
      const failed = await runner.run([
        "--dir",
        "tests/fixtures/bad-config",
        "--stack",
        "prod",
        "--no-policy",
        "--json",
        tempJson("bad"),
      ]);
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /platform:aws\.region: "us-east" is not an AWS region/);
      const json = tempJson("after");
      const next = await runner.run(fixtureArgs("plan-resource-reference", "dev", json));
      assert.equal(next.status, 0, next.stderr);
      assert.equal(comparable(json).project, "plan-resource-reference");
    } finally {
      await runner.close();
    }
  });
});

describe("The plan server npm test runs for mocha's plans", () => {
  let runner: PlanRunner;
  let server: PlanServer;
  before(async () => {
    runner = new PlanRunner(new Lanes(1));
    server = await servePlans(runner);
  });
  after(async () => {
    await server.close();
    await runner.close();
  });

  const client = path.join(repoRoot, "tools", "plan", "plan-client.mjs");
  // Asynchronous: the server answers from this same process, which a synchronous spawn would block.
  const ask = (args: readonly string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [client, server.address, ...args], { cwd: repoRoot });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("prints what the CLI printed and exits with its code", async () => {
    const json = tempJson("served");
    const run = await ask(fixtureArgs("plan-resource-reference", "dev", json));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Plan of plan-resource-reference\/dev: 3 resources$/m);
    assert.equal(comparable(json).project, "plan-resource-reference");
  });

  it("passes a failing exit code and stderr through", async () => {
    const run = await ask([
      "--dir",
      "tests/fixtures/does-not-exist",
      "--stack",
      "dev",
      "--no-policy",
    ]);
    assert.equal(run.status, 64);
    assert.match(run.stderr, /usage: npm run plan/);
  });

  it("says the planner failed, with exit 4, when no server answers", () => {
    const result = spawnSync(process.execPath, [client, "127.0.0.1:1", "--stack", "dev"], {
      encoding: "utf8",
    });
    assert.equal(result.status, 4);
    assert.match(
      result.stderr,
      /^the planner failed: plan server 127\.0\.0\.1:1: connect ECONNREFUSED/,
    );
  });
});
