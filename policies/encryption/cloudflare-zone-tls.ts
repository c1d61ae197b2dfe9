import type { PolicyConfigSchema } from "@pulumi/policy";
import { read, resourcePolicy, shown } from "../lib";

export interface ZoneTlsConfig {
  /** Lowest TLS version a zone may accept, e.g. "1.2". */
  minimumTlsVersion?: string;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minimumTlsVersion: {
      type: "string",
      enum: ["1.2", "1.3"],
      default: "1.2",
      description: "Lowest TLS version the zone's min_tls_version may be set to.",
    },
  },
};

/** Cloudflare's `ssl` modes that open a TLS connection to the origin ("off" and "flexible" do not). */
const originTlsModes = ["full", "strict"];

function sslFindings(name: string, value: unknown): string[] {
  return originTlsModes.includes(value as string)
    ? []
    : [
        `${name}: ssl is ${shown(value)}, so the edge reaches the origin in plain HTTP; set it to "strict" (or "full").`,
      ];
}

/**
 * TLS 1.0/1.1 are broken and plain HTTP leaks cookies: the edge must refuse both, and must
 * not carry the traffic on to the origin in plain HTTP.
 */
export const cloudflareZoneTls = resourcePolicy(
  {
    name: "cloudflare-zone-tls",
    description:
      'Cloudflare zone settings (cloudflare:index/zoneSetting:ZoneSetting) must not weaken TLS: min_tls_version at least 1.2, always_use_https "on", ssl "strict" or "full" (never "flexible" or "off"); per-hostname min_tls_version (cloudflare:index/hostnameTlsSetting:HostnameTlsSetting) at least 1.2 too.',
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
  },
  [
    "cloudflare:index/zoneSetting:ZoneSetting",
    "cloudflare:index/hostnameTlsSetting:HostnameTlsSetting",
  ],
  (props, args) => {
    const setting = read(props, "settingId");
    const value = read(props, "value");
    if (setting === "min_tls_version") {
      const minimum = args.getConfig<ZoneTlsConfig>().minimumTlsVersion ?? "1.2";
      return Number(value) >= Number(minimum)
        ? []
        : [`${args.name}: min_tls_version is ${shown(value)}; set it to ${minimum} or later.`];
    }
    if (setting === "ssl") return sslFindings(args.name, value);
    if (setting === "always_use_https") {
      return value === "on"
        ? []
        : [`${args.name}: always_use_https is ${shown(value)}; set it to "on".`];
    }
    return [];
  },
);
