import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import { refuseArgs } from "../errors";
import { createCloudflareEdge } from "./cloudflare";
import type { EdgeOrigin } from "./origin";
import { rateLimitPresets } from "./rate-limits";
import { edgeRuleProblems } from "./rules";

export { failoverBudget, failoverLimitSeconds, failoverProblems } from "./failover";
export { edgeRuleProblems, type EdgeProblem, type EdgeRule } from "./rules";
export { healthRoutes, underPrefix, type HealthRoute } from "./health";
export {
  formerPresetNames,
  rateLimitPresets,
  rateLimitPeriods,
  mitigationTimeouts,
  type RateLimitPreset,
} from "./rate-limits";
export { wildcardLabel } from "./zone";
export { originAddress, originRecordType, type EdgeOrigin } from "./origin";

/** What the WAF does with a request the managed rules flag. */
export type WafMode = "block" | "log";

/** Periods Cloudflare accepts for a rate limiting rule, seconds (plans allow a subset). */
export type RateLimitPeriod = 10 | 60 | 120 | 300 | 600 | 3600;

export interface RateLimitRule {
  /** Rule name; part of the rule's `ref`, so keep it stable. */
  readonly name: string;
  /** Requests one client IP may send per period (counted per data centre) before the action. */
  readonly requestsPerPeriod: number;
  /** Counting window, seconds. Cloudflare allows 10, 60, 120, 300, 600, 3600. */
  readonly periodSeconds: RateLimitPeriod;
  /** How long the action applies once the rate is exceeded, seconds. */
  readonly mitigationTimeoutSeconds: number;
  /** What happens to requests over the rate. */
  readonly action: "block" | "managed_challenge" | "log";
  /** Host labels the rule covers (`app`, `@` for the apex, `*`); every public host when empty. */
  readonly hosts: readonly string[];
}

export interface EdgeCacheSettings {
  /** File extensions cached at the edge, without the dot. */
  readonly extensions: readonly string[];
  /** How long the edge keeps a cached asset, seconds, whatever the origin says. */
  readonly edgeTtlSeconds: number;
}

/** The health monitor of the load balancer's pools. */
export interface FailoverMonitorSettings {
  /** Seconds between checks; the plan sets the floor (Pro 60 s, Business 15 s, Enterprise 10 s). */
  readonly intervalSeconds: number;
  /** Seconds a check waits for the origin. */
  readonly timeoutSeconds: number;
  /** Immediate retries of a timed-out check. */
  readonly retries: number;
  /** Failed checks in a row that mark an origin unhealthy. */
  readonly consecutiveDown: number;
  /** Passed checks in a row that mark it healthy again. */
  readonly consecutiveUp: number;
}

/** The per-tier part of the edge; a stack overrides any of it under `platform:edge`. */
export interface EdgeSettings {
  /** Managed WAF rules block, or only log. @default "block" in prod, "log" elsewhere */
  readonly wafMode: WafMode;
  /** OWASP Core Ruleset paranoia level, 1-4. @default 2 */
  readonly owaspParanoiaLevel: 1 | 2 | 3 | 4;
  /**
   * OWASP anomaly score at which a request is acted on: 25 (high), 40 (medium) or 60 (low
   * sensitivity). @default 25 in prod, 40 elsewhere
   */
  readonly owaspScoreThreshold: 25 | 40 | 60;
  /** Rate limiting rules. @default seed 004's 100 requests per minute per IP, on every host */
  readonly rateLimits: readonly RateLimitRule[];
  /** Edge caching of static assets. @default js, css, images and fonts for 1 day */
  readonly cache: EdgeCacheSettings;
  /** HSTS max-age, seconds. @default 63072000 (2 years, seed 003) */
  readonly hstsMaxAgeSeconds: number;
  /**
   * `Content-Security-Policy` the edge sets on every response (seed 004: CSP among the
   * security headers). A stack whose pages load only from their own host tightens it with
   * `default-src 'self'`.
   * @default `defaultContentSecurityPolicy`: no framing, no plugins, no foreign base URL or
   * form target, HTTPS only; scripts, styles and API calls left to the application
   */
  readonly contentSecurityPolicy: string;
  /**
   * Offer only Cloudflare's Modern TLS 1.2 cipher suites (seed 003). Cloudflare lets a zone
   * restrict its ciphers only with Advanced Certificate Manager, on Enterprise or through
   * Cloudflare for SaaS: on any other zone the API refuses the setting and `pulumi up` fails.
   * @default false: Cloudflare's default suites, TLS 1.2 at least and TLS 1.3 on either way
   */
  readonly modernCiphersOnly: boolean;
  /** A load balancer with an AWS and a GCP pool for every host. @default true in prod only */
  readonly loadBalancer: boolean;
  /** The pool that takes traffic while healthy; the other one is the standby. @default "aws" */
  readonly primaryPool: "aws" | "gcp";
  /**
   * Health monitor timing; must keep failover under 5 minutes (seed 002).
   * @default 60 s interval, 5 s timeout, 2 retries, down after 2 failures, up after 2 passes
   */
  readonly failover: FailoverMonitorSettings;
}

const staticExtensions = [
  "css",
  "js",
  "mjs",
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "avif",
  "ico",
  "woff",
  "woff2",
  "ttf",
];

const monitorDefaults: FailoverMonitorSettings = {
  intervalSeconds: 60,
  timeoutSeconds: 5,
  retries: 2,
  consecutiveDown: 2,
  consecutiveUp: 2,
};

/**
 * What every page may be held to without knowing the application: it may not be framed, load
 * plugins, change its base URL or post forms elsewhere, and its http: subresources are
 * fetched over https.
 */
export const defaultContentSecurityPolicy =
  "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; upgrade-insecure-requests";

const common = {
  owaspParanoiaLevel: 2,
  contentSecurityPolicy: defaultContentSecurityPolicy,
  modernCiphersOnly: false,
  rateLimits: [rateLimitPresets["per-ip-100-per-minute"]],
  cache: { extensions: staticExtensions, edgeTtlSeconds: 86_400 },
  hstsMaxAgeSeconds: 63_072_000,
  primaryPool: "aws",
  failover: monitorDefaults,
} as const satisfies Partial<EdgeSettings>;

export const edgeDefaults: PerTier<EdgeSettings> = {
  dev: { ...common, wafMode: "log", owaspScoreThreshold: 40, loadBalancer: false },
  staging: { ...common, wafMode: "log", owaspScoreThreshold: 40, loadBalancer: false },
  prod: { ...common, wafMode: "block", owaspScoreThreshold: 25, loadBalancer: true },
};

/** The zone: by name (looked up), by id, or both (no lookup). */
export type ZoneRef =
  | { readonly name: string; readonly id?: string }
  | { readonly name?: string; readonly id: string };

export interface EdgeArgs extends EdgeSettings {
  readonly tier: Tier;
  /** Prefix of account-wide names (pools, monitor), e.g. `platform-prod`. */
  readonly namePrefix: string;
  readonly zone: ZoneRef;
  /** Cloudflare account id; load balancer pools and monitors live in the account. */
  readonly accountId?: string;
  /** Public host labels in the zone (`app`, `api`, `@` for the apex, `*` for every subdomain). */
  readonly hosts: readonly string[];
  /**
   * The clouds' ingress load balancers: the primary pool's is needed, and both with the load
   * balancer.
   */
  readonly origins: { readonly aws?: EdgeOrigin; readonly gcp?: EdgeOrigin };
  /**
   * Path each host's monitor probes, by host label: a readiness path the ingress routes on that
   * host, on both clusters (`healthRoutes`). @default "/health" for a host not listed
   */
  readonly healthPaths?: Readonly<Record<string, string>>;
}

/** The load balancer's pools: one per cloud for each host, in the order of `hosts`. */
export interface EdgePools {
  readonly active: readonly string[];
  readonly standby: readonly string[];
  readonly activePoolIds: readonly pulumi.Output<string>[];
  readonly standbyPoolIds: readonly pulumi.Output<string>[];
}

/** What the edge returns. */
export interface EdgeOutputs {
  readonly zoneId: pulumi.Output<string>;
  /** `https://<host>` for every public host. */
  readonly urls: pulumi.Output<string[]>;
  /** The load balancer's pools, when there is one. */
  readonly pools?: EdgePools;
  /** Worst-case failover time, seconds, spelt out. */
  readonly failoverTime?: string;
  /** How to move traffic to the standby by hand. */
  readonly manualFailover?: pulumi.Output<string>;
}

/**
 * Problems with the args, one line each (`<arg>: <what is wrong>`); the constructor refuses
 * args that have any. The rules are `edgeRuleProblems`, which the stack config reports by key.
 */
export function edgeArgProblems(args: EdgeArgs): string[] {
  return edgeRuleProblems(args).map((p) =>
    p.rule === "rateLimitHost" || p.rule === "wildcardBalanced"
      ? `${p.key}: ${JSON.stringify(p.value)} ${p.message}`
      : `${p.key}: ${p.message}`,
  );
}

/**
 * Cloudflare in front of the platform: TLS and HSTS, security headers, proxied DNS, the
 * managed WAF, rate limits, static caching and, in prod, a failover load balancer.
 */
export class Edge extends pulumi.ComponentResource implements EdgeOutputs {
  readonly zoneId: pulumi.Output<string>;
  readonly urls: pulumi.Output<string[]>;
  readonly pools?: EdgePools;
  readonly failoverTime?: string;
  readonly manualFailover?: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Edge", name, edgeArgProblems(args));
    super("platform:index:Edge", name, {}, opts);
    const built = createCloudflareEdge(name, args, this);
    this.zoneId = built.zoneId;
    this.urls = built.urls;
    this.pools = built.pools;
    this.failoverTime = built.failoverTime;
    this.manualFailover = built.manualFailover;
    this.registerOutputs({
      zoneId: this.zoneId,
      urls: this.urls,
      activePool: this.pools?.active,
      standbyPool: this.pools?.standby,
      failoverTime: this.failoverTime,
      manualFailover: this.manualFailover,
    });
  }
}
