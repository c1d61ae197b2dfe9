import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { failoverBudget } from "./failover";
import type { EdgeArgs, EdgePools } from "./index";
import { originAddress } from "./origin";
import { fqdn, labelName, type ZoneContext } from "./zone";

/** The health check: HTTPS GET /health must answer 200. */
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

/**
 * A monitor on /health, one pool per cloud and, for every public host, a proxied load
 * balancer that sends traffic to the primary pool while it is healthy and to the standby
 * otherwise (steering "off" = failover in `defaultPools` order; the standby is also the
 * fallback pool when both are down).
 */
export function createLoadBalancing(
  name: string,
  args: EdgeArgs,
  zone: ZoneContext,
  opts: pulumi.CustomResourceOptions,
): LoadBalancing {
  const accountId = args.accountId!;
  // edgeArgProblems refuses a load balancer without both origins.
  const awsOrigin = originAddress(args.origins.aws!);
  const gcpOrigin = originAddress(args.origins.gcp!);
  const monitor = new cloudflare.LoadBalancerMonitor(
    `${name}-monitor`,
    {
      accountId,
      description: `${args.namePrefix} ${healthCheck.path}`,
      ...healthCheck,
      followRedirects: false,
      allowInsecure: false,
      interval: args.failover.intervalSeconds,
      timeout: args.failover.timeoutSeconds,
      retries: args.failover.retries,
      consecutiveDown: args.failover.consecutiveDown,
      consecutiveUp: args.failover.consecutiveUp,
      header: { Host: [zone.name.apply((z) => fqdn(args.hosts[0]!, z))] },
    },
    opts,
  );

  const pool = (cloud: "aws" | "gcp", address: pulumi.Input<string>) =>
    new cloudflare.LoadBalancerPool(
      `${name}-pool-${cloud}`,
      {
        accountId,
        name: `${args.namePrefix}-${cloud}`,
        description: `${cloud.toUpperCase()} origin of ${args.namePrefix}`,
        enabled: true,
        minimumOrigins: 1,
        monitor: monitor.id,
        origins: [{ name: `${args.namePrefix}-${cloud}`, address, enabled: true, weight: 1 }],
      },
      opts,
    );
  const pools = { aws: pool("aws", awsOrigin), gcp: pool("gcp", gcpOrigin) };
  const standbyCloud = args.primaryPool === "aws" ? "gcp" : "aws";
  const active = pools[args.primaryPool];
  const standby = pools[standbyCloud];

  for (const host of args.hosts) {
    new cloudflare.LoadBalancer(
      `${name}-lb-${labelName(host)}`,
      {
        zoneId: zone.id,
        name: zone.name.apply((z) => fqdn(host, z)),
        description: `${host} on ${args.primaryPool}, failing over to ${standbyCloud}`,
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
  }

  const budget = failoverBudget(args.failover);
  const activeName = `${args.namePrefix}-${args.primaryPool}`;
  const standbyName = `${args.namePrefix}-${standbyCloud}`;
  const manualFailover = pulumi
    .all([
      pulumi.interpolate`Traffic goes to pool ${activeName} (${active.id}) while its /health answers 200,`,
      pulumi.interpolate`else to ${standbyName} (${standby.id}). To fail over by hand, either:`,
      `(1) pulumi config set --path platform:edge.primaryPool ${standbyCloud} && pulumi up`,
      "(the standby becomes the first pool of every load balancer); or (2) without a deploy,",
      `disable the active pool: Cloudflare dashboard > Traffic > Load Balancing > Pools > ${activeName}`,
      pulumi.interpolate`> Disable, or PATCH https://api.cloudflare.com/client/v4/accounts/${accountId}/load_balancers/pools/${active.id}`,
      `with {"enabled": false}; the load balancers then use ${standbyName}.`,
      "The next pulumi up enables the pool again, so use (1) for a lasting move.",
      "To fail back, undo (1) or re-enable the pool.",
    ])
    .apply((sentences) => sentences.join(" "));

  return {
    pools: {
      active: activeName,
      standby: standbyName,
      activePoolId: active.id,
      standbyPoolId: standby.id,
    },
    failoverTime: budget.explanation,
    manualFailover,
  };
}
