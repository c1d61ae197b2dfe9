import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./cache";
import { defaultLanes, Lanes, PlanRunner, type TimedRun } from "./lanes";
import type { PlanReport } from "./report";

/**
 * Plans every stack of the project and of each example, each in its own process (the SDK's
 * runtime is global to a process), with the policy pack: once as an update (every value
 * known) and once as a first preview (computed values unknown). Fails if any plan fails, or
 * if a preview leaves a mandatory encryption, pod-security or quota verdict unreached.
 * Plans run on as many lanes as the machine has cores, each lane with one policy pack
 * process that every plan on it configures for its own stack.
 */

/** Families whose mandatory verdicts must hold in a first preview. */
export const previewCriticalConcerns = ["encryption", "pod-security", "quotas"];

/** One plan of one stack: how it is named in the output, its CLI arguments and its report. */
export interface StackPlan {
  readonly label: string;
  readonly args: readonly string[];
  readonly json: string;
  readonly preview: boolean;
  /** The report of the plan that must finish first (a preview waits for its update). */
  readonly after?: string;
}

function stacksIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function projects(): string[] {
  const examples = path.join(repoRoot, "examples");
  const exampleDirs = fs.existsSync(examples)
    ? fs
        .readdirSync(examples)
        .map((d) => path.join(examples, d))
        .filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml")))
    : [];
  return [repoRoot, ...exampleDirs.sort()];
}

/** Every stack of every project, as an update and as a first preview; reports in reports/plans. */
export function stackPlans(): StackPlan[] {
  const plans: StackPlan[] = [];
  for (const dir of projects()) {
    const project = dir === repoRoot ? "platform" : path.basename(dir);
    for (const stack of stacksIn(dir)) {
      for (const preview of [false, true]) {
        const json = path.join(
          repoRoot,
          "reports",
          "plans",
          `${project}.${stack}${preview ? ".preview" : ""}.json`,
        );
        const args = ["--dir", dir, "--stack", stack, "--quiet", "--json", json];
        // The preview compares its verdicts with the update's, planned just before.
        const update = plans[plans.length - 1];
        plans.push({
          label: `${path.relative(repoRoot, dir) || "."} --stack ${stack}${preview ? " --preview" : ""}`,
          args: preview && update ? [...args, "--preview", "--update-report", update.json] : args,
          json,
          preview,
          ...(preview && update ? { after: update.json } : {}),
        });
      }
    }
  }
  return plans;
}

/** The line a finished plan prints, and whether it passed. */
export function judge(plan: StackPlan, run: TimedRun): { ok: boolean; line: string } {
  const { label } = plan;
  const took = run.cached ? "from this run's cache" : `${run.seconds.toFixed(1)} s`;
  if (run.status !== 0) {
    return {
      ok: false,
      line: `FAIL ${label} (exit ${String(run.status)}, ${took})\n${run.stdout}\n${run.stderr}`,
    };
  }
  const report = JSON.parse(fs.readFileSync(plan.json, "utf8")) as PlanReport;
  const degraded = (report.degraded ?? []).filter(
    (d) =>
      previewCriticalConcerns.includes(d.concern) &&
      (d.level === "mandatory" || d.level === "remediate"),
  );
  if (degraded.length > 0) {
    return {
      ok: false,
      line:
        `FAIL ${label}: ${degraded.length} mandatory verdict(s) unreachable in a first preview:\n` +
        degraded
          .map(
            (d) =>
              `  ${d.policyName} on ${d.urn} ${d.reason === "unknown-value" ? `reads unknown ${d.path}` : "is reached by the update only"}`,
          )
          .join("\n"),
    };
  }
  const summary = /^Plan of .*$/m.exec(run.stdout)?.[0] ?? "";
  const other = (report.degraded ?? []).length;
  return {
    ok: true,
    line: `ok   ${label} (${took}) ${summary}${plan.preview ? `; degraded verdicts: ${other}` : ""}`,
  };
}

/**
 * Runs every stack plan on the runner's lanes and prints one line per plan, in a fixed order,
 * as each finishes. Returns the labels of the plans that failed.
 */
export async function planAllStacks(
  runner: PlanRunner,
  print: (line: string) => void = console.log,
): Promise<string[]> {
  const plans = stackPlans();
  // Every plan is queued at once; a failure is held until its line is printed.
  const finished = new Map<string, Promise<unknown>>();
  const verdicts = plans.map((plan) => {
    const run = (finished.get(plan.after ?? "") ?? Promise.resolve()).then(() =>
      runner.run(plan.args),
    );
    finished.set(
      plan.json,
      run.catch(() => undefined),
    );
    return run
      .then((r) => judge(plan, r))
      .catch((err: unknown) => ({ ok: false, line: `FAIL ${plan.label}: ${String(err)}` }));
  });
  const failures: string[] = [];
  for (const [i, plan] of plans.entries()) {
    const verdict = await verdicts[i]!;
    if (!verdict.ok) failures.push(plan.label);
    print(verdict.line);
  }
  return failures;
}

/** The closing line of a run of every stack plan, and whether every plan passed. */
export function conclude(failures: readonly string[]): { ok: boolean; line: string } {
  return failures.length > 0
    ? { ok: false, line: `${failures.length} stack plan(s) failed: ${failures.join("; ")}` }
    : {
        ok: true,
        line: "Every stack plans, as an update and as a first preview, and passes the policy pack.",
      };
}

async function main(): Promise<number> {
  const runner = new PlanRunner(new Lanes(defaultLanes()));
  try {
    const { ok, line } = conclude(await planAllStacks(runner));
    if (ok) console.log(`\n${line}`);
    else console.error(`\n${line}`);
    return ok ? 0 : 1;
  } finally {
    await runner.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
