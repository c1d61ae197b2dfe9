import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CostEstimate } from "../../tools/cost/estimate";
import { seedBudget, seedFootprints } from "../../tools/cost/seeds";
import type { PlanReport } from "../../tools/plan/report";
import { repoRoot, runPlanCli } from "../support/run";
import { cents, hours, listPrice } from "./fixtures";

type CostedReport = PlanReport & { cost?: CostEstimate };

/** Every stack of the repo and of each example, as `npm test` plans them. */
function stacks(): { project: string; dir: string; stack: string }[] {
  const examples = fs
    .readdirSync(path.join(repoRoot, "examples"))
    .map((d) => path.join(repoRoot, "examples", d));
  return [repoRoot, ...examples.sort()]
    .filter((dir) => fs.existsSync(path.join(dir, "Pulumi.yaml")))
    .flatMap((dir) =>
      fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort()
        .map((stack) => ({
          project: dir === repoRoot ? "platform" : path.basename(dir),
          dir,
          stack,
        })),
    );
}

function plan(dir: string, stack: string): CostedReport {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cost-")), "plan.json");
  const run = runPlanCli(["--dir", dir, "--stack", stack, "--quiet", "--json", json]);
  assert.equal(run.status, 0, `${dir} ${stack}: ${run.stderr}`);
  return JSON.parse(fs.readFileSync(json, "utf8")) as CostedReport;
}

function budgetOf(dir: string, stack: string): number | undefined {
  const file = path.join(dir, `Pulumi.${stack}.policy.json`);
  if (!fs.existsSync(file)) return undefined;
  const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<
    string,
    { monthlyBudgetUsd?: number }
  >;
  return config["stack-monthly-budget"]?.monthlyBudgetUsd;
}

describe("Every stack's plan carries its monthly estimate", function () {
  this.timeout(600_000);

  for (const { project, dir, stack } of stacks()) {
    describe(`${project}/${stack}`, () => {
      let report: CostedReport;
      before(() => {
        report = plan(dir, stack);
      });

      it("has a cost section whose components and clouds add up to its total", () => {
        const cost = report.cost;
        assert.ok(cost, "no cost section");
        const lines = cost.lines.reduce((s, l) => s + l.usd, 0);
        const components = Object.values(cost.byComponent).reduce((s, m) => s + m.usd, 0);
        const clouds = Object.values(cost.byCloud).reduce((s, m) => s + m.usd, 0);
        // Sums in another order differ in the last bits, never by a cent.
        for (const [what, sum] of Object.entries({ lines, components, clouds })) {
          assert.ok(
            Math.abs(sum - cost.total.usd) < 0.005,
            `${what} add up to ${sum}, the total is ${cost.total.usd}`,
          );
        }
      });

      it("prices, frees or lists by name and count every resource it plans", () => {
        const cost = report.cost!;
        const counts = new Map<string, number>();
        for (const r of report.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        const priced = new Map<string, Set<string>>();
        for (const l of cost.lines)
          priced.set(l.type, (priced.get(l.type) ?? new Set()).add(l.name));
        for (const [type, count] of counts) {
          const listed = cost.unpriced.find((u) => u.type === type)?.count ?? 0;
          const accounted = (priced.get(type)?.size ?? 0) + (cost.free[type] ?? 0) + listed;
          assert.equal(
            accounted,
            count,
            `${type}: ${count} planned, ${accounted} priced, free or listed`,
          );
        }
      });

      const seed = seedFootprints[`${project}/${stack}`];
      if (seed) {
        it(`sets the budget seed ${seed.seed.split(" ")[0]}'s stated footprint implies`, () => {
          assert.equal(budgetOf(dir, stack), seedBudget(report.cost!, seed));
        });
      }
    });
  }
});

describe("The prod estimate against the catalog and the plan's own inputs", function () {
  this.timeout(300_000);
  let report: CostedReport;
  before(() => {
    report = plan(repoRoot, "prod");
  });

  it("prices the EKS node group at the planned instance type, desired size and disks", () => {
    const group = report.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;
    const inputs = group.inputs as {
      instanceTypes: string[];
      scalingConfig: { desiredSize: number };
    };
    const template = report.resources.find(
      (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate",
    )!;
    const disk = (template.inputs as { blockDeviceMappings: { ebs: { volumeSize: number } }[] })
      .blockDeviceMappings[0]!.ebs.volumeSize;
    const aws = (sku: string) => listPrice("aws", sku, "us-east-1");
    const expected =
      inputs.scalingConfig.desiredSize *
      (aws(`ec2.${inputs.instanceTypes[0]!}`) * hours + disk * aws("ebs.gp3"));
    const line = report.cost!.lines.find((l) => l.type === "aws:eks/nodeGroup:NodeGroup")!;
    assert.equal(cents(line.usd), cents(expected));
  });

  it("stays within the prod budget its policy config makes mandatory", () => {
    const budget = budgetOf(repoRoot, "prod");
    assert.ok(budget !== undefined && report.cost!.total.usd <= budget);
  });
});
