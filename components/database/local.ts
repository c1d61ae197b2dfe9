import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  createStatefulServer,
  credentialsSecret,
  localDataResources,
} from "../local-data/stateful";
import { ComponentError } from "../errors";
import type { LocalPlacement } from "../placement";
import type { DatabaseArgs, DatabaseOutputs } from "./index";

/** PostgreSQL image for the local target, pinned to a patch release of the major asked. */
export const localPostgresImages: Readonly<Record<string, string>> = {
  "15": "postgres:15.17-bookworm",
  "16": "postgres:16.13-bookworm",
};

/** The local target's rules on the args, one line each; `databaseArgProblems` gathers them. */
export function localDatabaseProblems(args: DatabaseArgs): string[] {
  if (localPostgresImages[args.engineVersion] !== undefined) return [];
  return [
    `engineVersion "${args.engineVersion}" has no pinned local PostgreSQL image; expected one of ${Object.keys(localPostgresImages).join(", ")}`,
  ];
}

/**
 * PostgreSQL in the cluster: a StatefulSet with a PVC of `allocatedStorageGb`, the
 * restricted security context (user 1001; the image's entrypoint supports any uid), the
 * master password generated and kept in a Secret. Traffic stays inside the cluster, behind
 * the namespace's NetworkPolicy, without TLS.
 */
export function createLocalDatabase(
  name: string,
  args: DatabaseArgs & { readonly placement: LocalPlacement },
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
): DatabaseOutputs {
  const image = localPostgresImages[args.engineVersion];
  if (image === undefined) throw new ComponentError("Database", name, localDatabaseProblems(args));
  const namespace = args.placement.namespace;
  const serverName = `${name}-postgres`;
  const password = new random.RandomPassword(
    `${name}-password`,
    { length: 32, special: false },
    { parent },
  );
  const labels = { ...args.tags };
  const secret = credentialsSecret(
    name,
    `${serverName}-credentials`,
    namespace,
    labels,
    { username: args.username, password: password.result },
    parent,
    dependsOn,
  );
  const fromSecret = (key: string) => ({
    valueFrom: { secretKeyRef: { name: `${serverName}-credentials`, key } },
  });
  const { service } = createStatefulServer(
    name,
    {
      serverName,
      namespace,
      labels,
      image,
      env: [
        { name: "POSTGRES_DB", value: args.databaseName },
        { name: "POSTGRES_USER", ...fromSecret("username") },
        { name: "POSTGRES_PASSWORD", ...fromSecret("password") },
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
      ],
      port: 5432,
      dataPath: "/var/lib/postgresql/data",
      storageGb: args.allocatedStorageGb,
      scratchPaths: ["/var/run/postgresql"],
      resources: localDataResources.database,
      liveness: {
        exec: { command: ["pg_isready", "-U", args.username, "-d", args.databaseName] },
        initialDelaySeconds: 30,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 6,
      },
      readiness: {
        exec: { command: ["pg_isready", "-U", args.username, "-d", args.databaseName] },
        initialDelaySeconds: 5,
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 3,
      },
    },
    parent,
    [...dependsOn, secret],
  );
  const host = pulumi.interpolate`${service.metadata.name}.${namespace}.svc.cluster.local`;
  const secretPassword = pulumi.secret(password.result);
  return {
    host,
    port: pulumi.output(5432),
    databaseName: pulumi.output(args.databaseName),
    username: pulumi.output(args.username),
    password: secretPassword,
    connectionString: pulumi.secret(
      pulumi.interpolate`postgresql://${args.username}:${password.result}@${host}:5432/${args.databaseName}?sslmode=disable`,
    ),
    resourceId: pulumi.interpolate`${namespace}/${service.metadata.name}`,
    instanceId: pulumi.output(serverName),
    replicaInstanceIds: [],
  };
}
