import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PolicyPackProcess } from "./analyzer";
import {
  cacheableRun,
  cacheDir,
  readCached,
  removeStaleReport,
  repoRoot,
  writeCached,
  type PlanRun,
} from "./cache";
import { cliOptions } from "./cli-options";
import { PlanWorkerProcess, tsxCli } from "./worker-process";

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
 * Runs plan CLI invocations on lanes. A lane keeps one plan worker (tools/plan/worker.ts),
 * which loads the planner, the SDK and the providers once and plans one stack after another,
 * and one policy pack, whose address it hands to every plan it runs that asks for the
 * project's pack; each plan still configures the pack with its own policy and stack config.
 * A worker retired after a failed program is replaced on the lane's next run. Results go
 * through the run's plan cache (tools/plan/cache.ts) when PLAN_CACHE_DIR is set.
 */
export class PlanRunner {
  private readonly packs = new Map<number, Promise<PolicyPackProcess>>();
  private readonly workers = new Map<number, PlanWorkerProcess>();

  constructor(private readonly lanes: Lanes) {}

  run(args: readonly string[]): Promise<TimedRun> {
    const dir = cacheDir();
    const cacheable = dir ? cacheableRun(args) : undefined;
    const hit = dir && cacheable ? readCached(dir, cacheable) : undefined;
    if (hit) return Promise.resolve({ ...hit, seconds: 0, cached: true });
    return this.lanes.run(async (lane) => {
      const started = Date.now();
      const address = usesDefaultPack(args) ? (await this.pack(lane)).address : undefined;
      if (cacheable) removeStaleReport(cacheable.json);
      const result = await this.worker(lane).run(
        address ? [...args, "--policy-pack-address", address] : args,
      );
      if (dir && cacheable && result.status !== null) writeCached(dir, cacheable, result);
      return { ...result, seconds: (Date.now() - started) / 1000, cached: false };
    });
  }

  /** The address of each lane's pack, starting those not running. */
  async packAddresses(): Promise<string[]> {
    const lanes = Array.from({ length: this.lanes.count }, (_, lane) => lane);
    return Promise.all(lanes.map(async (lane) => (await this.pack(lane)).address));
  }

  /** Stops every worker and pack the lanes started. */
  async close(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.stop()));
    const packs = await Promise.allSettled(this.packs.values());
    this.packs.clear();
    for (const p of packs) if (p.status === "fulfilled") await p.value.stop();
  }

  /** The lane's plan worker, started on first use and again once it is no longer usable. */
  private worker(lane: number): PlanWorkerProcess {
    const current = this.workers.get(lane);
    if (current?.usable) return current;
    const started = PlanWorkerProcess.start();
    this.workers.set(lane, started);
    return started;
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
