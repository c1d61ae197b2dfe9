import { cacheArgProblems } from "../components/cache";
import { databaseArgProblems } from "../components/database";
import type { GcpPlacement } from "../components/placement";
import type { DataServices } from "./data-services";
import { configNamespace } from "./config-namespace";
import type { Tier } from "./tiers";

/**
 * A component's problem as a stack-config line. A component states each problem from the arg
 * it is about (`engineVersion "12" is not offered; ...`, `nodes: 1; ...`); the arg is the
 * setting of the same name in the component's config section, so the line names its key:
 * `platform:database.engineVersion: "12" is not offered; ...`. A problem that names no
 * setting of the section is reported against the section. `where` says which of the stack's
 * sites builds the component, since one section can feed two sites.
 */
export function componentProblemLine(
  section: string,
  settingKeys: readonly string[],
  problem: string,
  where: string,
): string {
  const match = /^([A-Za-z]\w*)(?::\s*|\s+)([\s\S]*)$/.exec(problem);
  const key = match?.[1];
  if (match && key !== undefined && settingKeys.includes(key)) {
    return `${configNamespace}:${section}.${key}: ${match[2]} (${where})`;
  }
  return `${configNamespace}:${section}: ${problem} (${where})`;
}

/** The GCP site's placement as its rules read it: they check the settings, not the network. */
const gcpSite: GcpPlacement = { target: "gcp", networkId: "" };

/**
 * The GCP site's database and cache (a `gcp` target, or prod's GCP standby) checked by their
 * own components' rules, Cloud SQL's and Memorystore's included, and reported by key before
 * any resource is registered. GCS's rules on the buckets are the config's own
 * (`consistency.ts` names `platform:gcp.region` for a location without a multi-region).
 */
export function gcpSiteProblems(
  data: DataServices,
  context: {
    readonly tier: Tier;
    readonly target: string;
    readonly standby: string;
  },
): string[] {
  if (context.target !== "gcp" && context.standby !== "gcp") return [];
  const where = context.target === "gcp" ? 'on target "gcp"' : "on the GCP standby";
  const common = { tier: context.tier, placement: gcpSite, tags: {} };
  const { database, cache } = data;
  const lines = (section: string, settings: object, problems: readonly string[]) =>
    problems.map((p) => componentProblemLine(section, Object.keys(settings), p, where));
  return [
    ...(database.enabled
      ? lines("database", database, databaseArgProblems({ ...database, ...common }))
      : []),
    ...(cache.enabled ? lines("cache", cache, cacheArgProblems({ ...cache, ...common })) : []),
  ];
}
