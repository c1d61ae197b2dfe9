import { price } from "../../tools/cost/catalog";
import type { CostResource } from "../../tools/cost/resources";

export const stackUrn = "urn:pulumi:prod::platform::pulumi:pulumi:Stack::platform-prod";
const awsProvider = "urn:pulumi:prod::platform::pulumi:providers:aws::aws";
const gcpProvider = "urn:pulumi:prod::platform::pulumi:providers:gcp::gcp";

/** A component of the program, directly under the stack. */
export function component(type: string, name: string): CostResource {
  return {
    urn: `urn:pulumi:prod::platform::platform:index:${type}::${name}`,
    type: `platform:index:${type}`,
    name,
    parent: stackUrn,
    props: {},
    providerUrn: "",
  };
}

/** A resource the way the plan records it: its inputs, its parent, its provider's region. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  parent: CostResource,
  region = type.startsWith("gcp:") ? "us-central1" : "us-east-1",
): CostResource {
  return {
    urn: `${parent.urn}$${type}::${name}`,
    type,
    name,
    parent: parent.urn,
    props,
    providerUrn: type.startsWith("gcp:") ? gcpProvider : awsProvider,
    providerRegion: region,
  };
}

/** The catalog's list price of a SKU; fails the test when the catalog has no row. */
export function listPrice(cloud: string, sku: string, region: string): number {
  const row = price(cloud, sku, region);
  if (!row) throw new Error(`no catalog row ${cloud} ${sku} ${region}`);
  return row.usd;
}

/** Hours in a billing month, as the price pages count them. */
export const hours = 730;

/** Two figures agree to the cent. */
export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
