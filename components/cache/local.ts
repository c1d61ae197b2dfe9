import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  createStatefulServer,
  credentialsSecret,
  localDataResources,
} from "../local-data/stateful";
import { ComponentError } from "../errors";
import type { LocalPlacement } from "../placement";
import type { CacheArgs, CacheOutputs } from "./index";

/** Redis image for the local target, pinned to a patch release of the version asked. */
export const localRedisImages: Readonly<Record<string, string>> = {
  "7.0": "redis:7.0.15-bookworm",
  "7.2": "redis:7.2.6-bookworm",
  // ElastiCache 7.1 speaks the protocol of open-source Redis 7.2.
  "7.1": "redis:7.2.6-bookworm",
};

/** The local target's rules on the args, one line each; `cacheArgProblems` gathers them. */
export function localCacheProblems(args: CacheArgs): string[] {
  if (localRedisImages[args.engineVersion] !== undefined) return [];
  return [
    `engineVersion "${args.engineVersion}" has no pinned local Redis image; expected one of ${Object.keys(localRedisImages).join(", ")}`,
  ];
}

/**
 * Redis in the cluster: one server with AUTH (`--requirepass` from a generated password
 * kept in a Secret, passed by env reference, never on the manifest), append-only persistence
 * on a PVC, the restricted security context.
 */
export function createLocalCache(
  name: string,
  args: CacheArgs & { readonly placement: LocalPlacement },
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
): CacheOutputs {
  const image = localRedisImages[args.engineVersion];
  if (image === undefined) throw new ComponentError("Cache", name, localCacheProblems(args));
  const namespace = args.placement.namespace;
  const serverName = `${name}-redis`;
  const token = new random.RandomPassword(
    `${name}-auth-token`,
    { length: 32, special: false },
    { parent },
  );
  const labels = { ...args.tags };
  const secret = credentialsSecret(
    name,
    `${serverName}-credentials`,
    namespace,
    labels,
    { password: token.result },
    parent,
    dependsOn,
  );
  const { service } = createStatefulServer(
    name,
    {
      serverName,
      namespace,
      labels,
      image,
      args: [
        "redis-server",
        "--requirepass",
        "$(REDIS_PASSWORD)",
        "--appendonly",
        "yes",
        "--dir",
        "/data",
      ],
      env: [
        {
          name: "REDIS_PASSWORD",
          valueFrom: { secretKeyRef: { name: `${serverName}-credentials`, key: "password" } },
        },
      ],
      port: 6379,
      dataPath: "/data",
      storageGb: 1,
      resources: localDataResources.cache,
      liveness: { tcpSocket: { port: 6379 }, initialDelaySeconds: 15, periodSeconds: 10 },
      readiness: { tcpSocket: { port: 6379 }, initialDelaySeconds: 5, periodSeconds: 5 },
    },
    parent,
    [...dependsOn, secret],
  );
  const host = pulumi.interpolate`${service.metadata.name}.${namespace}.svc.cluster.local`;
  return {
    host,
    port: pulumi.output(6379),
    authToken: pulumi.secret(token.result),
    connectionString: pulumi.secret(pulumi.interpolate`redis://:${token.result}@${host}:6379`),
    nodeIds: [pulumi.output(serverName)],
  };
}
