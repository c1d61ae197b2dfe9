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
 * The services the standby can run with the connections it has. A service that reads a
 * connection the standby lacks is left out, unless that key is in `runsWithout` (the stack
 * states the service starts without it there), and so is every service that calls one left
 * out: a half-working standby would pass health checks and fail requests.
 */
export function servicesTheStandbyCanRun(
  services: readonly ServiceSettings[],
  connections: readonly string[],
  runsWithout: readonly string[] = [],
): { kept: ServiceSettings[]; leftOut: string[] } {
  const lacks = (key: string) => !connections.includes(key) && !runsWithout.includes(key);
  const leftOut = new Set(
    services
      .filter((s) => Object.values(s.secretEnv).some((ref) => lacks(ref.key)))
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
 * them are dropped, so the pod starts instead of waiting on a missing Secret key.
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
  return { ...service, secretEnv };
}
