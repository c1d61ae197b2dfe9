import { strict as assert } from "node:assert";
import { estimateCost } from "../../tools/cost/estimate";
import type { CostResource } from "../../tools/cost/resources";
import { cents, component, hours, listPrice, resource } from "./fixtures";

/** A Kubernetes object on the provider that a Cluster component builds beside its cluster. */
function onCluster(
  type: string,
  name: string,
  props: Record<string, unknown>,
  parent: CostResource,
  provider: CostResource,
): CostResource {
  return {
    ...resource(type, name, props, parent),
    providerUrn: provider.urn,
    providerRegion: undefined,
  };
}

describe("Cost of the edge and of the load balancers the clusters create", () => {
  const edge = component("Edge", "edge");
  const cluster = component("Cluster", "cluster");
  const ingress = component("Ingress", "ingress");
  const eks = resource("aws:eks/cluster:Cluster", "cluster-eks", {}, cluster);
  const provider: CostResource = {
    urn: `${cluster.urn}$pulumi:providers:kubernetes::cluster-k8s`,
    type: "pulumi:providers:kubernetes",
    name: "cluster-k8s",
    parent: cluster.urn,
    props: {},
    providerUrn: "",
  };

  it("bills the assumed Cloudflare plan once, on the zone's first resource", () => {
    const e = estimateCost([
      edge,
      resource("cloudflare:index/zoneSetting:ZoneSetting", "edge-tls", {}, edge),
      resource("cloudflare:index/ruleset:Ruleset", "edge-waf", {}, edge),
    ]);
    assert.equal(e.total.usd, listPrice("cloudflare", "plan.pro", "global"));
    assert.deepEqual(Object.keys(e.byComponent), ["edge (Edge)"]);
  });

  it("bills Cloudflare load balancing with two origins included and each further origin", () => {
    const pool = (name: string) =>
      resource(
        "cloudflare:index/loadBalancerPool:LoadBalancerPool",
        name,
        { origins: [{ address: "a" }, { address: "b" }] },
        edge,
      );
    const e = estimateCost([
      edge,
      resource("cloudflare:index/loadBalancer:LoadBalancer", "edge-lb", {}, edge),
      pool("aws"),
      pool("gcp"),
    ]);
    const cf = (sku: string) => listPrice("cloudflare", sku, "global");
    assert.equal(e.total.usd, cf("loadBalancing.base") + 2 * cf("loadBalancing.origin"));
  });

  it("bills ingress-nginx on EKS as a network load balancer and the assumed internet egress", () => {
    const e = estimateCost([
      cluster,
      ingress,
      eks,
      provider,
      onCluster(
        "kubernetes:helm.sh/v3:Release",
        "ingress-ingress-nginx",
        { chart: "ingress-nginx", values: {} },
        ingress,
        provider,
      ),
    ]);
    const aws = (sku: string) => listPrice("aws", sku, "us-east-1");
    const expected =
      aws("eks.cluster") * hours +
      (aws("elb.network") + aws("elb.network.nlcu")) * hours +
      500 * aws("transfer.internet");
    assert.equal(cents(e.total.usd), cents(expected));
    assert.equal(
      cents(e.byComponent["ingress (Ingress)"]?.usd ?? 0),
      cents(expected - aws("eks.cluster") * hours),
    );
  });

  it("lists a LoadBalancer Service on a cluster the plan does not build as unpriced, never as zero", () => {
    const workloads = component("Workloads", "workloads");
    const elsewhere = {
      ...provider,
      urn: "urn:pulumi:dev::platform::pulumi:providers:kubernetes::k8s",
      parent: "",
    };
    const e = estimateCost([
      workloads,
      elsewhere,
      onCluster(
        "kubernetes:core/v1:Service",
        "ws",
        { spec: { type: "LoadBalancer" } },
        workloads,
        elsewhere,
      ),
    ]);
    assert.deepEqual(e.unpriced, [
      {
        type: "kubernetes:core/v1:Service",
        count: 1,
        reason: "Service ws: its cluster is not in the plan, so its cloud is unknown",
      },
    ]);
  });
});
