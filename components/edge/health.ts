import type { ServiceSettings } from "../workloads";
import { fqdn } from "./zone";

/** What the health monitor of one load-balanced host probes, on every pool's origin. */
export interface HealthRoute {
  /** Host label in the zone (`app`). */
  readonly label: string;
  /** The full host name the monitor sends as `Host` (`app.example.com`). */
  readonly hostname: string;
  /** Path the monitor GETs: the readiness path of `service`, inside its ingress prefix. */
  readonly path: string;
  /** The service the ingress routes that path to, on the primary's cluster and the standby's. */
  readonly service: string;
}

/** Whether an Ingress path of type Prefix matches `path` (Kubernetes compares whole segments). */
export function underPrefix(path: string, prefix: string): boolean {
  const base = prefix.replace(/\/+$/, "");
  return base === "" || path === base || path.startsWith(`${base}/`);
}

type Routable = Pick<ServiceSettings, "name" | "port" | "probes" | "exposure">;

/**
 * The readiness path of a service exposed by ingress on `hostname`, when the ingress reaches
 * it: an HTTP GET on the service's own port, under the ingress path prefix (the ingress does
 * not rewrite paths, so the pod sees the path the monitor sends).
 */
function readinessThroughIngress(service: Routable, hostname: string): string | undefined {
  const { exposure } = service;
  if (exposure.kind !== "ingress" || exposure.host !== hostname) return undefined;
  const probe = service.probes.readiness.httpGet;
  if (probe === undefined || probe.port !== service.port) return undefined;
  return underPrefix(probe.path, exposure.path) ? probe.path : undefined;
}

/**
 * For each host label, the route its monitor probes: the first service (in config order)
 * exposed by ingress on that host whose readiness path the ingress reaches. Labels with none
 * are in `unrouted`, with the reason.
 */
export function healthRoutes(
  labels: readonly string[],
  zoneName: string,
  services: readonly Routable[],
): { routes: HealthRoute[]; unrouted: { label: string; hostname: string; why: string }[] } {
  const routes: HealthRoute[] = [];
  const unrouted: { label: string; hostname: string; why: string }[] = [];
  for (const label of labels) {
    const hostname = fqdn(label, zoneName);
    const onHost = services.filter(
      (s) => s.exposure.kind === "ingress" && s.exposure.host === hostname,
    );
    const found = onHost
      .map((s) => ({ service: s.name, path: readinessThroughIngress(s, hostname) }))
      .find((r) => r.path !== undefined);
    if (found?.path !== undefined) {
      routes.push({ label, hostname, path: found.path, service: found.service });
      continue;
    }
    const why =
      onHost.length === 0
        ? `no service is exposed by ingress on ${hostname}`
        : `no service exposed on ${hostname} (${onHost.map((s) => s.name).join(", ")}) has an HTTP readiness probe on its own port under its ingress path`;
    unrouted.push({ label, hostname, why });
  }
  return { routes, unrouted };
}
