import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { cacheableRun, cacheDir, readCached, repoRoot, writeCached } from "../../tools/plan/cache";
import { planCommand, usesDefaultPack } from "../../tools/plan/lanes";
import { lentPlanPack } from "../../tools/plan/shared-packs";

export { repoRoot };

/**
 * Runs the offline plan CLI as a separate process, as a user or CI would. Inside `npm test`,
 * a run with the same options on the same sources (tools/plan/cache.ts) is answered from the
 * run's plan cache: the report is written where `--json` asks and the exit status and output
 * are those the CLI gave.
 */
export function runPlanCli(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const dir = cacheDir();
  const cacheable = dir ? cacheableRun(args) : undefined;
  const hit = dir && cacheable ? readCached(dir, cacheable) : undefined;
  if (hit) return hit;
  if (cacheable) removeStaleReport(cacheable.json);
  // Inside `npm test`, the plan configures the pack lent to this process instead of starting one.
  const lent = usesDefaultPack(args) ? lentPlanPack() : undefined;
  const command = planCommand(lent ? [...args, "--policy-pack-address", lent] : args);
  const result = spawnSync(process.execPath, command, {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 180_000,
  });
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  if (dir && cacheable && run.status !== null) writeCached(dir, cacheable, run);
  return run;
}

/** Removes a report a former run left where `--json` points; a path the CLI must refuse is left alone. */
function removeStaleReport(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOTDIR") throw err;
  }
}
