import { spawnSync } from "node:child_process";
import {
  cacheableRun,
  cacheDir,
  readCached,
  removeStaleReport,
  repoRoot,
  writeCached,
} from "../../tools/plan/cache";
import * as path from "node:path";
import { planCommand } from "../../tools/plan/lanes";
import { planServerVariable } from "../../tools/plan/plan-server";

export { repoRoot };

/**
 * Runs the offline plan CLI as a separate process, as a user or CI would. Inside `npm test`,
 * a run with the same options on the same sources (tools/plan/cache.ts) is answered from the
 * run's plan cache: the report is written where `--json` asks and the exit status and output
 * are those the CLI gave; any other run goes to the plan server `npm test` runs
 * (tools/plan/plan-server.ts), whose warm workers run the same CLI.
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
  const server = process.env[planServerVariable];
  const command = server ? [planClient, server, ...args] : planCommand(args);
  const result = spawnSync(process.execPath, command, {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 180_000,
  });
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  if (dir && cacheable && run.status !== null) writeCached(dir, cacheable, run);
  return run;
}

const planClient = path.join(repoRoot, "tools", "plan", "plan-client.mjs");
