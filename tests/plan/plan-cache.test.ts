import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  cacheableRun,
  cacheDirVariable,
  readCached,
  sourceDigest,
  writeCached,
} from "../../tools/plan/cache";
import { Lanes, usesDefaultPack } from "../../tools/plan/lanes";
import { runPlanCli } from "../support/run";

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe("The plan cache of one npm test run", () => {
  const key = (...args: string[]) => cacheableRun(args)?.key;

  it("keys a run by its options, not by where its report goes or their order", () => {
    const a = key("--stack", "dev", "--quiet", "--json", "/tmp/one/plan.json");
    assert.ok(a);
    assert.equal(key("--quiet", "--json", "/tmp/two.json", "--dir", ".", "--stack", "dev"), a);
    assert.equal(
      key("--stack", "dev", "--quiet", "--json", "x.json", "--policy-pack-address", "h:1"),
      a,
      "which pack process serves the plan is not part of what it plans",
    );
    assert.equal(
      key("--stack", "dev", "--preview", "--json", "x.json", "--update-report", "u.json"),
      key("--stack", "dev", "--preview", "--json", "y.json"),
      "a preview compares with the same stack's update plan, whichever file holds it",
    );
  });

  it("gives every option that changes a plan its own key", () => {
    const base = ["--stack", "prod", "--json", "p.json"];
    const keys = [
      key(...base),
      key(...base, "--preview"),
      key(...base, "--quiet"),
      key(...base, "--no-policy"),
      key(...base, "--policy-config", "Pulumi.dev.policy.json"),
      key(...base, "--policy-pack", "tests/fixtures"),
      key(...base, "--dir", "examples/enrichment"),
      key(...base, "--cost"),
      key(...base, "--cost", "--compare", "staging"),
      key("--stack", "staging", "--json", "p.json"),
    ];
    assert.equal(new Set(keys).size, keys.length, JSON.stringify(keys));
  });

  it("answers no run it could not hand back whole", () => {
    assert.equal(key("--stack", "dev"), undefined, "no --json to write the report to");
    assert.equal(key("--json", "p.json"), undefined, "no stack");
    assert.equal(key("--stack", "dev", "--json", "p.json", "--mermaid", "m.md"), undefined);
    assert.equal(key("--stack", "dev", "--json", "p.json", "--help"), undefined);
    assert.equal(key("--stack", "dev", "--json", "p.json", "--bogus"), undefined);
  });

  it("changes the digest when any file's content changes, even at the same size", () => {
    const root = tempDir("digest-");
    fs.mkdirSync(path.join(root, "components"));
    fs.writeFileSync(path.join(root, "components", "a.ts"), "export const a = 1;\n");
    fs.writeFileSync(path.join(root, "Pulumi.prod.yaml"), "config: {}\n");
    const before = sourceDigest(root);
    assert.equal(sourceDigest(root), before);
    fs.writeFileSync(path.join(root, "components", "a.ts"), "export const a = 2;\n");
    const edited = sourceDigest(root);
    assert.notEqual(edited, before);
    fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
    assert.notEqual(sourceDigest(root), edited, "a new stack file");
  });

  it("leaves reports and VCS data out of the digest", () => {
    const root = tempDir("digest-");
    fs.writeFileSync(path.join(root, "index.ts"), "export {};\n");
    const before = sourceDigest(root);
    for (const dir of ["reports", ".git"]) {
      fs.mkdirSync(path.join(root, dir));
      fs.writeFileSync(path.join(root, dir, "plan.json"), "{}");
    }
    assert.equal(sourceDigest(root), before);
  });

  it("hands back the report, exit status and output of the run it stored", () => {
    const dir = tempDir("cache-");
    const first = path.join(tempDir("plan-"), "plan.json");
    const run = cacheableRun(["--stack", "dev", "--json", first])!;
    fs.writeFileSync(first, '{"resources":[]}\n');
    writeCached(dir, run, { status: 2, stdout: "Plan of platform/dev", stderr: "refused" });

    const second = path.join(tempDir("plan-"), "nested", "plan.json");
    const again = cacheableRun(["--stack", "dev", "--json", second])!;
    assert.deepEqual(readCached(dir, again), {
      status: 2,
      stdout: "Plan of platform/dev",
      stderr: "refused",
    });
    assert.equal(fs.readFileSync(second, "utf8"), '{"resources":[]}\n');
  });

  it("writes no report for a run that wrote none, and answers nothing it never stored", () => {
    const dir = tempDir("cache-");
    const json = path.join(tempDir("plan-"), "plan.json");
    const run = cacheableRun(["--stack", "nowhere", "--json", json])!;
    assert.equal(readCached(dir, run), undefined);
    writeCached(dir, run, { status: 1, stdout: "", stderr: "no Pulumi.nowhere.yaml" });
    assert.equal(readCached(dir, run)?.status, 1);
    assert.equal(fs.existsSync(json), false);
  });

  it("lets the tests read a plan of this run instead of planning it again", () => {
    const dir = tempDir("cache-");
    const stored = path.join(tempDir("plan-"), "plan.json");
    const args = ["--stack", "dev", "--quiet", "--json"];
    fs.writeFileSync(stored, '{"stored":true}\n');
    writeCached(dir, cacheableRun([...args, stored])!, {
      status: 0,
      stdout: "from the cache",
      stderr: "",
    });
    const previous = process.env[cacheDirVariable];
    process.env[cacheDirVariable] = dir;
    try {
      const json = path.join(tempDir("plan-"), "plan.json");
      const run = runPlanCli([...args, json]);
      assert.deepEqual(run, { status: 0, stdout: "from the cache", stderr: "" });
      assert.equal(fs.readFileSync(json, "utf8"), '{"stored":true}\n');
    } finally {
      if (previous === undefined) delete process.env[cacheDirVariable];
      else process.env[cacheDirVariable] = previous;
    }
  });
});

describe("Lanes of the stack plans", () => {
  it("runs no more tasks at once than it has lanes, each on a lane no running task holds", async () => {
    const lanes = new Lanes(2);
    const running = new Set<number>();
    const seen: number[][] = [];
    const release: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, () =>
      lanes.run(async (lane) => {
        assert.ok(!running.has(lane), `lane ${lane} given to two tasks at once`);
        running.add(lane);
        seen.push([...running].sort());
        await new Promise<void>((resolve) => release.push(resolve));
        running.delete(lane);
      }),
    );
    // Release the tasks one at a time, each after the queue has moved on.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    await Promise.all(tasks);
    assert.equal(seen.length, 5);
    assert.ok(
      seen.every((lanesInUse) => lanesInUse.length <= 2),
      JSON.stringify(seen),
    );
    assert.deepEqual(seen[1], [0, 1], "the second task runs beside the first");
  });

  it("lends a lane's pack only to plans of the project's own pack", () => {
    assert.equal(usesDefaultPack(["--stack", "dev"]), true);
    assert.equal(usesDefaultPack(["--stack", "dev", "--policy-config", "x.json"]), true);
    assert.equal(usesDefaultPack(["--stack", "dev", "--no-policy"]), false);
    assert.equal(usesDefaultPack(["--stack", "dev", "--policy-pack", "elsewhere"]), false);
  });
});
