import { z } from "zod";

export const ingressSection = z
  .object({
    /**
     * Cloudflare API token with Zone:DNS:Edit on the wildcard hosts' zone (secret). cert-manager
     * proves control of the domain with it (ACME DNS-01), which wildcard certificates require.
     */
    cloudflareApiToken: z
      .string({ error: "is not a string; expected a Cloudflare API token" })
      .min(1, { error: "is empty; expected a Cloudflare API token" })
      .optional(),
  })
  .strict();

export type IngressSection = z.output<typeof ingressSection>;

/** `*.tenants.example.com` -> `tenants.example.com`; a host without a wildcard -> undefined. */
export function wildcardParent(host: string): string | undefined {
  return host.startsWith("*.") ? host.slice(2) : undefined;
}
