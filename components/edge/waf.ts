import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { WafMode } from "./index";
import type { ZoneContext } from "./zone";

/** Cloudflare's well-known managed ruleset ids (the same in every account). */
export const managedRulesets = {
  cloudflareManaged: "efb7b8c949ac4650a09736fc376e9aee",
  owaspCore: "4814384a9e5d4991b9815dcfc25d2f1f",
  /** The OWASP ruleset's last rule (949110, anomaly score exceeded): its action and threshold. */
  owaspAnomalyScoreRule: "6179ae15870a4bb7b2d480d4843b323c",
} as const;

export interface WafSettings {
  readonly mode: WafMode;
  readonly owaspParanoiaLevel: 1 | 2 | 3 | 4;
  readonly owaspScoreThreshold: 25 | 40 | 60;
}

/** Paranoia levels above the chosen one are switched off by their category tag. */
function paranoiaOverrides(level: number): { category: string; enabled: boolean }[] {
  return [2, 3, 4]
    .filter((l) => l > level)
    .map((l) => ({ category: `paranoia-level-${l}`, enabled: false }));
}

/**
 * The zone's `http_request_firewall_managed` entry point: the Cloudflare Managed Ruleset and
 * the OWASP Core Ruleset on every request. In block mode both block; in log mode both only log,
 * so a new tier can watch what would be blocked before it is.
 */
export function createWaf(
  name: string,
  zone: ZoneContext,
  waf: WafSettings,
  opts: pulumi.CustomResourceOptions,
): cloudflare.Ruleset {
  const action = waf.mode === "block" ? "block" : "log";
  const categories = paranoiaOverrides(waf.owaspParanoiaLevel);
  return new cloudflare.Ruleset(
    `${name}-waf`,
    {
      zoneId: zone.id,
      kind: "zone",
      phase: "http_request_firewall_managed",
      name: "Managed WAF rules",
      description: `Cloudflare Managed and OWASP Core rulesets (${waf.mode})`,
      rules: [
        {
          ref: "cloudflare-managed-ruleset",
          description: "Cloudflare Managed Ruleset",
          enabled: true,
          action: "execute",
          expression: "true",
          actionParameters: {
            id: managedRulesets.cloudflareManaged,
            overrides: { action },
          },
        },
        {
          ref: "owasp-core-ruleset",
          description: `OWASP Core Ruleset, paranoia level ${waf.owaspParanoiaLevel}, score threshold ${waf.owaspScoreThreshold}`,
          enabled: true,
          action: "execute",
          expression: "true",
          actionParameters: {
            id: managedRulesets.owaspCore,
            overrides: {
              ...(categories.length > 0 && { categories }),
              rules: [
                {
                  id: managedRulesets.owaspAnomalyScoreRule,
                  action,
                  scoreThreshold: waf.owaspScoreThreshold,
                  enabled: true,
                },
              ],
            },
          },
        },
      ],
    },
    opts,
  );
}
