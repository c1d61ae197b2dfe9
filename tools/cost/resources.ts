import type { PolicyResource } from "@pulumi/policy";
import type { ReportResource } from "../plan/report";

/** A resource as the estimate reads it: from a plan report or from a stack policy's view. */
export interface CostResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent; "" for the stack. */
  readonly parent: string;
  /** Inputs (plan) or state (policy); values not known yet read as undefined. */
  readonly props: Record<string, unknown>;
  /** URN of the resource's provider, "" when none is known. */
  readonly providerUrn: string;
  /** The region the resource's provider is configured for, when it names one. */
  readonly providerRegion?: string;
}

/** The plan report's resources, each with the region of its provider. */
export function fromReport(resources: readonly ReportResource[]): CostResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    const providerUrn = r.provider ? r.provider.split("::").slice(0, -1).join("::") : "";
    const provider = byUrn.get(providerUrn);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      props: known(r.inputs) as Record<string, unknown>,
      providerUrn,
      providerRegion: regionOf(provider?.inputs),
    };
  });
}

/** A stack policy's resources; values unknown during a preview read as undefined. */
export function fromPolicy(resources: readonly PolicyResource[]): CostResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: safe(() => r.parent?.urn) ?? "",
    props: known(r.props) as Record<string, unknown>,
    providerUrn: safe(() => r.provider?.urn) ?? "",
    providerRegion: regionOf(safe(() => known(r.provider?.props))),
  }));
}

function regionOf(inputs: unknown): string | undefined {
  const region = (inputs as Record<string, unknown> | undefined)?.region;
  return typeof region === "string" ? region : undefined;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * A plain copy: unknown values (and the report's markers for them) become undefined. During
 * a preview the pack's resources throw on reading an unknown value, at any depth, so every
 * read is guarded.
 */
function known(value: unknown): unknown {
  if (value === "[unknown]" || value === "[secret]") return undefined;
  if (!value || typeof value !== "object") return value;
  const keys = safe(() => Object.keys(value)) ?? [];
  const read = (key: string) => known(safe(() => (value as Record<string, unknown>)[key]));
  if (safe(() => Array.isArray(value))) return keys.map(read);
  return Object.fromEntries(keys.map((key) => [key, read(key)]));
}

/** The top-level component a resource belongs to, as the plan's summary names it. */
export function componentOf(r: CostResource, byUrn: ReadonlyMap<string, CostResource>): string {
  let current: CostResource | undefined = r;
  let last = r;
  while (current && current.type !== "pulumi:pulumi:Stack") {
    last = current;
    current = byUrn.get(current.parent);
  }
  return last.type.startsWith("platform:")
    ? `${last.name} (${last.type.split(":")[2] ?? last.type})`
    : "(stack)";
}

/** A property at a dotted path ("clusterConfig.instanceType"); lists of one block unwrap. */
export function prop(r: CostResource, path: string): unknown {
  let node: unknown = r.props;
  for (const key of path.split(".")) {
    if (Array.isArray(node)) node = node[0];
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
