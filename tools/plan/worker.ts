import { plannerFailure, runCli } from "./cli";
import type { PlanRun } from "./cache";
import { exitCodes } from "./outcome";
import type { PlanAnswer, PlanRequest } from "./worker-process";

/**
 * A plan CLI that stays up and plans one stack after another (tools/plan/lanes.ts runs one per
 * lane). A process that plans once spends most of a small stack's time loading the SDK, the
 * providers' modules and the planner; here they load once. Each run is the CLI's own
 * (`runCli`) with its output captured, and starts from what the CLI would see in a new
 * process: the SDK's runtime is reset by the recording monitor each plan installs, the
 * program's config by its stack settings, and the program's own modules (everything loaded
 * since this process started that is not an installed package) are evaluated again.
 *
 * Protocol, over the IPC channel of `child_process.spawn`: the parent sends `{ id, args }`,
 * one at a time; the worker answers `{ id, status, stdout, stderr }`. A run whose program
 * failed may leave work behind (rejections, timers) that a later run would take for its own,
 * so the parent retires a worker after any run that did not end clean or with violations
 * (`reusableAfter` in tools/plan/worker-process.ts).
 */

const loadedAtStart = new Set(Object.keys(require.cache));

/** Forgets every module a former run's program loaded, installed packages aside. */
function forgetProgramModules(): void {
  for (const file of Object.keys(require.cache)) {
    if (loadedAtStart.has(file) || /[\\/]node_modules[\\/]/.test(file)) continue;
    delete require.cache[file];
  }
}

type Write = typeof process.stdout.write;

/** Runs `work` with everything written to stdout and stderr kept instead of printed. */
async function captured(work: () => Promise<number>): Promise<PlanRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const keep =
    (into: string[]): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((r): r is () => void => typeof r === "function");
      done?.();
      return true;
    };
  process.stdout.write = keep(out);
  process.stderr.write = keep(err);
  let status: number;
  try {
    status = await work();
  } catch (failure) {
    err.push(`${plannerFailure(failure)}\n`);
    status = exitCodes["planner-failed"];
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return { status, stdout: out.join(""), stderr: err.join("") };
}

async function serve(request: PlanRequest): Promise<PlanAnswer> {
  forgetProgramModules();
  const run = await captured(() => runCli(request.args));
  return { id: request.id, ...run };
}

if (require.main === module) {
  if (!process.send) {
    console.error("tools/plan/worker.ts runs under a parent that speaks to it over IPC");
    process.exit(exitCodes.usage);
  }
  let queue = Promise.resolve();
  process.on("message", (request: PlanRequest) => {
    queue = queue.then(async () => {
      process.send?.(await serve(request));
    });
  });
  process.on("disconnect", () => process.exit(0));
}
