import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cliOptions } from "./cli-options";
import { describeSlowChain } from "./chains";
import { deferPromiseStacks } from "./lazy-stacks";
import { mermaidDiagram } from "./mermaid";
import { mandatoryViolations, planStack } from "./plan";
import { degradedTable, summaryTable, tree, violationsTable } from "./report";
import { printCost } from "../cost/cli";
import { withCost } from "../cost/report";

const usage = `usage: npm run plan -- --stack <name> [--dir <project dir>] [--json <file>] [--mermaid <file>]
                     [--policy-pack <dir> | --no-policy] [--policy-config <file>] [--preview] [--quiet]
                     [--policy-pack-address <host:port>] [--cost [--compare <stack>]]

Runs the stack's program offline under mocks, lists every resource it would register and
sends them to the policy pack over the analyzer protocol. --mermaid writes the stack's
component-level architecture as a Mermaid flowchart (components grouped by cloud, edges from
their dependencies). --policy-pack-address uses a pack already serving that policy pack
(npm test starts one per concurrent plan) instead of starting one; the plan still sends it
the stack's policy and stack config. Exit codes: 0 clean, 1 the program failed, 2 a mandatory policy
violation, 64 bad usage. --cost prints the monthly estimate per component and cloud
(--json always carries it as "cost"); --compare <stack> prints the difference by component.`;

async function main(): Promise<number> {
  deferPromiseStacks();
  let values;
  try {
    ({ values } = parseArgs({ options: cliOptions }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return 64;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.stack) {
    console.error(`--stack is required\n\n${usage}`);
    return 64;
  }
  const repoRoot = path.resolve(__dirname, "..", "..");
  const policyPack = values["no-policy"]
    ? undefined
    : path.resolve(values["policy-pack"] ?? path.join(repoRoot, "policies"));

  const report = await planStack({
    dir: values.dir,
    stack: values.stack,
    policyPack,
    policyConfig: values["policy-config"],
    preview: values.preview,
    policyPackAddress: values["policy-pack-address"],
  });

  if (values.json) {
    fs.mkdirSync(path.dirname(path.resolve(values.json)), { recursive: true });
    fs.writeFileSync(values.json, `${JSON.stringify(withCost(report), null, 2)}\n`);
  }
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
    console.error(`\nThe program failed:\n${report.errors.map((e) => `  ${e}`).join("\n")}`);
    return 1;
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
        "\nMandatory verdicts a first preview could not reach (values unknown until the update):",
      );
      console.log(degradedTable(report.degraded ?? []));
    }
  }
  if (values.cost) printCost(withCost(report), values.dir, values.compare);
  const mandatory = mandatoryViolations(report);
  if (mandatory.length > 0) {
    console.error(`\n${mandatory.length} mandatory policy violation(s): the plan is refused.`);
    return 2;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
