import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Edge, type EdgeOrigin } from "../components/edge";
import { cloudflareOriginLock, type OriginLock } from "../components/edge/origin";
import type { Ingress } from "../components/ingress";
import { ingressOrigins, type PlatformConfig } from "../config";

/** The ingress controllers the edge may take its origins from, by role. */
export interface EdgeIngresses {
  readonly primary?: Ingress;
  readonly standby?: Ingress;
}

/**
 * Each cloud's origin: the stack's override, else the address of the ingress controller there
 * (an NLB hostname on AWS, the reserved IPv4 address on GCP).
 */
function edgeOrigin(
  config: PlatformConfig,
  ingresses: EdgeIngresses,
  cloud: "aws" | "gcp",
): EdgeOrigin | undefined {
  const override = config.edge?.origins[cloud];
  if (override !== undefined) return { hostname: override };
  const role = ingressOrigins(config)[cloud];
  const address = role && ingresses[role]?.address;
  if (!address) return undefined;
  return cloud === "gcp" ? { ipv4: address } : { hostname: address };
}

/** The Cloudflare provider, when `platform:edge` is set. */
export function buildCloudflareProvider(config: PlatformConfig): cloudflare.Provider | undefined {
  if (!config.edge) return undefined;
  // The token is stack config (`pulumi config set --secret cloudflare:apiToken ...`), never in
  // the repository; without it the provider falls back to CLOUDFLARE_API_TOKEN.
  return new cloudflare.Provider("cloudflare", {
    apiToken: new pulumi.Config("cloudflare").getSecret("apiToken"),
  });
}

/**
 * What locks every origin's ingress controller to the edge: Cloudflare's published ranges, read
 * through the stack's provider, and the origin-pull CA. None without the edge.
 */
export function buildOriginLock(provider: cloudflare.Provider | undefined): OriginLock | undefined {
  return provider && cloudflareOriginLock({ provider });
}

/** The Cloudflare edge in front of the stack's origins, when `platform:edge` is set. */
export function buildEdge(
  config: PlatformConfig,
  ingresses: EdgeIngresses,
  provider: cloudflare.Provider | undefined,
): Edge | undefined {
  if (!config.edge || !provider) return undefined;
  return new Edge(
    "edge",
    {
      ...config.edge,
      tier: config.tier,
      namePrefix: config.baseName,
      origins: {
        aws: edgeOrigin(config, ingresses, "aws"),
        gcp: edgeOrigin(config, ingresses, "gcp"),
      },
    },
    { providers: { cloudflare: provider } },
  );
}
