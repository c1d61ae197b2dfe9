import { z } from "zod";
import { plainTextCredentialProblem } from "../errors";

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

/** The token given as plain text in the stack file. */
export function plainTextTokenProblems(
  namespace: string,
  values: Readonly<Record<string, unknown>>,
  isSecret: (key: string) => boolean,
): string[] {
  const section = values.ingress;
  if (!section || typeof section !== "object" || isSecret("ingress")) return [];
  if ((section as Record<string, unknown>).cloudflareApiToken === undefined) return [];
  return [plainTextCredentialProblem(namespace, ["ingress", "cloudflareApiToken"])];
}

/** `*.tenants.example.com` -> `tenants.example.com`; a host without a wildcard -> undefined. */
export function wildcardParent(host: string): string | undefined {
  return host.startsWith("*.") ? host.slice(2) : undefined;
}
