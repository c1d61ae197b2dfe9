import { healthRoutes } from "../components/edge/health";
import { fqdn } from "../components/edge/zone";
import type { ServiceSettings } from "../components/workloads";
import { showValue } from "./errors";
import { awsOnlyUsesOf, servicesTheStandbyCanRun, standbyConnectionKeys } from "./standby";

/** What the failover checks read from the resolved config. */
export interface FailoverContext {
  readonly standby: "none" | "gcp";
  readonly services: readonly ServiceSettings[];
  readonly database: { readonly enabled: boolean };
  readonly cache: { readonly enabled: boolean };
  readonly edge?: {
    readonly loadBalancer: boolean;
    readonly zone: { readonly name?: string };
    readonly hosts: readonly string[];
    readonly origins: { readonly aws?: string; readonly gcp?: string };
  };
  readonly failover: { readonly standbyRunsWithout: readonly string[] };
}

const key = (k: string) => `platform:edge.${k}`;

/**
 * Item by item, why the load balancer could not fail a host over: every host it fronts must
 * have a health path the ingress routes on both clusters (when an origin is this stack's
 * ingress controller, `derived` as `ingressOrigins` gives them), and the standby must run every
 * service exposed on those hosts.
 */
export function failoverHostProblems(
  cfg: FailoverContext,
  derived: { readonly aws?: unknown; readonly gcp?: unknown },
): string[] {
  const edge = cfg.edge;
  if (!edge?.loadBalancer || cfg.standby !== "gcp") return [];
  // Only a pool whose origin is this stack's ingress controller is served by its Ingresses; a
  // stated origin is a load balancer outside the stack, with routes of its own.
  const ours = (["aws", "gcp"] as const).some(
    (cloud) => edge.origins[cloud] === undefined && derived[cloud] !== undefined,
  );
  return [...(ours ? healthPathProblems(cfg) : []), ...standbyHostProblems(cfg)];
}

function healthPathProblems(cfg: FailoverContext): string[] {
  const edge = cfg.edge!;
  const zoneName = edge.zone.name;
  if (zoneName === undefined) {
    return [
      `${key("zoneName")}: (missing) is required with the load balancer: each host's monitor probes a service exposed on that host, found by its full name; set it beside ${key("zoneId")}`,
    ];
  }
  return healthRoutes(edge.hosts, zoneName, cfg.services).unrouted.map(
    ({ label, hostname, why }) =>
      `${key(`hosts[${edge.hosts.indexOf(label)}]`)}: ${showValue(label, false)} is load balanced, but ${why}, so its health monitor has no path either cluster answers and both pools would be unhealthy; expose a service on ${hostname} whose readiness probe (httpGet on its port) lies under its ingress path, or remove the host`,
  );
}

function standbyHostProblems(cfg: FailoverContext): string[] {
  const edge = cfg.edge!;
  const zoneName = edge.zone.name;
  if (zoneName === undefined) return [];
  const connections = standbyConnectionKeys(cfg);
  const runsWithout = cfg.failover.standbyRunsWithout;
  const { leftOut } = servicesTheStandbyCanRun(cfg.services, connections, runsWithout);
  const problems: string[] = [];
  edge.hosts.forEach((label, i) => {
    const hostname = fqdn(label, zoneName);
    for (const service of cfg.services) {
      const routed = service.exposure.kind === "ingress" && service.exposure.host === hostname;
      if (!routed || !leftOut.includes(service.name)) continue;
      problems.push(
        `${key(`hosts[${i}]`)}: ${showValue(label, false)} fails over to the gcp standby, but the standby leaves out service ${service.name} (exposed on ${hostname}): ${whyLeftOut(cfg, service.name, { connections, runsWithout }, leftOut)}; list the key or use in ${key("failover.standbyRunsWithout")} if the service starts without it, or set ${key("loadBalancer")} false`,
      );
    }
  });
  return problems;
}

/** The connection a left-out service (or a service it calls) reads that the standby lacks. */
function whyLeftOut(
  cfg: FailoverContext,
  name: string,
  standby: { readonly connections: readonly string[]; readonly runsWithout: readonly string[] },
  leftOut: readonly string[],
  seen: readonly string[] = [],
): string {
  const service = cfg.services.find((s) => s.name === name)!;
  const missing = Object.values(service.secretEnv)
    .map((ref) => ref.key)
    .filter((k) => !standby.connections.includes(k) && !standby.runsWithout.includes(k));
  const awsOnly = awsOnlyUsesOf(service).filter((u) => !standby.runsWithout.includes(u));
  if (awsOnly.length > 0) {
    return `it uses the ${awsOnly.join(", ")} (platform:workloads.services[].uses), which the standby has no counterpart for`;
  }
  if (missing.length > 0) {
    return `it reads ${missing.map((k) => `"${k}"`).join(", ")} from the connections Secret, which the standby has no counterpart for (it has: ${standby.connections.join(", ") || "none"})`;
  }
  // Left out only through a callee: name the first callee left out and its reason.
  const callee = service.calls.find((c) => leftOut.includes(c) && !seen.includes(c));
  if (callee === undefined) return "it calls a service the standby leaves out";
  const reason = whyLeftOut(cfg, callee, standby, leftOut, [...seen, name]).replace(/^it /, "");
  return `it calls ${callee}, which ${reason}`;
}
