import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PolicyPackProcess } from "./analyzer";
import { cacheableRun, cacheDir, readCached, repoRoot, writeCached, type PlanRun } from "./cache";
import { cliOptions } from "./cli-options";

/** As many lanes as the machine has cores: each plan is one process, busy on one core. */
export function defaultLanes(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * A fixed number of lanes: a task waits for a free one and is told which it got, so that
 * what a lane owns (a policy pack process) serves one task at a time.
 */
export class Lanes {
  private readonly free: number[];
  private readonly waiting: ((lane: number) => void)[] = [];

  constructor(readonly count: number) {
    this.free = Array.from({ length: count }, (_, i) => i);
  }

  async run<T>(task: (lane: number) => Promise<T>): Promise<T> {
    const lane = this.free.shift() ?? (await new Promise<number>((r) => this.waiting.push(r)));
    try {
      return await task(lane);
    } finally {
      const next = this.waiting.shift();
      if (next) next(lane);
      else this.free.push(lane);
    }
  }
}

/** A finished plan CLI run, and how long it took (0 when the run's cache answered it). */
export interface TimedRun extends PlanRun {
  readonly seconds: number;
  readonly cached: boolean;
}

export const packDir = path.join(repoRoot, "policies");
const tsxCli = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
const planCli = path.join(repoRoot, "tools", "plan", "cli.ts");

/** The command line of the plan CLI with these arguments, run from the repository. */
export function planCommand(args: readonly string[]): string[] {
  return [tsxCli, planCli, ...args];
}

/** True when a run asks for the project's own pack (no --no-policy, no --policy-pack). */
export function usesDefaultPack(args: readonly string[]): boolean {
  try {
    const { values } = parseArgs({ args: [...args], options: cliOptions });
    return !values["no-policy"] && values["policy-pack"] === undefined;
  } catch {
    return false;
  }
}

/**
 * Runs plan CLI invocations on lanes, each in its own process as before. A lane starts the
 * policy pack once and hands its address to every plan it runs that asks for the project's
 * pack; each plan still configures it with its own policy and stack config. Results go
 * through the run's plan cache (tools/plan/cache.ts) when PLAN_CACHE_DIR is set.
 */
export class PlanRunner {
  private readonly packs = new Map<number, Promise<PolicyPackProcess>>();

  constructor(private readonly lanes: Lanes) {}

  run(args: readonly string[]): Promise<TimedRun> {
    const dir = cacheDir();
    const cacheable = dir ? cacheableRun(args) : undefined;
    const hit = dir && cacheable ? readCached(dir, cacheable) : undefined;
    if (hit) return Promise.resolve({ ...hit, seconds: 0, cached: true });
    return this.lanes.run(async (lane) => {
      const started = Date.now();
      const address = usesDefaultPack(args) ? (await this.pack(lane)).address : undefined;
      if (cacheable) fs.rmSync(cacheable.json, { force: true });
      const result = await spawnPlan(address ? [...args, "--policy-pack-address", address] : args);
      if (dir && cacheable && result.status !== null) writeCached(dir, cacheable, result);
      return { ...result, seconds: (Date.now() - started) / 1000, cached: false };
    });
  }

  /** The address of each lane's pack, starting those not running. */
  async packAddresses(): Promise<string[]> {
    const lanes = Array.from({ length: this.lanes.count }, (_, lane) => lane);
    return Promise.all(lanes.map(async (lane) => (await this.pack(lane)).address));
  }

  /** Stops every pack the lanes started. */
  async close(): Promise<void> {
    const packs = await Promise.allSettled(this.packs.values());
    this.packs.clear();
    for (const p of packs) if (p.status === "fulfilled") await p.value.stop();
  }

  /** The lane's pack, started on first use and again if it has exited since. */
  private async pack(lane: number): Promise<PolicyPackProcess> {
    const current = this.packs.get(lane);
    if (current) {
      const pack = await current.catch(() => undefined);
      if (pack?.running) return pack;
    }
    const started = PolicyPackProcess.start(packDir);
    this.packs.set(lane, started);
    return started;
  }
}

function spawnPlan(args: readonly string[]): Promise<PlanRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, planCommand(args), {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
