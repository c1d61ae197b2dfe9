import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mermaidDiagram } from "../../tools/plan/mermaid";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { repoRoot, runPlanCli } from "../support/run";

/** An example's stack planned offline with the policy pack, as `npm run plan` does. */
export class PlannedExample {
  constructor(
    readonly dir: string,
    readonly report: PlanReport,
  ) {}

  /**
   * Every planned resource of a type on the primary site. A prod stack's GCP standby runs the
   * same services again under `standby-` names; tests/plan/standby.test.ts specifies it.
   */
  ofType(type: string): ReportResource[] {
    return this.report.resources.filter((r) => r.type === type && !r.name.startsWith("standby-"));
  }

  /** The inputs of the one resource with this type and name; fails when there is none. */
  inputs(type: string, name: string): unknown {
    const found = this.ofType(type).filter((r) => r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0]!.inputs;
  }

  /** The policy verdicts that refuse the plan. */
  mandatoryViolations(): string[] {
    return this.report.violations
      .filter((v) => v.enforcementLevel === "mandatory")
      .map((v) => `${v.policyName} on ${v.urn}`);
  }

  /** The Mermaid block of the example's README. */
  readmeDiagram(): string {
    const readme = fs.readFileSync(path.join(this.dir, "README.md"), "utf8");
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, `${this.dir}/README.md has no mermaid block`);
    return block[1]!;
  }

  /** The diagram `npm run plan -- --mermaid` draws from this plan. */
  diagram(): string {
    return mermaidDiagram(this.report);
  }
}

/** Plans `examples/<system>` at `stack` in its own process and reads the JSON report. */
export function planExample(system: string, stack: string): PlannedExample {
  const dir = path.join(repoRoot, "examples", system);
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "example-")), "plan.json");
  const run = runPlanCli(["--dir", dir, "--stack", stack, "--quiet", "--json", json]);
  assert.ok(
    run.status === 0 || run.status === 2,
    `planning examples/${system} --stack ${stack} failed (exit ${String(run.status)}):\n${run.stderr}`,
  );
  return new PlannedExample(dir, JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport);
}

/** The value at a path of keys inside planned inputs; undefined where a key is missing. */
export function at(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
