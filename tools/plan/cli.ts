import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cliOptions } from "./cli-options";
import { describeSlowChain } from "./chains";
import { classify, failedReport, unwritable, updateVerdicts, writeJson } from "./cli-run";
import { deferPromiseStacks } from "./lazy-stacks";
import { mermaidDiagram } from "./mermaid";
import { exitCodes, outcomeOf } from "./outcome";
import { mandatoryViolations, planStack } from "./plan";
import {
  blindSpots,
  degradedTable,
  summaryTable,
  tree,
  violationsTable,
  type PlanReport,
} from "./report";
import { printCost } from "../cost/cli";
import { withCost } from "../cost/report";

const usage = `usage: npm run plan -- --stack <name> [--dir <project dir>] [--json <file>] [--mermaid <file>]
                     [--policy-pack <dir> | --no-policy] [--policy-config <file>] [--preview] [--quiet]
                     [--policy-pack-address <host:port>] [--update-report <file>]
                     [--cost [--compare <stack>]]

Runs the stack's program offline under mocks, lists every resource it would register and
sends them to the policy pack over the analyzer protocol. --mermaid writes the stack's
component-level architecture as a Mermaid flowchart (components grouped by cloud, edges from
their dependencies). --policy-pack-address uses a pack already serving that policy pack
(npm test starts one per concurrent plan) instead of starting one; the plan still sends it
the stack's policy and stack config. A --preview also reports as degraded every verdict the
update plan of the same stack reaches and the preview does not: --update-report names that
plan's --json, else the preview plans the update first. Calls the planner cannot answer (data sources, reads,
stack references) are answered by plan.mocks.ts, .js or .json in the project folder; with
--preview, one without an answer stays unknown.

Exit codes: 0 clean (every resource seen and checked); 1 the program failed (its own error,
bad stack config, a refused default provider); 2 a mandatory policy violation; 3 incomplete
(no mandatory violation in what was seen, but components were not expanded or calls had no
answer); 4 the planner or the policy pack failed; 64 bad usage (options, --dir, --stack,
an unwritable --json or --mermaid). --json is written in every case but 64, with errors[].

--cost prints the monthly estimate per component and cloud (--json always carries it as
"cost"); --compare <stack> prints the difference by component.`;

/**
 * One run of the plan CLI with these arguments, printing to this process's console; returns
 * the exit code. A process may call it again for another stack (tools/plan/worker.ts), one run
 * at a time: the SDK's runtime is global.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  deferPromiseStacks();
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: cliOptions }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return exitCodes.usage;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.stack) {
    console.error(`--stack is required\n\n${usage}`);
    return exitCodes.usage;
  }
  for (const [option, file] of [
    ["--json", values.json],
    ["--mermaid", values.mermaid],
  ] as const) {
    const reason = unwritable(file);
    if (reason) {
      console.error(`${option} ${String(file)} cannot be written: ${reason}\n\n${usage}`);
      return exitCodes.usage;
    }
  }
  const repoRoot = path.resolve(__dirname, "..", "..");
  const policyPack = values["no-policy"]
    ? undefined
    : path.resolve(values["policy-pack"] ?? path.join(repoRoot, "policies"));

  let planned: PlanReport;
  try {
    planned = await planStack({
      dir: values.dir,
      stack: values.stack,
      policyPack,
      policyConfig: values["policy-config"],
      preview: values.preview,
      policyPackAddress: values["policy-pack-address"],
      updateVerdicts:
        values.preview && policyPack ? updateVerdicts(values["update-report"], argv) : undefined,
    });
  } catch (err) {
    const { outcome, message } = classify(err);
    if (outcome === "usage") {
      console.error(`${message}\n\n${usage}`);
      return exitCodes.usage;
    }
    const failed = failedReport(values.stack, [message], values.preview);
    if (values.json) writeJson(values.json, failed, outcome);
    console.error(`\n${outcome === "planner-failed" ? "" : "The program failed:\n  "}${message}`);
    return exitCodes[outcome];
  }
  const outcome = outcomeOf(planned);
  const report: PlanReport = { ...planned, outcome, exitCode: exitCodes[outcome] };

  if (values.json) writeJson(values.json, withCost(report), outcome);
  if (values.mermaid && report.errors.length === 0) {
    fs.mkdirSync(path.dirname(path.resolve(values.mermaid)), { recursive: true });
    fs.writeFileSync(values.mermaid, mermaidDiagram(report));
  }
  const resources = report.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  console.log(
    `Plan of ${report.project}/${report.stack}${report.preview ? " (preview: computed values unknown)" : ""}: ` +
      `${resources.length} resources`,
  );
  if (report.errors.length > 0) {
    const what =
      outcome === "incomplete"
        ? "The program could not run to completion offline (incomplete)"
        : "The program failed";
    console.error(`\n${what}:\n${report.errors.map((e) => `  ${e}`).join("\n")}`);
    return exitCodes[outcome];
  }
  console.log(summaryTable(report));
  if (!values.quiet) console.log(`\n${tree(report)}`);
  console.log(`\n${describeSlowChain(report.slowChain)}`);
  if (report.policyPack) {
    console.log(
      `\nPolicy pack ${report.policyPack.name}@${report.policyPack.version} (${report.policyPack.policies} policies):`,
    );
    console.log(violationsTable(report.violations));
    if (report.preview) {
      console.log(
        "\nVerdicts degraded in this preview (mandatory ones on unknown values, and any the update reaches that the preview does not):",
      );
      console.log(degradedTable(report.degraded ?? []));
    }
  }
  const blind = blindSpots(report);
  if (blind.length > 0) console.log(`\n${blind.join("\n")}`);
  if (values.cost) printCost(withCost(report), values.dir, values.compare);
  const mandatory = mandatoryViolations(report);
  if (mandatory.length > 0) {
    console.error(`\n${mandatory.length} mandatory policy violation(s): the plan is refused.`);
  } else if (outcome === "incomplete") {
    console.error(
      "\nIncomplete: no mandatory violation in what the plan saw, but it did not see everything.",
    );
  }
  return exitCodes[outcome];
}

/** What a run that threw, instead of returning its exit code, prints: the planner failed. */
export function plannerFailure(err: unknown): string {
  return `the planner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(plannerFailure(err));
      process.exit(exitCodes["planner-failed"]);
    },
  );
}
