import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { RateLimitPeriod, RateLimitRule } from "./index";
import { hostsExpression, type ZoneContext } from "./zone";

/** Counting windows Cloudflare accepts, seconds; the plan allows a subset (Free: 10 s only). */
export const rateLimitPeriods: readonly RateLimitPeriod[] = [10, 60, 120, 300, 600, 3600];

/** Mitigation timeouts Cloudflare accepts, seconds. */
export const mitigationTimeouts: readonly number[] = [10, 60, 120, 300, 600, 3600, 86_400];

/**
 * The seeds' limits as Cloudflare rules. Every rule counts per client IP (`ip.src`); Cloudflare
 * always counts per data centre too (`cf.colo.id` is mandatory).
 */
export const rateLimitPresets = {
  /** Seed 004: 100 requests per minute per IP. A 60 s period needs the Pro plan or above. */
  "per-ip-100-per-minute": {
    name: "per-ip-100-per-minute",
    requestsPerPeriod: 100,
    periodSeconds: 60,
    mitigationTimeoutSeconds: 60,
    action: "block",
    hosts: [],
  },
  /**
   * Seed 003: 10 requests per second per IP. Cloudflare's shortest window is 10 s, so the
   * rule allows 100 requests per 10 s: the same average rate, with bursts inside the window.
   */
  "per-ip-10-per-second": {
    name: "per-ip-10-per-second",
    requestsPerPeriod: 100,
    periodSeconds: 10,
    mitigationTimeoutSeconds: 10,
    action: "block",
    hosts: [],
  },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitPreset = keyof typeof rateLimitPresets;

/** The presets' former names, after the seeds that ask for them; still accepted, with a hint. */
export const formerPresetNames = {
  "seed-004": "per-ip-100-per-minute",
  "seed-003": "per-ip-10-per-second",
} as const satisfies Record<string, RateLimitPreset>;

/** The zone's `http_ratelimit` entry point ruleset: one rule per configured limit. */
export function createRateLimits(
  name: string,
  zone: ZoneContext,
  rules: readonly RateLimitRule[],
  opts: pulumi.CustomResourceOptions,
): cloudflare.Ruleset | undefined {
  if (rules.length === 0) return undefined;
  return new cloudflare.Ruleset(
    `${name}-ratelimit`,
    {
      zoneId: zone.id,
      kind: "zone",
      phase: "http_ratelimit",
      name: "Rate limits per client IP",
      description: "Rate limiting rules of the platform edge",
      rules: rules.map((rule) => ({
        ref: rule.name,
        description: `${rule.requestsPerPeriod} requests per ${rule.periodSeconds} s per IP`,
        enabled: true,
        action: rule.action,
        expression: hostsExpression(zone, rule.hosts),
        ratelimit: {
          characteristics: ["ip.src", "cf.colo.id"],
          period: rule.periodSeconds,
          requestsPerPeriod: rule.requestsPerPeriod,
          mitigationTimeout: rule.mitigationTimeoutSeconds,
        },
      })),
    },
    opts,
  );
}
