import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PolicyDiagnostic } from "./analyzer";
import { exitCodes, type Outcome } from "./outcome";
import { ProjectError, ProjectUsageError } from "./project";
import { ProjectMocksError } from "./project-mocks";
import type { PlanReport } from "./report";

/** What the plan CLI does around a plan: its output files, its failures, its preview check. */

/** Fails at once, before any planning, when an output file cannot be written. */
export function unwritable(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const target = path.resolve(file);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) return "it is a folder";
    fs.accessSync(fs.existsSync(target) ? target : path.dirname(target), fs.constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What a plan that could not start or finish reports: its errors and its outcome. */
export function failedReport(stack: string, errors: string[], preview: boolean): PlanReport {
  return {
    project: "",
    stack,
    preview,
    resources: [],
    outputs: {},
    violations: [],
    errors,
    slowChain: { minutes: 0, chain: [], dataStores: [] },
  };
}

/** The outcome of an error thrown before or while planning, and how it is printed. */
export function classify(err: unknown): { outcome: Outcome; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ProjectUsageError) return { outcome: "usage", message };
  if (err instanceof ProjectError || err instanceof ProjectMocksError) {
    return { outcome: "program-failed", message };
  }
  const stack = err instanceof Error ? (err.stack ?? message) : message;
  return { outcome: "planner-failed", message: `the planner failed: ${stack}` };
}

/**
 * The verdicts of the stack's update plan, for a preview to compare with: from the report
 * `--update-report` names, else from a plan this CLI runs first, in a process of its own, with
 * the same options (`argv`) and without --preview. Undefined (no comparison) when that plan could not check the stack.
 */
export function updateVerdicts(
  reportFile: string | undefined,
  argv: readonly string[],
): PolicyDiagnostic[] | undefined {
  let file = reportFile;
  if (!file) {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-update-")), "update.json");
    const args = argv
      .filter((a) => a !== "--preview")
      .filter(
        (a, i, all) =>
          a !== "--json" &&
          a !== "--mermaid" &&
          !/^--(json|mermaid)$/.test(all[i - 1] ?? "") &&
          !/^--(json|mermaid)=/.test(a),
      );
    spawnSync(
      process.execPath,
      [...process.execArgv, path.join(__dirname, "cli.ts"), ...args, "--quiet", "--json", file],
      {
        stdio: "ignore",
      },
    );
  }
  if (!fs.existsSync(file)) return undefined;
  const update = JSON.parse(fs.readFileSync(file, "utf8")) as PlanReport;
  return update.errors.length === 0 && update.policyPack ? [...update.violations] : undefined;
}

export function writeJson(file: string, report: PlanReport, outcome: Outcome): void {
  const withOutcome = { ...report, outcome, exitCode: exitCodes[outcome] };
  fs.writeFileSync(file, `${JSON.stringify(withOutcome, null, 2)}\n`);
}
