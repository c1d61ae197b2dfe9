import aws from "./catalog/aws.json";
import cloudflare from "./catalog/cloudflare.json";
import gcp from "./catalog/gcp.json";

/** One list price: what it costs, per what, where, and the public page it was read from. */
export interface PriceRow {
  readonly sku: string;
  /** Regions the price applies to; "global" for prices with no region. */
  readonly regions: readonly string[];
  /** On-demand list price in USD per `unit`. */
  readonly usd: number;
  /** "hour", "month", "GB", "GB-month", "GB-hour" or "factor". */
  readonly unit: string;
  /** Day the row was written down (YYYY-MM-DD). */
  readonly date: string;
  /** The cloud's public price page the figure belongs to. */
  readonly source: string;
  /** Where the figure was seen when the row was written. */
  readonly checked?: string;
  /** Why the figure could not be confirmed when the row was written. */
  readonly unconfirmed?: string;
  readonly vcpu?: number;
  /** Memory, GiB. */
  readonly memoryGb?: number;
  readonly note?: string;
}

export interface Catalog {
  readonly cloud: string;
  readonly currency: string;
  /** Hours billed in a month: 730 (8,760 / 12), as the clouds' calculators use. */
  readonly hoursPerMonth: number;
  readonly rows: readonly PriceRow[];
}

export const catalogs: Readonly<Record<string, Catalog>> = { aws, gcp, cloudflare };

/** Hours in a billing month, as the price pages and calculators count them. */
export const hoursPerMonth = 730;

/** The row for a SKU in a region, or undefined when the catalog has none. */
export function price(cloud: string, sku: string, region: string): PriceRow | undefined {
  return catalogs[cloud]?.rows.find(
    (r) => r.sku === sku && (r.regions.includes(region) || r.regions.includes("global")),
  );
}
