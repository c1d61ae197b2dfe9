import { underPrefix } from "../../components/edge/health";
import type { PlanReport, ReportResource } from "./report";

/** Which cluster serves a pool: the primary's, or the standby's (`standby-` resources). */
export type PoolCluster = "primary" | "standby";

/** One monitored host/path checked on one pool's cluster. */
export interface MonitoredRoute {
  readonly monitor: string;
  readonly host: string;
  readonly path: string;
  readonly pool: string;
  readonly cluster: PoolCluster;
  /** The Ingress routing host and path there, and the Service it sends them to. */
  readonly ingress?: string;
  readonly service?: string;
  /** Whether that service's NetworkPolicy admits the ingress controller's namespace. */
  readonly admitted?: boolean;
}

const types = {
  monitor: "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor",
  pool: "cloudflare:index/loadBalancerPool:LoadBalancerPool",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  service: "kubernetes:core/v1:Service",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  release: "kubernetes:helm.sh/v3:Release",
} as const;

interface PolicySpec {
  readonly podSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly ingress?: readonly {
    readonly from?: readonly {
      readonly namespaceSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
    }[];
  }[];
}

interface IngressPath {
  readonly path?: string;
  readonly pathType?: string;
  readonly backend?: { readonly service?: { readonly name?: string } };
}
interface IngressSpec {
  readonly ingressClassName?: string;
  readonly rules?: readonly {
    readonly host?: string;
    readonly http?: { readonly paths?: readonly IngressPath[] };
  }[];
}

const onCluster = (r: ReportResource, cluster: PoolCluster) =>
  r.name.startsWith("standby-") === (cluster === "standby");

/** A Kubernetes Ingress path matching a request path: Exact compares, Prefix by segments. */
export function ingressPathMatches(rule: IngressPath, path: string): boolean {
  if (rule.path === undefined) return true;
  return rule.pathType === "Exact" ? rule.path === path : underPrefix(path, rule.path);
}

/** The pool's cluster, from its origin: the primary's ingress address or the standby's. */
function poolCluster(report: PlanReport, pool: ReportResource): PoolCluster | undefined {
  const outputs = report.outputs as Record<string, unknown>;
  const origins = (pool.inputs as { origins?: { address?: string }[] }).origins ?? [];
  const address = origins[0]?.address;
  if (address !== undefined && address === outputs.ingressAddress) return "primary";
  if (address !== undefined && address === outputs.standbyIngressAddress) return "standby";
  return undefined;
}

/** The Ingress (class nginx) on `cluster` that routes host and path, and its backend Service. */
function routeOn(
  report: PlanReport,
  cluster: PoolCluster,
  host: string,
  path: string,
): { ingress: string; service: string } | undefined {
  for (const r of report.resources) {
    if (r.type !== types.ingress || !onCluster(r, cluster)) continue;
    const spec = (r.inputs as { spec?: IngressSpec }).spec;
    if (spec?.ingressClassName !== "nginx") continue;
    for (const rule of spec.rules ?? []) {
      if (rule.host !== host) continue;
      const match = (rule.http?.paths ?? []).find((p) => ingressPathMatches(p, path));
      const service = match?.backend?.service?.name;
      if (service !== undefined && serviceOn(report, cluster, service)) {
        return { ingress: r.name, service };
      }
    }
  }
  return undefined;
}

function serviceOn(report: PlanReport, cluster: PoolCluster, name: string): boolean {
  return report.resources.some(
    (r) =>
      r.type === types.service &&
      onCluster(r, cluster) &&
      (r.inputs as { metadata?: { name?: string } }).metadata?.name === name,
  );
}

/**
 * Whether the pods of `service` on `cluster` admit the ingress controller: a NetworkPolicy
 * selecting them (by `app.kubernetes.io/name`) allows ingress from the namespace the
 * ingress-nginx release runs in. Default-deny makes this the path's reachability.
 */
function admitsController(report: PlanReport, cluster: PoolCluster, service: string): boolean {
  const release = report.resources.find(
    (r) =>
      r.type === types.release &&
      onCluster(r, cluster) &&
      (r.inputs as { chart?: string }).chart === "ingress-nginx",
  );
  const namespace = (release?.inputs as { namespace?: string } | undefined)?.namespace;
  if (namespace === undefined) return false;
  return report.resources.some((r) => {
    if (r.type !== types.networkPolicy || !onCluster(r, cluster)) return false;
    const spec = (r.inputs as { spec?: PolicySpec }).spec;
    if (spec?.podSelector?.matchLabels?.["app.kubernetes.io/name"] !== service) return false;
    return (spec.ingress ?? []).some((rule) =>
      (rule.from ?? []).some(
        (peer) =>
          peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === namespace,
      ),
    );
  });
}

/**
 * Every load balancer monitor's host and path, checked on the cluster behind each pool it
 * watches: routed by an nginx Ingress (host equal, path matched as Kubernetes matches it) to a
 * Service on that cluster, whose pods' NetworkPolicy admits the ingress controller.
 * `problems` names each monitor/pool pair that is not.
 */
export function monitoredRoutes(report: PlanReport): {
  routes: MonitoredRoute[];
  problems: string[];
} {
  const routes: MonitoredRoute[] = [];
  const problems: string[] = [];
  for (const monitor of report.resources.filter((r) => r.type === types.monitor)) {
    const inputs = monitor.inputs as { path?: string; header?: { Host?: string[] } };
    const host = inputs.header?.Host?.[0];
    const path = inputs.path ?? "/";
    if (host === undefined) {
      problems.push(`monitor ${monitor.name} sends no Host header`);
      continue;
    }
    const pools = report.resources.filter(
      (r) => r.type === types.pool && r.propertyDependencies.monitor?.includes(monitor.urn),
    );
    if (pools.length === 0) problems.push(`monitor ${monitor.name} watches no pool`);
    for (const pool of pools) {
      const cluster = poolCluster(report, pool);
      if (cluster === undefined) {
        problems.push(`pool ${pool.name}: its origin is no ingress controller of this stack`);
        continue;
      }
      const route = routeOn(report, cluster, host, path);
      const admitted = route && admitsController(report, cluster, route.service);
      routes.push({
        monitor: monitor.name,
        host,
        path,
        pool: pool.name,
        cluster,
        ...route,
        admitted,
      });
      if (route === undefined) {
        problems.push(
          `monitor ${monitor.name} probes ${host}${path}, which no Ingress routes on the ${cluster} cluster behind pool ${pool.name}`,
        );
      } else if (!admitted) {
        problems.push(
          `monitor ${monitor.name} probes ${host}${path}: on the ${cluster} cluster, no NetworkPolicy of service ${route.service} admits the ingress controller's namespace`,
        );
      }
    }
  }
  return { routes, problems };
}
