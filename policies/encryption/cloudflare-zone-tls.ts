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

/** TLS 1.0/1.1 are broken and plain HTTP leaks cookies: the edge must refuse both. */
export const cloudflareZoneTls = resourcePolicy(
  {
    name: "cloudflare-zone-tls",
    description:
      'Cloudflare zone settings must not weaken TLS: min_tls_version at least 1.2 and always_use_https "on"; set the ZoneSetting value accordingly.',
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
  },
  ["cloudflare:index/zoneSetting:ZoneSetting"],
  (props, args) => {
    const setting = read(props, "settingId");
    const value = read(props, "value");
    if (setting === "min_tls_version") {
      const minimum = args.getConfig<ZoneTlsConfig>().minimumTlsVersion ?? "1.2";
      return Number(value) >= Number(minimum)
        ? []
        : [`${args.name}: min_tls_version is ${shown(value)}; set it to ${minimum} or later.`];
    }
    if (setting === "always_use_https") {
      return value === "on"
        ? []
        : [`${args.name}: always_use_https is ${shown(value)}; set it to "on".`];
    }
    return [];
  },
);
