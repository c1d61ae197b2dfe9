import type { CostAssumptions } from "./assumptions";
import { hoursPerMonth, price, type PriceRow } from "./catalog";
import type { CostResource } from "./resources";

/** What a resource adds to the footprint a seed states: cores, memory and disk. */
export interface Footprint {
  readonly vcpu: number;
  /** GiB. */
  readonly memoryGb: number;
  /** GB of block and object storage. */
  readonly diskGb: number;
}

/** One priced part of a resource: its monthly figure and the catalog rows behind it. */
export interface Charge {
  /** What is charged, with the quantities: "6 x m6i.xlarge". */
  readonly item: string;
  /** Cloud that bills it (a transfer may be billed by another cloud than the resource's). */
  readonly cloud: string;
  /** USD per month at the planned size. */
  readonly usd: number;
  /** USD per month at the smallest and largest size an autoscaler may reach. */
  readonly minUsd?: number;
  readonly maxUsd?: number;
  readonly skus: readonly string[];
  readonly footprint?: Footprint;
}

/** What the estimate knows of the whole stack while it prices one resource. */
export interface PricingContext {
  readonly assumptions: CostAssumptions;
  readonly resources: readonly CostResource[];
  readonly byUrn: ReadonlyMap<string, CostResource>;
}

/** A pricer returns the resource's charges, or throws Unpriceable saying why it cannot. */
export type Pricer = (r: CostResource, ctx: PricingContext) => Charge[];

export class Unpriceable extends Error {}

/** The catalog row, or Unpriceable naming the SKU and region missing from it. */
export function rate(cloud: string, sku: string, region: string): PriceRow {
  const row = price(cloud, sku, region);
  if (!row) throw new Unpriceable(`no ${cloud} catalog row for ${sku} in ${region}`);
  return row;
}

/** USD per month of a row priced per hour, per month, or per GB(-month) for `quantity`. */
export function monthly(row: PriceRow, quantity = 1): number {
  const perMonth = row.unit === "hour" || row.unit === "GB-hour" ? hoursPerMonth : 1;
  return row.usd * perMonth * quantity;
}

/** The region a resource is billed in: its own, its provider's, else the assumed default. */
export function regionOf(r: CostResource, cloud: string, ctx: PricingContext): string {
  const own = r.props.region;
  if (typeof own === "string" && own !== "") return own;
  const location = r.props.location;
  if (typeof location === "string" && /^[a-z]+-[a-z]+\d+$/.test(location)) return location;
  if (typeof location === "string" && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location)) {
    return location.slice(0, -2);
  }
  return r.providerRegion ?? ctx.assumptions.defaultRegion[cloud] ?? "unknown";
}

/** A single charge of `quantity` units of one SKU. */
export function charge(
  cloud: string,
  sku: string,
  region: string,
  item: string,
  quantity = 1,
  footprint?: Footprint,
): Charge {
  const row = rate(cloud, sku, region);
  return { item, cloud, usd: monthly(row, quantity), skus: [sku], footprint };
}
