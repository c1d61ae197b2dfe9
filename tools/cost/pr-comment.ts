import * as fs from "node:fs";
import { usd, type CostEstimate, type Money } from "./estimate";

const signed = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

/** The pull request's prod estimate by component, and its change from the base branch's. */
export function costComment(head: CostEstimate, base: CostEstimate | undefined): string {
  const components = [
    ...new Set([...Object.keys(head.byComponent), ...Object.keys(base?.byComponent ?? {})]),
  ].sort();
  const row = (name: string, h?: Money, b?: Money) =>
    `| ${name} | ${base ? usd(b?.usd ?? 0) : "-"} | ${usd(h?.usd ?? 0)} | ${base ? signed((h?.usd ?? 0) - (b?.usd ?? 0)) : "-"} |`;
  const lines = [
    "### Monthly estimate of prod (on-demand list prices, USD)",
    "",
    "| component | base | this pull request | change |",
    "|---|---|---|---|",
    ...components.map((c) => row(c, head.byComponent[c], base?.byComponent[c])),
    row("**total**", head.total, base?.total),
    "",
    `Autoscaling range: ${usd(head.total.minUsd)}..${usd(head.total.maxUsd)}.`,
  ];
  if (!base) lines.push("", "The base branch's plan carries no estimate to compare with.");
  if (head.unpriced.length > 0) {
    lines.push("", `Not priced: ${head.unpriced.map((u) => `${u.type} x${u.count}`).join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}

function costOf(file: string | undefined): CostEstimate | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { cost?: CostEstimate }).cost;
}

/** `tsx tools/cost/pr-comment.ts <head plan.json> [<base plan.json>]`, as CI runs it. */
if (require.main === module) {
  const head = costOf(process.argv[2]);
  if (!head) {
    console.error(`usage: tsx tools/cost/pr-comment.ts <head plan.json> [<base plan.json>]`);
    process.exit(64);
  }
  process.stdout.write(costComment(head, costOf(process.argv[3])));
}
