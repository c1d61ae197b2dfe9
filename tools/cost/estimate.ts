import { defaultAssumptions, type CostAssumptions } from "./assumptions";
import { awsPricers } from "./aws";
import { edgePricers, zonePlan, zoneScopedTypes } from "./edge";
import { isFree } from "./free";
import { gcpPricers } from "./gcp";
import {
  Unpriceable,
  type Charge,
  type Footprint,
  type Pricer,
  type PricingContext,
} from "./pricing";
import { componentOf, type CostResource } from "./resources";

const pricers: Readonly<Record<string, Pricer>> = { ...awsPricers, ...gcpPricers, ...edgePricers };

/** One priced charge, with the resource and component it belongs to. */
export interface CostLine extends Charge {
  readonly component: string;
  readonly type: string;
  readonly name: string;
}

export interface Money {
  readonly usd: number;
  readonly minUsd: number;
  readonly maxUsd: number;
}

/** A resource type the estimate cannot price, how many of it the plan has, and why. */
export interface Unpriced {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
}

/** The monthly estimate of a stack, as the plan prints it and `--json` writes it. */
export interface CostEstimate {
  readonly currency: "USD";
  readonly total: Money;
  readonly byComponent: Readonly<Record<string, Money>>;
  readonly byCloud: Readonly<Record<string, Money>>;
  readonly lines: readonly CostLine[];
  readonly unpriced: readonly Unpriced[];
  /**
   * Resources that cost nothing, by type: the known free list, and priced types that cost
   * nothing as configured (a gateway endpoint, an internal address, a ClusterIP Service).
   */
  readonly free: Readonly<Record<string, number>>;
  readonly footprint: Footprint;
  readonly assumptions: CostAssumptions;
}

/** Prices every resource of a stack; what cannot be priced is listed, never counted as zero. */
export function estimateCost(
  resources: readonly CostResource[],
  assumptions: CostAssumptions = defaultAssumptions,
): CostEstimate {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const ctx: PricingContext = { assumptions, resources, byUrn };
  const lines: CostLine[] = [];
  const unpriced = new Map<string, Unpriced>();
  const free: Record<string, number> = {};
  for (const r of resources) {
    const priced = priceOne(r, ctx);
    if (typeof priced === "string") {
      const known = unpriced.get(r.type);
      unpriced.set(r.type, {
        type: r.type,
        count: (known?.count ?? 0) + 1,
        reason: known?.reason ?? priced,
      });
      continue;
    }
    if (priced.length === 0) free[r.type] = (free[r.type] ?? 0) + 1;
    const component = componentOf(r, byUrn);
    for (const c of priced) lines.push({ ...c, component, type: r.type, name: r.name });
  }
  return {
    currency: "USD",
    total: sum(lines),
    byComponent: group(lines, (l) => l.component),
    byCloud: group(lines, (l) => l.cloud),
    lines,
    unpriced: [...unpriced.values()].sort((a, b) => a.type.localeCompare(b.type)),
    free,
    footprint: lines.reduce<Footprint>(
      (f, l) => ({
        vcpu: f.vcpu + (l.footprint?.vcpu ?? 0),
        memoryGb: f.memoryGb + (l.footprint?.memoryGb ?? 0),
        diskGb: f.diskGb + (l.footprint?.diskGb ?? 0),
      }),
      { vcpu: 0, memoryGb: 0, diskGb: 0 },
    ),
    assumptions,
  };
}

/** The resource's charges, or why it cannot be priced. */
function priceOne(r: CostResource, ctx: PricingContext): Charge[] | string {
  const pricer = pricers[r.type];
  const plan = zoneScopedTypes.includes(r.type) ? safely(() => zonePlan(r, ctx)) : [];
  if (typeof plan === "string") return plan;
  if (!pricer) {
    if (isFree(r.type) || zoneScopedTypes.includes(r.type)) return plan;
    return "no price in the catalog for this type";
  }
  const priced = safely(() => pricer(r, ctx));
  return typeof priced === "string" ? priced : [...plan, ...priced];
}

function safely(price: () => Charge[]): Charge[] | string {
  try {
    return price();
  } catch (err) {
    if (err instanceof Unpriceable) return err.message;
    throw err;
  }
}

function sum(lines: readonly Charge[]): Money {
  const total = { usd: 0, minUsd: 0, maxUsd: 0 };
  for (const l of lines) {
    total.usd += l.usd;
    total.minUsd += l.minUsd ?? l.usd;
    total.maxUsd += l.maxUsd ?? l.usd;
  }
  return total;
}

function group(lines: readonly CostLine[], key: (l: CostLine) => string): Record<string, Money> {
  const groups = new Map<string, CostLine[]>();
  for (const l of lines) groups.set(key(l), [...(groups.get(key(l)) ?? []), l]);
  return Object.fromEntries(
    [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sum(v)]),
  );
}

/** Dollars as every estimate prints them: "$1234.50". */
export function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

/** The components that cost most, most first. */
export function topComponents(estimate: CostEstimate, n: number): [string, Money][] {
  return Object.entries(estimate.byComponent)
    .sort(([, a], [, b]) => b.usd - a.usd)
    .slice(0, n);
}
