import * as pulumi from "@pulumi/pulumi";
import {
  edgeDefaults,
  edgeRuleProblems,
  formerPresetNames,
  healthRoutes,
  rateLimitPresets,
  type EdgeProblem,
  type EdgeSettings,
  type RateLimitPreset,
  type RateLimitRule,
  type ZoneRef,
} from "../components/edge";
import type { ServiceSettings } from "../components/workloads";
import { showValue } from "./errors";
import type { PlatformConfig } from "./platform-config";
import type { StackConfig } from "./schema";
import type { Tier } from "./tiers";

/** The edge's settings resolved over the tier's defaults, with the zone and origins. */
export interface EdgeConfig extends EdgeSettings {
  readonly zone: ZoneRef;
  readonly accountId?: string;
  readonly hosts: readonly string[];
  /** Origin hostnames the stack states; where absent, the clouds' ingress gives them. */
  readonly origins: { readonly aws?: string; readonly gcp?: string };
  /** Each host's monitor path: the readiness path of a service the ingress routes there. */
  readonly healthPaths: Readonly<Record<string, string>>;
}

/** Where a cloud's edge origin comes from when the stack does not state it. */
export type IngressOrigin = "primary" | "standby";

/**
 * Which ingress controller gives each cloud's edge origin: the primary's on its own cloud,
 * the GCP standby's on GCP. None without an ingress controller (no `acmeEmail`: no service is
 * exposed by ingress) or on the local target, which has no public load balancer.
 */
export function ingressOrigins(cfg: Pick<PlatformConfig, "target" | "standby" | "acmeEmail">): {
  readonly aws?: IngressOrigin;
  readonly gcp?: IngressOrigin;
} {
  if (cfg.acmeEmail === undefined) return {};
  return {
    ...(cfg.target === "aws" && { aws: "primary" as const }),
    ...(cfg.target === "gcp"
      ? { gcp: "primary" as const }
      : cfg.standby === "gcp" && { gcp: "standby" as const }),
  };
}

type EdgeInput = NonNullable<StackConfig["edge"]>;
type RateLimitInput = NonNullable<EdgeInput["rateLimits"]>[number];

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A preset by its current name; a former one (`formerPresetNames`) still works, and the plan
 * prints which name replaces it.
 */
function currentPreset(
  preset: RateLimitInput["preset"],
  index: number,
): RateLimitPreset | undefined {
  if (preset === undefined) return undefined;
  if (!(preset in formerPresetNames)) return preset as RateLimitPreset;
  const current = formerPresetNames[preset as keyof typeof formerPresetNames];
  void pulumi.log.warn(
    `platform:edge.rateLimits[${index}].preset: "${preset}" is the former name of "${current}", which it still means; write "${current}"`,
  );
  return current;
}

function resolveRateLimit(entry: RateLimitInput, index: number): RateLimitRule {
  const { preset, ...overrides } = entry;
  const presetName = currentPreset(preset, index);
  const base = presetName === undefined ? undefined : rateLimitPresets[presetName];
  const name = overrides.name ?? base?.name;
  const requestsPerPeriod = overrides.requestsPerPeriod ?? base?.requestsPerPeriod;
  const periodSeconds = overrides.periodSeconds ?? base?.periodSeconds;
  if (name === undefined || requestsPerPeriod === undefined || periodSeconds === undefined) {
    // The schema refuses such an entry before it gets here.
    throw new Error("a rate limit without a preset needs name, requestsPerPeriod, periodSeconds");
  }
  return {
    name,
    requestsPerPeriod,
    periodSeconds,
    // Without a stated timeout, the action lasts one period.
    mitigationTimeoutSeconds:
      overrides.mitigationTimeoutSeconds ?? base?.mitigationTimeoutSeconds ?? periodSeconds,
    action: overrides.action ?? base?.action ?? "block",
    hosts: overrides.hosts ?? base?.hosts ?? [],
  };
}

export function resolveEdge(
  edge: EdgeInput,
  tier: Tier,
  services: readonly ServiceSettings[],
): EdgeConfig {
  const defaults = edgeDefaults[tier];
  const zone: ZoneRef =
    edge.zoneId !== undefined
      ? { id: edge.zoneId, name: edge.zoneName }
      : { name: edge.zoneName ?? "" };
  return {
    ...defaults,
    ...defined({
      wafMode: edge.wafMode,
      owaspParanoiaLevel: edge.owaspParanoiaLevel,
      owaspScoreThreshold: edge.owaspScoreThreshold,
      hstsMaxAgeSeconds: edge.hstsMaxAgeSeconds,
      loadBalancer: edge.loadBalancer,
      primaryPool: edge.primaryPool,
      contentSecurityPolicy: edge.contentSecurityPolicy,
      modernCiphersOnly: edge.modernCiphersOnly,
    }),
    rateLimits: edge.rateLimits?.map(resolveRateLimit) ?? defaults.rateLimits,
    cache: { ...defaults.cache, ...defined(edge.cache ?? {}) },
    failover: { ...defaults.failover, ...defined(monitorTiming(edge.failover)) },
    zone,
    accountId: edge.accountId,
    hosts: edge.hosts ?? [],
    origins: defined({ aws: edge.origins?.aws, gcp: edge.origins?.gcp }),
    healthPaths: Object.fromEntries(
      healthRoutes(edge.hosts ?? [], edge.zoneName ?? "", services).routes.map((r) => [
        r.label,
        r.path,
      ]),
    ),
  };
}

/** The monitor's keys of `platform:edge.failover`, without the recovery keys beside them. */
function monitorTiming(failover: EdgeInput["failover"]) {
  const f = failover ?? {};
  return {
    intervalSeconds: f.intervalSeconds,
    timeoutSeconds: f.timeoutSeconds,
    retries: f.retries,
    consecutiveDown: f.consecutiveDown,
    consecutiveUp: f.consecutiveUp,
  };
}

/**
 * The edge's rules (`edgeRuleProblems`, which the Edge component enforces too) over the keys
 * merged with the tier's defaults, each worded with its `platform:edge` key and what to set;
 * an origin an ingress controller of this stack gives counts as set. The load balancer's need
 * for a standby is the stack's own rule.
 */
export function edgeProblems(cfg: PlatformConfig, input: StackConfig): string[] {
  const edge = cfg.edge;
  if (!edge) return [];
  const derived = ingressOrigins(cfg);
  const origin = (cloud: "aws" | "gcp") => {
    const hostname = edge.origins[cloud];
    return hostname !== undefined || derived[cloud] !== undefined
      ? { [cloud]: { hostname: hostname ?? `the ${derived[cloud]} ingress` } }
      : {};
  };
  const found = edgeRuleProblems(
    {
      ...edge,
      zone: { name: input.edge?.zoneName, id: input.edge?.zoneId },
      origins: { ...origin("aws"), ...origin("gcp") },
    },
    edgeKey(""),
  );
  const lines = found.filter((p) => p.rule !== "failover").map((p) => edgeLine(p, cfg, edge));
  if (edge.loadBalancer && cfg.standby !== "gcp") {
    lines.push(
      `${edgeKey("loadBalancer")}: true needs a standby to fail over to, but platform:standby is ${showValue(cfg.standby, false)}; set platform:standby "gcp" or ${edgeKey("loadBalancer")} false`,
    );
  }
  return [
    ...lines,
    ...found.filter((p) => p.rule === "failover").map((p) => `${p.key}: ${p.message}`),
  ];
}

function edgeKey(k: string): string {
  return `platform:edge.${k}`;
}

/** One broken edge rule as a config line: the key, the value and what to set. */
function edgeLine(p: EdgeProblem, cfg: PlatformConfig, edge: EdgeConfig): string {
  const key = edgeKey;
  const balancer = `(${key("loadBalancer")} is true in ${cfg.tier})`;
  switch (p.rule) {
    case "zoneRequired":
      return `${key("zoneName")}: (missing) is required when ${key("enabled")} is true; set it (or ${key("zoneId")})`;
    case "hostsRequired":
      return `${key("hosts")}: (missing) is required when ${key("enabled")} is true; expected e.g. ["app", "api"]`;
    case "primaryOrigin":
      return missingOrigin(
        p.key,
        `is required: ${key("primaryPool")} is "${edge.primaryPool}"`,
        cfg,
      );
    case "poolOrigin":
      return missingOrigin(p.key, `is required for the load balancer ${balancer}`, cfg);
    case "rateLimitHost":
      return `${p.key}: ${showValue(p.value, false)} is not a public host; expected one of ${edge.hosts.join(", ")}`;
    case "wildcardBalanced":
      return `${key("hosts")}: "*" cannot be load balanced ${balancer}; Cloudflare load balancers take named hosts, so set ${key("loadBalancer")} false or name the hosts`;
    case "accountRequired":
      return `${key("accountId")}: (missing) is required for the load balancer ${balancer}`;
    case "failover":
      return `${p.key}: ${p.message}`;
  }
}

/** A cloud's origin the stack neither states nor gets from an ingress controller of its own. */
function missingOrigin(key: string, why: string, cfg: PlatformConfig): string {
  const cloud = key.endsWith("gcp") ? "gcp" : "aws";
  const underived =
    cfg.acmeEmail === undefined
      ? "no service is exposed by ingress (platform:workloads.acmeEmail is unset), so no ingress controller gives it"
      : cloud === "aws"
        ? `platform:target is ${showValue(cfg.target, false)}, so no ingress controller runs on aws`
        : `neither platform:target nor platform:standby is "gcp", so no ingress controller runs on gcp`;
  return `${key}: (missing) ${why}; ${underived}: set the hostname of the ${cloud.toUpperCase()} load balancer the edge fronts`;
}
