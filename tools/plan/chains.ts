/**
 * The plan's dependency check: which slow resources must be created one after another, and
 * whether the data stores wait on the Kubernetes cluster (they should only need the network,
 * so `pulumi up` builds them while the control plane comes up).
 */

/** Minutes a create typically takes, for the resources that dominate a `pulumi up`. */
export const slowCreateMinutes: Readonly<Record<string, number>> = {
  "aws:eks/cluster:Cluster": 10,
  "aws:eks/nodeGroup:NodeGroup": 5,
  "aws:rds/instance:Instance": 15,
  "aws:elasticache/replicationGroup:ReplicationGroup": 10,
  "aws:opensearch/domain:Domain": 20,
  "aws:ec2/natGateway:NatGateway": 2,
};

/** Data stores, by type, with the kind the report names them by. */
export const dataStoreKinds: Readonly<Record<string, string>> = {
  "aws:rds/instance:Instance": "rds instance",
  "aws:elasticache/replicationGroup:ReplicationGroup": "elasticache replication group",
  "aws:s3/bucketV2:BucketV2": "s3 bucket",
  "aws:s3/bucket:Bucket": "s3 bucket",
  "aws:opensearch/domain:Domain": "opensearch domain",
};

/** What a data store must not wait on. */
export const clusterTypes: readonly string[] = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
];

/** The parts of a recorded registration the check reads. */
export interface GraphResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent; "" for the stack. */
  readonly parent: string;
  /** Provider reference `urn::id`, or "". */
  readonly provider: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface ChainLink {
  readonly type: string;
  readonly name: string;
  readonly minutes: number;
}

export interface DataStoreWait {
  readonly kind: string;
  readonly name: string;
  readonly waitsOnCluster: boolean;
  /** When it waits: the resources from the data store to the cluster, by name. */
  readonly via: readonly string[];
}

export interface SlowChain {
  /** Sum of the estimates along the longest chain. */
  readonly minutes: number;
  /** The slow resources of that chain, first created first. */
  readonly chain: readonly ChainLink[];
  readonly dataStores: readonly DataStoreWait[];
}

/**
 * What a resource waits for before the engine creates it: its dependencies (explicit and
 * through inputs), its provider, and its parent (a child registers after its parent, and a
 * component with `dependsOn` registers after those).
 */
export function waitsFor(r: GraphResource): string[] {
  const edges = new Set<string>(r.dependencies);
  for (const deps of Object.values(r.propertyDependencies)) deps.forEach((d) => edges.add(d));
  if (r.parent) edges.add(r.parent);
  if (r.provider) edges.add(r.provider.split("::").slice(0, -1).join("::"));
  edges.delete(r.urn);
  return [...edges];
}

/** Every URN `start` waits for, directly or through what it waits for. */
export function transitiveWaits<R extends GraphResource>(
  start: R,
  byUrn: ReadonlyMap<string, R>,
): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    for (const urn of waitsFor(queue.pop()!)) {
      if (seen.has(urn)) continue;
      seen.add(urn);
      const next = byUrn.get(urn);
      if (next) queue.push(next);
    }
  }
  return seen;
}

export function checkDependencies(resources: readonly GraphResource[]): SlowChain {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const edges = new Map(resources.map((r) => [r.urn, waitsFor(r).filter((u) => byUrn.has(u))]));
  const minutesOf = (r: GraphResource) => slowCreateMinutes[r.type] ?? 0;

  // Longest path by estimated minutes, over a graph the engine guarantees is acyclic.
  const best = new Map<string, { minutes: number; before?: string }>();
  const visiting = new Set<string>();
  const longest = (urn: string): number => {
    const known = best.get(urn);
    if (known) return known.minutes;
    if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    visiting.add(urn);
    let before: string | undefined;
    let wait = 0;
    for (const dep of edges.get(urn) ?? []) {
      const m = longest(dep);
      if (m > wait) [wait, before] = [m, dep];
    }
    visiting.delete(urn);
    const minutes = wait + minutesOf(byUrn.get(urn)!);
    best.set(urn, { minutes, before });
    return minutes;
  };
  let end: string | undefined;
  let total = 0;
  for (const r of resources) {
    const m = longest(r.urn);
    if (m > total) [total, end] = [m, r.urn];
  }
  const chain: ChainLink[] = [];
  for (let urn = end; urn; urn = best.get(urn)?.before) {
    const r = byUrn.get(urn)!;
    if (minutesOf(r) > 0) chain.unshift({ type: r.type, name: r.name, minutes: minutesOf(r) });
  }

  // Whether a data store waits on the cluster means nothing on a stack without one.
  const hasCluster = resources.some((r) => clusterTypes.includes(r.type));
  const dataStores = resources
    .filter((r) => hasCluster && dataStoreKinds[r.type] !== undefined)
    .map((r) => {
      const path = pathToCluster(r.urn, edges, byUrn);
      return {
        kind: dataStoreKinds[r.type]!,
        name: r.name,
        waitsOnCluster: path !== undefined,
        via: (path ?? []).map((u) => byUrn.get(u)!.name),
      };
    });
  return { minutes: total, chain, dataStores };
}

/** Breadth-first: the shortest wait path from `start` to a cluster or node group. */
function pathToCluster(
  start: string,
  edges: ReadonlyMap<string, readonly string[]>,
  byUrn: ReadonlyMap<string, GraphResource>,
): string[] | undefined {
  const from = new Map<string, string>([[start, ""]]);
  const queue = [start];
  while (queue.length > 0) {
    const urn = queue.shift()!;
    if (urn !== start && clusterTypes.includes(byUrn.get(urn)!.type)) {
      const path: string[] = [];
      for (let u = urn; u; u = from.get(u)!) path.unshift(u);
      return path;
    }
    for (const next of edges.get(urn) ?? []) {
      if (!from.has(next)) {
        from.set(next, urn);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** The check as the plan prints it. */
export function describeSlowChain(check: SlowChain): string {
  const lines = [
    check.chain.length === 0
      ? "Slowest chain: no slow resources."
      : `Slowest chain (~${check.minutes} min): ` +
        check.chain
          .map((l) => `${l.name} (${l.type.split(":")[2]}, ${l.minutes} min)`)
          .join(" -> "),
  ];
  for (const store of check.dataStores) {
    lines.push(
      store.waitsOnCluster
        ? `  ${store.kind} ${store.name} WAITS on the cluster: ${store.via.join(" -> ")}`
        : `  ${store.kind} ${store.name} does not wait on the cluster or its nodes`,
    );
  }
  return lines.join("\n");
}
