import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { ZoneContext } from "./zone";

/**
 * The TLS 1.2 cipher suites the edge offers: Cloudflare's "Modern" security level, every one
 * forward-secret (ECDHE) with authenticated encryption (GCM or ChaCha20-Poly1305); no CBC, no
 * static RSA key exchange, no 3DES (seeds 003 and 004: modern cipher suites only). TLS 1.3's
 * suites are fixed by Cloudflare and not part of this list.
 */
export const modernCipherSuites: readonly string[] = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
];

/**
 * TLS and HTTPS settings of the zone (seed 003: TLS 1.2 and 1.3 only with modern ciphers, HSTS
 * with a 2-year max-age). `ssl: strict` makes Cloudflare verify the origin's certificate (its name and a
 * publicly trusted or Cloudflare Origin CA issuer). `tls_client_auth: on` is Authenticated
 * Origin Pulls with Cloudflare's certificate: the edge presents a client certificate signed by
 * `cloudflareOriginPullCa` to every origin, which the origins' Ingresses demand.
 */
export function zoneSettingValues(
  hstsMaxAgeSeconds: number,
  modernCiphersOnly: boolean,
): Record<string, unknown> {
  return {
    min_tls_version: "1.2",
    tls_1_3: "on",
    ...(modernCiphersOnly && { ciphers: [...modernCipherSuites] }),
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
  tls: { hstsMaxAgeSeconds: number; modernCiphersOnly: boolean },
  opts: pulumi.CustomResourceOptions,
): cloudflare.ZoneSetting[] {
  return Object.entries(zoneSettingValues(tls.hstsMaxAgeSeconds, tls.modernCiphersOnly)).map(
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

/** `securityHeaders` plus the stack's `Content-Security-Policy`. */
export function responseHeaders(contentSecurityPolicy: string): Record<string, string> {
  return { ...securityHeaders, "Content-Security-Policy": contentSecurityPolicy };
}

/** The zone's `http_response_headers_transform` entry point ruleset setting the headers above. */
export function createSecurityHeaders(
  name: string,
  zone: ZoneContext,
  contentSecurityPolicy: string,
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
              Object.entries(responseHeaders(contentSecurityPolicy)).map(([header, value]) => [
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
