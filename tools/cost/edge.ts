import {
  charge,
  regionOf,
  Unpriceable,
  type Charge,
  type Pricer,
  type PricingContext,
} from "./pricing";
import { prop, str, type CostResource } from "./resources";

/** Cloudflare load balancer: the base subscription, and origins beyond the two it includes. */
const cloudflareLoadBalancer: Pricer = (_r, ctx) => {
  const origins = ctx.resources
    .filter((p) => p.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool")
    .reduce((sum, p) => sum + (Array.isArray(p.props.origins) ? p.props.origins.length : 0), 0);
  const extra = Math.max(0, origins - 2);
  const charges = [
    charge("cloudflare", "loadBalancing.base", "global", "load balancing (2 origins)"),
  ];
  if (extra > 0) {
    charges.push(
      charge("cloudflare", "loadBalancing.origin", "global", `${extra} more origin(s)`, extra),
    );
  }
  return charges;
};

/** Types that exist only inside a Cloudflare zone: the first one found carries the zone plan. */
export const zoneScopedTypes = [
  "cloudflare:index/zoneSetting:ZoneSetting",
  "cloudflare:index/ruleset:Ruleset",
  "cloudflare:index/dnsRecord:DnsRecord",
];

/** The zone's plan (an assumption: the program uses an existing zone), on its first resource. */
export function zonePlan(r: CostResource, ctx: PricingContext): Charge[] {
  const first = ctx.resources.find((p) => zoneScopedTypes.includes(p.type));
  if (first !== r) return [];
  const plan = ctx.assumptions.cloudflarePlan;
  return [charge("cloudflare", `plan.${plan}`, "global", `zone plan ${plan} (assumed)`)];
}

/** The EKS or GKE cluster a Kubernetes object runs on: the one beside its provider. */
function clusterOf(
  r: CostResource,
  ctx: PricingContext,
): { cloud: string; cluster: CostResource } | undefined {
  const provider = ctx.byUrn.get(r.providerUrn);
  if (!provider) return undefined;
  for (const p of ctx.resources) {
    if (p.parent !== provider.parent) continue;
    if (p.type === "aws:eks/cluster:Cluster") return { cloud: "aws", cluster: p };
    if (p.type === "gcp:container/cluster:Cluster") return { cloud: "gcp", cluster: p };
  }
  return undefined;
}

/** A Service of type LoadBalancer: the cloud creates an NLB (AWS) or a forwarding rule (GCP). */
function serviceLoadBalancer(
  r: CostResource,
  ctx: PricingContext,
  what: string,
  egress: boolean,
): Charge[] {
  const found = clusterOf(r, ctx);
  if (!found)
    throw new Unpriceable(`${what}: its cluster is not in the plan, so its cloud is unknown`);
  const { cloud, cluster } = found;
  const region = regionOf(cluster, cloud, ctx);
  const units = ctx.assumptions.lbCapacityUnits;
  const charges =
    cloud === "aws"
      ? [
          charge("aws", "elb.network", region, `${what}: network load balancer hours`),
          charge("aws", "elb.network.nlcu", region, `${units} NLCU (assumed)`, units),
        ]
      : [charge("gcp", "lb.forwardingRule", region, `${what}: forwarding rule hours`)];
  if (egress) {
    const gb = ctx.assumptions.egressGbPerIngressMonth;
    charges.push(
      charge(cloud, "transfer.internet", region, `${gb} GB to the internet (assumed)`, gb),
    );
  }
  return charges;
}

const kubernetesService: Pricer = (r, ctx) =>
  str(prop(r, "spec.type")) === "LoadBalancer"
    ? serviceLoadBalancer(r, ctx, `Service ${str(prop(r, "metadata.name")) ?? r.name}`, false)
    : [];

/** ingress-nginx exposes its controller through a LoadBalancer Service unless told otherwise. */
const helmRelease: Pricer = (r, ctx) => {
  if (str(r.props.chart) !== "ingress-nginx") return [];
  const type = str(prop(r, "values.controller.service.type")) ?? "LoadBalancer";
  if (type !== "LoadBalancer" || prop(r, "values.controller.service.enabled") === false) return [];
  return serviceLoadBalancer(r, ctx, "ingress-nginx", true);
};

export const edgePricers: Readonly<Record<string, Pricer>> = {
  "cloudflare:index/loadBalancer:LoadBalancer": cloudflareLoadBalancer,
  "kubernetes:core/v1:Service": kubernetesService,
  "kubernetes:helm.sh/v3:Release": helmRelease,
  "kubernetes:helm.sh/v4:Chart": helmRelease,
};
