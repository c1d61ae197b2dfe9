import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** Runs the offline plan CLI as a separate process, as a user or CI would. */
export function runPlanCli(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const result = spawnSync(
    process.execPath,
    [tsx, path.join(repoRoot, "tools", "plan", "cli.ts"), ...args],
    {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 180_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
