import { connectionsSecretName, type ServiceSettings } from "../components/workloads";

/** Replicas each service keeps on the warm standby; its autoscaler still reaches the tier's maximum. */
export const standbyReplicas = 1;

/**
 * Keys of the `connections` Secret on the GCP standby: Cloud SQL's and Memorystore's URLs when
 * the stack builds those services, and Memorystore's server CA (its TLS is always on there). OpenSearch has no GCP counterpart here, so `search-url` is
 * never among them.
 */
export function standbyConnectionKeys(cfg: {
  readonly database: { readonly enabled: boolean };
  readonly cache: { readonly enabled: boolean };
}): string[] {
  return [
    ...(cfg.database.enabled ? ["database-url"] : []),
    ...(cfg.cache.enabled ? ["redis-url", "redis-ca"] : []),
  ];
}

/**
 * What a service uses that the GCP standby has no counterpart for: the queue, the topic and
 * the search domain exist on AWS only.
 */
export function awsOnlyUsesOf(service: ServiceSettings): string[] {
  const uses = service.uses;
  if (uses === undefined) return [];
  return (["queue", "topic", "search"] as const).filter((u) => uses[u] !== undefined);
}

/**
 * The services the standby can run with the connections it has. A service that reads a
 * connection the standby lacks, or uses the queue, topic or search (AWS only), is left out,
 * unless that key or use is in `runsWithout` (the stack states the service starts without it
 * there), and so is every service that calls one left out: a half-working standby would pass
 * health checks and fail requests.
 */
export function servicesTheStandbyCanRun(
  services: readonly ServiceSettings[],
  connections: readonly string[],
  runsWithout: readonly string[] = [],
): { kept: ServiceSettings[]; leftOut: string[] } {
  const lacks = (key: string) => !connections.includes(key) && !runsWithout.includes(key);
  const leftOut = new Set(
    services
      .filter(
        (s) =>
          Object.values(s.secretEnv).some((ref) => lacks(ref.key)) ||
          awsOnlyUsesOf(s).some((use) => !runsWithout.includes(use)),
      )
      .map((s) => s.name),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of services) {
      if (!leftOut.has(s.name) && s.calls.some((callee) => leftOut.has(callee))) {
        leftOut.add(s.name);
        grew = true;
      }
    }
  }
  return {
    kept: services.filter((s) => !leftOut.has(s.name)),
    leftOut: [...leftOut],
  };
}

/**
 * A service as the standby runs it without the connections it lacks: the variables that read
 * them are dropped, so the pod starts instead of waiting on a missing Secret key, and so are
 * its uses of AWS-only data, which no Google identity could be granted.
 */
export function withoutMissingConnections(
  service: ServiceSettings,
  connections: readonly string[],
): ServiceSettings {
  const secretEnv = Object.fromEntries(
    Object.entries(service.secretEnv).filter(
      ([, ref]) => ref.secret !== connectionsSecretName || connections.includes(ref.key),
    ),
  );
  if (service.uses === undefined) return { ...service, secretEnv };
  return { ...service, secretEnv, uses: { buckets: service.uses.buckets } };
}
