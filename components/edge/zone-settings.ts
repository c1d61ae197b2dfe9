import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { ZoneContext } from "./zone";

/**
 * TLS and HTTPS settings of the zone (seed 003: TLS 1.2 and 1.3 only, HSTS with a 2-year
 * max-age). `ssl: strict` makes Cloudflare verify the origin's certificate (its name and a
 * publicly trusted or Cloudflare Origin CA issuer). `tls_client_auth: on` is Authenticated
 * Origin Pulls with Cloudflare's certificate: the edge presents a client certificate signed by
 * `cloudflareOriginPullCa` to every origin, which the origins' Ingresses demand.
 */
export function zoneSettingValues(hstsMaxAgeSeconds: number): Record<string, unknown> {
  return {
    min_tls_version: "1.2",
    tls_1_3: "on",
    always_use_https: "on",
    automatic_https_rewrites: "on",
    ssl: "strict",
    tls_client_auth: "on",
    // Nested keys stay snake_case: the value is passed to the API as is
    // (pulumi/pulumi-cloudflare#1579: camelCase keys never converge).
    security_header: {
      strict_transport_security: {
        enabled: true,
        max_age: hstsMaxAgeSeconds,
        include_subdomains: true,
        preload: true,
        nosniff: true,
      },
    },
  };
}

/** One `ZoneSetting` per setting, named `${name}-<setting id with dashes>`. */
export function createZoneSettings(
  name: string,
  zone: ZoneContext,
  hstsMaxAgeSeconds: number,
  opts: pulumi.CustomResourceOptions,
): cloudflare.ZoneSetting[] {
  return Object.entries(zoneSettingValues(hstsMaxAgeSeconds)).map(
    ([settingId, value]) =>
      new cloudflare.ZoneSetting(
        `${name}-${settingId.replace(/_/g, "-")}`,
        { zoneId: zone.id, settingId, value },
        opts,
      ),
  );
}

/** Response headers every proxied response carries (seed 004: security headers). */
export const securityHeaders: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** The zone's `http_response_headers_transform` entry point ruleset setting the headers above. */
export function createSecurityHeaders(
  name: string,
  zone: ZoneContext,
  opts: pulumi.CustomResourceOptions,
): cloudflare.Ruleset {
  return new cloudflare.Ruleset(
    `${name}-headers`,
    {
      zoneId: zone.id,
      kind: "zone",
      phase: "http_response_headers_transform",
      name: "Security response headers",
      description: "Security headers on every response of the platform edge",
      rules: [
        {
          ref: "security-headers",
          description: "Set the security response headers",
          enabled: true,
          action: "rewrite",
          expression: "true",
          actionParameters: {
            headers: Object.fromEntries(
              Object.entries(securityHeaders).map(([header, value]) => [
                header,
                { operation: "set", value },
              ]),
            ),
          },
        },
      ],
    },
    opts,
  );
}
