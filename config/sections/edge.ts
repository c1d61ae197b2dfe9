import { z } from "zod";

const hex32 = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{32}$/, { error: `is not a Cloudflare ${what}; expected 32 hex digits` });

const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "is not a domain name; expected lowercase labels separated by dots, e.g. example.com",
  });

/** A host label in the zone, `@` for the apex, or `*` for every subdomain. */
const hostLabel = z.string().regex(/^(@|\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/, {
  error:
    'is not a host label; expected a DNS label such as "app", "@" for the zone apex or "*" for every subdomain',
});

const oneOf = <T extends number>(values: readonly T[], what: string) =>
  z
    .number({ error: `is not a number; expected one of ${values.join(", ")} (${what})` })
    .refine((v): v is T => (values as readonly number[]).includes(v), {
      error: `is not allowed; expected one of ${values.join(", ")} (${what})`,
    });

export const rateLimitPresetNames = ["per-ip-10-per-second", "per-ip-100-per-minute"] as const;
/** The former names (`formerPresetNames`): accepted, and config hints at the current one. */
const acceptedPresetNames = [...rateLimitPresetNames, "seed-003", "seed-004"] as const;

export const rateLimitEntry = z
  .object({
    /** Start from a seed's limit; the other keys override it. */
    preset: z
      .enum(acceptedPresetNames, {
        error: `is not a rate limit preset; expected one of ${rateLimitPresetNames.join(", ")}`,
      })
      .optional(),
    name: z
      .string()
      .regex(/^[a-z0-9][-a-z0-9]{0,62}$/, {
        error: "is not a rule name; expected lowercase letters, digits and hyphens",
      })
      .optional(),
    requestsPerPeriod: z
      .number({ error: "is not a number; expected requests per period, at least 1" })
      .int()
      .min(1)
      .optional(),
    periodSeconds: oneOf(
      [10, 60, 120, 300, 600, 3600] as const,
      "the periods Cloudflare accepts, seconds",
    ).optional(),
    mitigationTimeoutSeconds: oneOf(
      [10, 60, 120, 300, 600, 3600, 86400] as const,
      "the mitigation timeouts Cloudflare accepts, seconds",
    ).optional(),
    action: z
      .enum(["block", "managed_challenge", "log"], {
        error: 'is not a rate limit action; expected "block", "managed_challenge" or "log"',
      })
      .optional(),
    hosts: z.array(hostLabel).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.preset !== undefined) return;
    for (const key of ["name", "requestsPerPeriod", "periodSeconds"] as const) {
      if (rule[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: undefined,
          message: `is required in a rate limit without a preset (or set preset: ${rateLimitPresetNames.join(" or ")})`,
        });
      }
    }
  });

export const failoverSection = z
  .object({
    intervalSeconds: z
      .number({ error: "is not a number; expected seconds between health checks" })
      .int()
      .min(10, { error: "is below Cloudflare's minimum interval; expected at least 10 seconds" })
      .max(3600)
      .optional(),
    timeoutSeconds: z.number().int().min(1).max(10).optional(),
    retries: z.number().int().min(0).max(5).optional(),
    consecutiveDown: z.number().int().min(1).max(10).optional(),
    consecutiveUp: z.number().int().min(1).max(10).optional(),
    /** Recovery time objective, seconds: config refuses a design whose computed RTO exceeds it. */
    rtoTargetSeconds: z
      .number({ error: "is not a number; expected the recovery time objective in seconds" })
      .int()
      .min(1)
      .optional(),
    /**
     * Keys of the connections Secret, or the AWS-only uses ("queue", "topic", "search"), the
     * standby's services start without (OpenSearch has no GCP counterpart); a service missing
     * only these still runs there, without them.
     */
    standbyRunsWithout: z
      .array(
        z.string().regex(/^[a-z0-9][-a-z0-9]*$/, {
          error: 'is not a connection key; expected e.g. "search-url"',
        }),
      )
      .optional(),
  })
  .strict();

export const edgeSection = z
  .object({
    /** Build the Cloudflare edge for this stack. */
    enabled: z.boolean({ error: "is not a boolean; expected true or false" }).optional(),
    zoneName: domainName.optional(),
    zoneId: hex32("zone id").optional(),
    accountId: hex32("account id").optional(),
    hosts: z.array(hostLabel).min(1).optional(),
    origins: z
      .object({ aws: domainName.optional(), gcp: domainName.optional() })
      .strict()
      .optional(),
    wafMode: z
      .enum(["block", "log"], { error: 'is not a WAF mode; expected "block" or "log"' })
      .optional(),
    owaspParanoiaLevel: oneOf([1, 2, 3, 4] as const, "OWASP paranoia levels").optional(),
    owaspScoreThreshold: oneOf([25, 40, 60] as const, "high, medium, low").optional(),
    rateLimits: z.array(rateLimitEntry).optional(),
    cache: z
      .object({
        extensions: z
          .array(
            z.string().regex(/^[a-z0-9]{1,10}$/, {
              error: 'is not a file extension; expected e.g. "css" (no dot)',
            }),
          )
          .min(1)
          .optional(),
        edgeTtlSeconds: z.number().int().min(1).max(31_536_000).optional(),
      })
      .strict()
      .optional(),
    hstsMaxAgeSeconds: z
      .number()
      .int()
      .min(31_536_000, {
        error: "is too short for HSTS preload; expected at least 31536000 (1 year)",
      })
      .optional(),
    loadBalancer: z.boolean().optional(),
    contentSecurityPolicy: z
      .string()
      .regex(/^[a-z-]+( [^;\r\n]+)?(; ?[a-z-]+( [^;\r\n]+)?)*;?$/, {
        error:
          "is not a Content-Security-Policy; expected directives separated by semicolons, e.g. \"default-src 'self'; frame-ancestors 'none'\"",
      })
      .optional(),
    /** Needs Advanced Certificate Manager, Enterprise or Cloudflare for SaaS on the zone. */
    modernCiphersOnly: z.boolean().optional(),
    primaryPool: z
      .enum(["aws", "gcp"], { error: 'is not a pool; expected "aws" or "gcp"' })
      .optional(),
    failover: failoverSection.optional(),
  })
  .strict();

export type EdgeSection = z.output<typeof edgeSection>;

/** An ingress host as the edge's zone covers it: the zone itself or a name under it. */
export function inZone(host: string, zone: string): boolean {
  const name = host.startsWith("*.") ? host.slice(2) : host;
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * What the edge needs of the ingress hosts. Its load balancers admit only Cloudflare, so a host
 * outside the zone, which Cloudflare does not proxy, would be reachable by nobody; and behind
 * the proxy, Let's Encrypt's HTTP-01 cannot work (Always Use HTTPS redirects the challenge, the
 * load balancer may send it to the other origin, the load balancers refuse the validators), so
 * cert-manager proves control of the zone by DNS-01 with a Cloudflare token.
 */
export function edgeIngressProblems(
  edge: Pick<EdgeSection, "enabled" | "zoneName"> | undefined,
  ingressHosts: readonly { readonly key: string; readonly host: string }[],
  hasDnsToken: boolean,
): string[] {
  if (edge?.enabled !== true || ingressHosts.length === 0) return [];
  const zone = edge.zoneName;
  if (zone === undefined) {
    return [
      "platform:edge.zoneName: (missing) is required when a service is exposed by ingress behind the edge: cert-manager's DNS-01 solver selects hosts by zone name",
    ];
  }
  const problems = ingressHosts
    .filter(({ host }) => !inZone(host, zone))
    .map(
      ({ key, host }) =>
        `${key}: "${host}" is outside platform:edge.zoneName "${zone}"; behind the edge the load balancers admit only Cloudflare, so expose a host in the zone`,
    );
  if (!hasDnsToken) {
    problems.push(
      `platform:ingress.cloudflareApiToken: (missing) is required when a service is exposed by ingress behind the edge: certificates are issued by ACME DNS-01 on "${zone}"; set a secret token with Zone:DNS:Edit and Zone:Zone:Read on it`,
    );
  }
  return problems;
}
