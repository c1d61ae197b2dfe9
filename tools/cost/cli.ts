import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanReport } from "../plan/report";
import type { CostEstimate } from "./estimate";
import { compareTable, costTable } from "./table";

/** Prints the plan's estimate and, with `compare`, its difference from another stack's. */
export function printCost(
  report: PlanReport & { cost?: CostEstimate },
  dir: string,
  compare: string | undefined,
): void {
  if (!report.cost) return;
  console.log(`\n${costTable(report.cost, report.project, report.stack)}`);
  if (!compare) return;
  const other = planOther(dir, compare);
  if (!other) {
    console.error(`\nThe program of stack ${compare} failed; nothing to compare.`);
    return;
  }
  console.log(`\n${compareTable(report.cost, other, report.stack, compare)}`);
}

/**
 * The other stack's estimate, from a plan in a process of its own (the SDK's runtime is global
 * to a process) and without the pack: only its resources are priced.
 */
function planOther(dir: string, stack: string): CostEstimate | undefined {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-cost-")), "other.json");
  const cli = path.join(__dirname, "..", "plan", "cli.ts");
  const args = ["--dir", dir, "--stack", stack, "--no-policy", "--quiet", "--json", json];
  spawnSync(process.execPath, [...process.execArgv, cli, ...args], { stdio: "ignore" });
  if (!fs.existsSync(json)) return undefined;
  const other = JSON.parse(fs.readFileSync(json, "utf8")) as { cost?: CostEstimate };
  fs.rmSync(path.dirname(json), { recursive: true, force: true });
  return other.cost;
}
