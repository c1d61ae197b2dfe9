import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { createCacheRules } from "./cache-rules";
import type { EdgeArgs, EdgeOutputs } from "./index";
import { originAddress, originRecordType } from "./origin";
import { createLoadBalancing } from "./load-balancer";
import { createRateLimits } from "./rate-limits";
import { createWaf } from "./waf";
import { fqdn, labelName, resolveZone, wildcardLabel, type ZoneContext } from "./zone";
import { createSecurityHeaders, createZoneSettings } from "./zone-settings";

/**
 * A proxied record per public host to the primary cloud's load balancer: a CNAME to its
 * hostname, or an A record to its reserved address. Where a Cloudflare
 * load balancer has the same hostname it takes precedence; the record keeps the host
 * answering from the primary if the load balancer is ever removed.
 */
function createDnsRecords(
  name: string,
  args: EdgeArgs,
  zone: ZoneContext,
  opts: pulumi.CustomResourceOptions,
): cloudflare.DnsRecord[] {
  // edgeArgProblems refuses args without the primary pool's origin.
  const origin = args.origins[args.primaryPool]!;
  const type = originRecordType(origin);
  return args.hosts.map(
    (host) =>
      new cloudflare.DnsRecord(
        `${name}-dns-${labelName(host)}`,
        {
          zoneId: zone.id,
          name: zone.name.apply((z) => fqdn(host, z)),
          type,
          content: originAddress(origin),
          proxied: true,
          ttl: 1,
          comment: `${args.namePrefix}: ${host} via Cloudflare to the ${args.primaryPool} origin`,
        },
        opts,
      ),
  );
}

export function createCloudflareEdge(
  name: string,
  args: EdgeArgs,
  parent: pulumi.Resource,
): EdgeOutputs {
  const opts: pulumi.CustomResourceOptions = { parent };
  const zone = resolveZone(args.zone, args.hosts, parent);

  createZoneSettings(name, zone, args, opts);
  createSecurityHeaders(name, zone, args.contentSecurityPolicy, opts);
  createDnsRecords(name, args, zone, opts);
  createWaf(
    name,
    zone,
    {
      mode: args.wafMode,
      owaspParanoiaLevel: args.owaspParanoiaLevel,
      owaspScoreThreshold: args.owaspScoreThreshold,
    },
    opts,
  );
  createRateLimits(name, zone, args.rateLimits, opts);
  createCacheRules(name, zone, args.cache, opts);
  const balancing = args.loadBalancer ? createLoadBalancing(name, args, zone, opts) : undefined;

  return {
    zoneId: zone.id,
    // A wildcard is a pattern, not an address to open.
    urls: zone.name.apply((z) =>
      args.hosts.filter((h) => h !== wildcardLabel).map((h) => `https://${fqdn(h, z)}`),
    ),
    pools: balancing?.pools,
    failoverTime: balancing?.failoverTime,
    manualFailover: balancing?.manualFailover,
  };
}
