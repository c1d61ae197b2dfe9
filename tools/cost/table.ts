import Table from "cli-table3";
import { describeAssumptions } from "./assumptions";
import { usd, type CostEstimate, type Money } from "./estimate";
import { againstSeed, seedBudget, seedFootprints } from "./seeds";

const cell = (n: number) => (n === 0 ? "-" : usd(n));
const range = (m: Money) => (m.minUsd === m.maxUsd ? "" : `${usd(m.minUsd)}..${usd(m.maxUsd)}`);
const style = { head: [], border: [] };

/** Monthly cost per component and cloud, the total, what is unpriced and what it assumes. */
export function costTable(estimate: CostEstimate, project: string, stack: string): string {
  const clouds = Object.keys(estimate.byCloud).sort();
  const table = new Table({
    head: ["component", ...clouds, "total /month", "autoscaling range"],
    style,
  });
  for (const [component, money] of Object.entries(estimate.byComponent)) {
    const cells = clouds.map((cloud) =>
      cell(
        estimate.lines
          .filter((l) => l.component === component && l.cloud === cloud)
          .reduce((s, l) => s + l.usd, 0),
      ),
    );
    table.push([component, ...cells, usd(money.usd), range(money)]);
  }
  const cloudTotals = clouds.map((c) => usd(estimate.byCloud[c]?.usd ?? 0));
  table.push(["total", ...cloudTotals, usd(estimate.total.usd), range(estimate.total)]);
  return [
    `Monthly estimate of ${project}/${stack} (on-demand list prices, USD):`,
    table.toString(),
    unpricedText(estimate),
    `Assumptions:\n${describeAssumptions(estimate.assumptions)
      .map((a) => `  ${a}`)
      .join("\n")}`,
    footprintText(estimate, `${project}/${stack}`),
  ].join("\n");
}

function unpricedText(estimate: CostEstimate): string {
  if (estimate.unpriced.length === 0)
    return `Every resource is priced or free (${estimate.free} free).`;
  const lines = estimate.unpriced.map((u) => `  ${u.type} x${u.count}: ${u.reason}`);
  return `Not priced (not in the total):\n${lines.join("\n")}`;
}

function footprintText(estimate: CostEstimate, key: string): string {
  const f = estimate.footprint;
  const own = `Footprint: ${f.vcpu} vCPU, ${f.memoryGb.toFixed(1)} GB memory, ${f.diskGb} GB storage.`;
  const seed = seedFootprints[key];
  if (!seed) return own;
  const parts = againstSeed(f, seed).map(
    (d) =>
      `${d.dimension} ${d.plan.toFixed(0)} vs ${d.seed} (${Math.abs(d.percent).toFixed(0)} % ${d.percent >= 0 ? "above" : "below"})`,
  );
  return (
    `${own}\nAgainst seed ${seed.seed}: ${parts.join(", ")}.\n` +
    `The seed's footprint implies a budget of ${usd(seedBudget(estimate, seed))} a month (monthlyBudgetUsd).`
  );
}

/** The difference by component between this stack's estimate and another's. */
export function compareTable(
  estimate: CostEstimate,
  other: CostEstimate,
  stack: string,
  otherStack: string,
): string {
  const components = [
    ...new Set([...Object.keys(estimate.byComponent), ...Object.keys(other.byComponent)]),
  ].sort();
  const table = new Table({ head: ["component", otherStack, stack, "difference"], style });
  const row = (name: string, a?: Money, b?: Money) => {
    const diff = (a?.usd ?? 0) - (b?.usd ?? 0);
    table.push([
      name,
      usd(b?.usd ?? 0),
      usd(a?.usd ?? 0),
      `${diff >= 0 ? "+" : "-"}${usd(Math.abs(diff))}`,
    ]);
  };
  for (const c of components) row(c, estimate.byComponent[c], other.byComponent[c]);
  row("total", estimate.total, other.total);
  return `Monthly estimate, ${stack} against ${otherStack}:\n${table.toString()}`;
}
