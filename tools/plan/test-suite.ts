import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { conclude, planAllStacks } from "./all-stacks";
import { cacheDirVariable, repoRoot } from "./cache";
import { defaultLanes, Lanes, PlanRunner } from "./lanes";
import { planServerVariable, servePlans } from "./plan-server";
import { testPacksVariable } from "./shared-packs";

/**
 * `npm test`: the type check and ESLint on one program (tools/check/typed-checks.ts), Prettier,
 * the plan of every stack (tools/plan/all-stacks.ts) and the mocha suite. The first three share
 * the machine's cores as lanes; mocha runs last, so the tests that plan a stack all-stacks
 * already planned read its result from this run's plan cache (tools/plan/cache.ts) instead of
 * planning it again, and the plans it has not run go to the same lanes' warm plan workers
 * through a plan server (tools/plan/plan-server.ts). Every step runs even when one fails; each
 * failing step prints its output; the exit status is 1 when any step failed.
 */

interface Step {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
}

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

/** Runs a command to completion; its output is kept, to print whole when the step ends. */
function capture(command: string, args: readonly string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", (err) => resolve({ ok: false, out: `${out}${String(err)}\n` }));
    child.on("close", (status) => resolve({ ok: status === 0, out }));
  });
}

/** Runs a command with its output going straight to this terminal. */
function stream(command: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: "inherit" });
    child.on("error", (err) => {
      console.error(String(err));
      resolve(false);
    });
    child.on("close", (status) => resolve(status === 0));
  });
}

async function timed(name: string, work: () => Promise<boolean>): Promise<Step> {
  const started = Date.now();
  const ok = await work();
  return { name, ok, seconds: (Date.now() - started) / 1000 };
}

/** A check on a lane; its output is printed when it ends, in full when it failed. */
function check(lanes: Lanes, name: string, command: string, args: readonly string[]) {
  return timed(name, () =>
    lanes.run(async () => {
      const { ok, out } = await capture(command, args);
      console.log(`\n== ${name}: ${ok ? "ok" : "FAILED"}`);
      if (!ok || out.trim() !== "") console.log(out.trimEnd());
      return ok;
    }),
  );
}

async function runSteps(lanes: Lanes, runner: PlanRunner, testPacks: PlanRunner): Promise<Step[]> {
  // Each mocha process borrows one lane's pack for the tests that speak to a pack
  // (tools/plan/shared-packs.ts). They start now, beside the checks.
  const testPackAddresses = testPacks.packAddresses();
  // The longest checks are queued first: the many short plans then fill the lanes evenly.
  const checks = [
    // One TypeScript program serves the type check and ESLint's typed rules (tools/check).
    check(lanes, "typecheck and eslint", bin("tsx"), [
      path.join("tools", "check", "typed-checks.ts"),
    ]),
    check(lanes, "prettier", bin("prettier"), ["--check", "."]),
  ];
  const plans = timed("plans of every stack", async () => {
    const lines: string[] = [];
    const { ok, line } = conclude(await planAllStacks(runner, (l) => lines.push(l)));
    console.log(`\n== plans of every stack: ${ok ? "ok" : "FAILED"}\n${lines.join("\n")}\n${line}`);
    return ok;
  });
  const first = await Promise.all([...checks, plans]);
  process.env[testPacksVariable] = (await testPackAddresses).join(",");
  const server = await servePlans(runner);
  process.env[planServerVariable] = server.address;
  console.log("\n== mocha");
  try {
    const mocha = await timed("mocha", () =>
      stream(bin("mocha"), ["--parallel", "--jobs", String(lanes.count), "tests/**/*.test.ts"]),
    );
    return [...first, mocha];
  } finally {
    await server.close();
  }
}

async function main(): Promise<number> {
  const cacheRoot = path.join(repoRoot, "reports", "plan-cache");
  fs.mkdirSync(cacheRoot, { recursive: true });
  const runCache = fs.mkdtempSync(path.join(cacheRoot, "run-"));
  process.env[cacheDirVariable] = runCache;
  const lanes = new Lanes(defaultLanes());
  const runner = new PlanRunner(lanes);
  const testPacks = new PlanRunner(lanes);
  process.once("SIGINT", () => {
    fs.rmSync(runCache, { recursive: true, force: true });
    process.exit(130);
  });
  const started = Date.now();
  try {
    const steps = await runSteps(lanes, runner, testPacks);
    console.log("\n== npm test");
    for (const s of steps) {
      console.log(`${s.ok ? "ok    " : "FAILED"} ${s.name} (${s.seconds.toFixed(0)} s)`);
    }
    console.log(`${((Date.now() - started) / 1000).toFixed(0)} s in all on ${lanes.count} lane(s)`);
    return steps.every((s) => s.ok) ? 0 : 1;
  } finally {
    await Promise.all([runner.close(), testPacks.close()]);
    fs.rmSync(runCache, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
