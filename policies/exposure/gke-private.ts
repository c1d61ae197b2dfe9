import { block, environmentProperty, isProd, isTrue, list, read, resourcePolicy } from "../lib";

/** Nodes with public addresses and an open control plane widen the attack surface of the cluster. */
export const gkePrivate = resourcePolicy(
  {
    name: "gcp-gke-private-cluster",
    description:
      "In prod, GKE clusters must have private nodes and a control plane limited to authorized networks; set privateClusterConfig.enablePrivateNodes: true and masterAuthorizedNetworksConfig.cidrBlocks (never 0.0.0.0/0), or enablePrivateEndpoint: true.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentProperty } },
  },
  ["gcp:container/cluster:Cluster"],
  (props, args) => {
    if (!isProd(args)) return [];
    const priv = block(props, "privateClusterConfig");
    const found: string[] = [];
    if (!isTrue(read(priv, "enablePrivateNodes"))) {
      found.push(
        `${args.name}: nodes get public addresses; set privateClusterConfig.enablePrivateNodes: true.`,
      );
    }
    const networks = list(block(props, "masterAuthorizedNetworksConfig"), "cidrBlocks").map((b) =>
      read(b, "cidrBlock"),
    );
    const restricted = networks.length > 0 && !networks.includes("0.0.0.0/0");
    if (!isTrue(read(priv, "enablePrivateEndpoint")) && !restricted) {
      found.push(
        `${args.name}: the control plane is reachable from any address; set masterAuthorizedNetworksConfig.cidrBlocks or privateClusterConfig.enablePrivateEndpoint: true.`,
      );
    }
    return found;
  },
);
