import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { block, isSet, list, read, unknownValue, type Props } from "../lib";

/** CloudNativePG's kinds as the Kubernetes provider types them. */
export const cnpgTypes = {
  cluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
  scheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
  barmanObjectStore: "kubernetes:barmancloud.cnpg.io/v1:ObjectStore",
} as const;

/** The Barman Cloud plugin: it archives only to the ObjectStore its parameters name. */
export const barmanCloudPlugin = "barman-cloud.cloudnative-pg.io";

/**
 * A Kubernetes object's namespace as the provider applies it: `metadata.namespace`, else the
 * namespace its provider is set to, else "default". Unknown while the engine cannot know it.
 */
function namespaceOf(resource: PolicyResource): string {
  const namespace = read(block(resource.props, "metadata"), "namespace");
  if (isSet(namespace)) return String(namespace);
  const fromProvider = read(resource.provider?.props, "namespace");
  return isSet(fromProvider) ? String(fromProvider) : "default";
}

/** Two names or namespaces that may be the same: equal, or one not known yet. */
function mayMatch(a: unknown, b: unknown): boolean {
  return a === unknownValue || b === unknownValue || a === b;
}

/** The value at a path, `unknownValue` as soon as a step (a whole block) is not known yet. */
function at(props: unknown, ...path: string[]): unknown {
  let value: unknown = props;
  for (const key of path) {
    if (value === unknownValue) return unknownValue;
    value = read(value, key);
  }
  return value;
}

/** The plugins of a Cluster that run (`enabled` defaults to true), by name. */
function enabledPlugins(spec: Props): Props[] {
  return list(spec, "plugins").filter(
    (p): p is Props => typeof p === "object" && p !== null && read(p, "enabled") !== false,
  );
}

/**
 * Why the Cluster does not ship its WAL to an object store; undefined when it does. It does
 * through a running plugin marked `isWALArchiver` (CloudNativePG 1.24.3 / 1.25.1 and later) or
 * the in-tree `spec.backup.barmanObjectStore` with a `destinationPath`. The Barman Cloud plugin
 * archives only to the ObjectStore its `parameters.barmanObjectName` names, in the Cluster's
 * namespace: without one the plugin skips the Cluster, which is still admitted, and every WAL
 * segment's archive command fails. Another archiver plugin is taken at its word. The
 * ObjectStore must be one the stack defines: one applied outside it is refused.
 */
function walArchiveProblem(
  spec: Props,
  namespace: string,
  all: readonly PolicyResource[],
): string | undefined {
  const archiver = enabledPlugins(spec).find((p) => read(p, "isWALArchiver") === true);
  if (!archiver) {
    const store = block(block(spec, "backup"), "barmanObjectStore");
    if (isSet(read(store, "destinationPath"))) return undefined;
    return "does not archive its WAL; add a plugin with isWALArchiver: true (barman-cloud.cloudnative-pg.io) or spec.backup.barmanObjectStore.";
  }
  if (read(archiver, "name") !== barmanCloudPlugin) return undefined;
  const objectName = at(archiver, "parameters", "barmanObjectName");
  if (objectName === unknownValue) return undefined;
  if (!isSet(objectName)) {
    return `archives its WAL through ${barmanCloudPlugin} without an ObjectStore; set the plugin's parameters.barmanObjectName.`;
  }
  const archivedTo = all.some(
    (r) =>
      r.type === cnpgTypes.barmanObjectStore &&
      mayMatch(namespaceOf(r), namespace) &&
      mayMatch(at(r.props, "metadata", "name"), objectName) &&
      isSet(at(r.props, "spec", "configuration", "destinationPath")),
  );
  if (archivedTo) return undefined;
  return `archives its WAL to ObjectStore "${String(objectName)}", which the stack does not define with a spec.configuration.destinationPath in namespace ${namespace}; add it.`;
}

/**
 * Whether a ScheduledBackup's method can run on the Cluster: `plugin` names one of its running
 * plugins; `barmanObjectStore` (the default) needs the in-tree object store; `volumeSnapshot`
 * needs `spec.backup.volumeSnapshot`.
 */
function methodServed(backup: Props, clusterSpec: Props): boolean {
  const method = read(backup, "method") ?? "barmanObjectStore";
  if (method === unknownValue) return true;
  const clusterBackup = block(clusterSpec, "backup");
  if (method === "plugin") {
    const name = read(block(backup, "pluginConfiguration"), "name");
    return enabledPlugins(clusterSpec).some((p) => read(p, "name") === name);
  }
  if (method === "volumeSnapshot") return isSet(read(clusterBackup, "volumeSnapshot"));
  return isSet(read(block(clusterBackup, "barmanObjectStore"), "destinationPath"));
}

/** The running ScheduledBackups of the stack that name this Cluster in its namespace. */
function scheduledBackupsOf(cluster: PolicyResource, all: readonly PolicyResource[]): Props[] {
  const namespace = namespaceOf(cluster);
  const name = at(cluster.props, "metadata", "name");
  return all
    .filter((r) => r.type === cnpgTypes.scheduledBackup)
    .filter(
      // A name the engine cannot know yet (a first preview) is taken as this Cluster's.
      (r) =>
        mayMatch(namespaceOf(r), namespace) &&
        mayMatch(at(r.props, "spec", "cluster", "name"), name),
    )
    .map((r) => block(r.props, "spec"))
    .filter((spec) => read(spec, "suspend") !== true);
}

/** What a Cluster lacks to be recoverable, as messages; [] when it has everything. */
function clusterProblems(cluster: PolicyResource, all: readonly PolicyResource[]): string[] {
  const spec = block(cluster.props, "spec");
  const namespace = namespaceOf(cluster);
  const name = String(at(cluster.props, "metadata", "name"));
  const key = `${namespace}/${name}`;
  const problems: string[] = [];
  const walProblem = walArchiveProblem(spec, namespace, all);
  if (walProblem) problems.push(`Cluster ${key} ${walProblem}`);
  const schedules = scheduledBackupsOf(cluster, all);
  if (schedules.length === 0) {
    problems.push(
      `Cluster ${key} takes no scheduled backups; add a ScheduledBackup with spec.cluster.name "${name}" that is not suspended.`,
    );
  } else if (!schedules.some((s) => methodServed(s, spec))) {
    problems.push(
      `Cluster ${key} cannot run its ScheduledBackups' method; name one of its plugins in pluginConfiguration.name (method plugin), or configure the Cluster's spec.backup for the method.`,
    );
  }
  return problems;
}

/**
 * WAL archived to an object store and base backups on a schedule are what a CloudNativePG
 * cluster restores from: without them its data lives only on its volumes, and losing them (or
 * the namespace) loses the database, with no point-in-time recovery.
 */
export const cnpgClusterBackedUp = {
  name: "cnpg-cluster-backed-up",
  description:
    "CloudNativePG Clusters (postgresql.cnpg.io/v1) must archive their WAL and take scheduled base backups: add a plugin with isWALArchiver: true (barman-cloud.cloudnative-pg.io) or spec.backup.barmanObjectStore, and a ScheduledBackup naming the Cluster in spec.cluster.name with a method the Cluster serves. Advisory unless the stack's policy config makes it mandatory, as prod's does.",
  enforcementLevel: "advisory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources.filter((r) => r.type === cnpgTypes.cluster)) {
      for (const message of clusterProblems(cluster, args.resources)) {
        reportViolation(message, cluster.urn);
      }
    }
  },
} satisfies StackValidationPolicy;
