import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { failoverBudget } from "./failover";
import type { EdgeArgs, EdgePools } from "./index";
import { originAddress } from "./origin";
import { fqdn, labelName, type ZoneContext } from "./zone";

/** The health check: HTTPS GET on the host's health path must answer 200. */
export const healthCheck = {
  type: "https",
  method: "GET",
  path: "/health",
  expectedCodes: "200",
} as const;

export interface LoadBalancing {
  readonly pools: EdgePools;
  readonly failoverTime: string;
  readonly manualFailover: pulumi.Output<string>;
}

type Cloud = "aws" | "gcp";

/** One load-balanced host: its monitor and its two pools. */
interface HostBalancing {
  readonly label: string;
  readonly active: cloudflare.LoadBalancerPool;
  readonly standby: cloudflare.LoadBalancerPool;
}

/**
 * The monitor of one host: `Host` is that host and the path is a health path the ingress
 * routes on that host (`args.healthPaths`), so both pools are judged by what that host serves.
 */
function hostMonitor(
  name: string,
  args: EdgeArgs,
  zone: ZoneContext,
  label: string,
  opts: pulumi.CustomResourceOptions,
): cloudflare.LoadBalancerMonitor {
  const path = args.healthPaths?.[label] ?? healthCheck.path;
  return new cloudflare.LoadBalancerMonitor(
    `${name}-monitor-${labelName(label)}`,
    {
      accountId: args.accountId!,
      description: zone.name.apply((z) => `${args.namePrefix} ${fqdn(label, z)}${path}`),
      ...healthCheck,
      path,
      followRedirects: false,
      allowInsecure: false,
      interval: args.failover.intervalSeconds,
      timeout: args.failover.timeoutSeconds,
      retries: args.failover.retries,
      consecutiveDown: args.failover.consecutiveDown,
      consecutiveUp: args.failover.consecutiveUp,
      header: { Host: [zone.name.apply((z) => fqdn(label, z))] },
      // Probes leave with the zone's settings, Authenticated Origin Pulls included: without it
      // the origins, which demand Cloudflare's client certificate, refuse every probe.
      probeZone: zone.name,
    },
    opts,
  );
}

/** The host's pools, one per cloud, each checked by the host's monitor. */
function hostPools(
  name: string,
  args: EdgeArgs,
  label: string,
  monitor: cloudflare.LoadBalancerMonitor,
  opts: pulumi.CustomResourceOptions,
): Record<Cloud, cloudflare.LoadBalancerPool> {
  const pool = (cloud: Cloud) => {
    const poolName = `${args.namePrefix}-${labelName(label)}-${cloud}`;
    return new cloudflare.LoadBalancerPool(
      `${name}-pool-${labelName(label)}-${cloud}`,
      {
        accountId: args.accountId!,
        name: poolName,
        description: `${cloud.toUpperCase()} origin of ${label} (${args.namePrefix})`,
        enabled: true,
        minimumOrigins: 1,
        monitor: monitor.id,
        // edgeArgProblems refuses a load balancer without both origins.
        origins: [
          {
            name: poolName,
            address: originAddress(args.origins[cloud]!),
            enabled: true,
            weight: 1,
          },
        ],
      },
      opts,
    );
  };
  return { aws: pool("aws"), gcp: pool("gcp") };
}

/**
 * For every public host: a monitor on that host's health path, one pool per cloud, and a
 * proxied load balancer that sends traffic to the primary pool while it is healthy and to the
 * standby otherwise (steering "off" = failover in `defaultPools` order; the standby is also
 * the fallback pool when both are down).
 */
export function createLoadBalancing(
  name: string,
  args: EdgeArgs,
  zone: ZoneContext,
  opts: pulumi.CustomResourceOptions,
): LoadBalancing {
  const standbyCloud: Cloud = args.primaryPool === "aws" ? "gcp" : "aws";
  const balanced: HostBalancing[] = args.hosts.map((label) => {
    const monitor = hostMonitor(name, args, zone, label, opts);
    const pools = hostPools(name, args, label, monitor, opts);
    const active = pools[args.primaryPool];
    const standby = pools[standbyCloud];
    new cloudflare.LoadBalancer(
      `${name}-lb-${labelName(label)}`,
      {
        zoneId: zone.id,
        name: zone.name.apply((z) => fqdn(label, z)),
        description: `${label} on ${args.primaryPool}, failing over to ${standbyCloud}`,
        enabled: true,
        proxied: true,
        steeringPolicy: "off",
        defaultPools: [active.id, standby.id],
        fallbackPool: standby.id,
        sessionAffinity: "none",
        adaptiveRouting: { failoverAcrossPools: true },
      },
      opts,
    );
    return { label, active, standby };
  });
  const poolName = (label: string, cloud: Cloud) =>
    `${args.namePrefix}-${labelName(label)}-${cloud}`;
  return {
    pools: {
      active: balanced.map((b) => poolName(b.label, args.primaryPool)),
      standby: balanced.map((b) => poolName(b.label, standbyCloud)),
      activePoolIds: balanced.map((b) => b.active.id),
      standbyPoolIds: balanced.map((b) => b.standby.id),
    },
    failoverTime: failoverBudget(args.failover).explanation,
    manualFailover: manualFailoverText(args, balanced, standbyCloud),
  };
}

/** What an operator does to move traffic by hand, with the pool ids. */
function manualFailoverText(
  args: EdgeArgs,
  balanced: readonly HostBalancing[],
  standbyCloud: Cloud,
): pulumi.Output<string> {
  const accountId = args.accountId!;
  const activeIds = pulumi.all(balanced.map((b) => b.active.id)).apply((ids) => ids.join(", "));
  return pulumi
    .all([
      `Each host's traffic goes to its ${args.primaryPool} pool while that host's health path`,
      `answers 200 there, else to its ${standbyCloud} pool. To fail over by hand, either:`,
      `(1) pulumi config set --path platform:edge.primaryPool ${standbyCloud} && pulumi up`,
      "(the standby becomes the first pool of every load balancer); or (2) without a deploy,",
      `disable the ${args.primaryPool} pools: Cloudflare dashboard > Traffic > Load Balancing > Pools > Disable,`,
      pulumi.interpolate`or PATCH https://api.cloudflare.com/client/v4/accounts/${accountId}/load_balancers/pools/<id>`,
      pulumi.interpolate`with {"enabled": false} for each of ${activeIds}.`,
      "The next pulumi up enables the pools again, so use (1) for a lasting move.",
      `Traffic returns to the ${args.primaryPool} pools by itself once their health paths pass:`,
      "to fail back only when the primary's data is current again, hold traffic with (1) and undo it then.",
    ])
    .apply((sentences) => sentences.join(" "));
}
