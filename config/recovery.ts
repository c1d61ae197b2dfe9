/**
 * Recovery objectives the design gives, computed from the stack's settings. `rto` is how long,
 * at worst, from the primary failing to the standby serving the primary's load; the data
 * path's `rpo` sits beside it. Pure arithmetic over the resolved config, so the plan prints it
 * and config refuses a stack whose figure exceeds its stated target.
 */
import { gkeNodePoolDefaults, nodePoolBounds } from "../components/cluster/gcp";
import { failoverBudget, type MonitorTiming } from "../components/edge/failover";
import type { ProbeSettings, ScalingRules, ServiceSettings } from "../components/workloads";
import { parseQuantity } from "./quantity";
import type { Tier } from "./tiers";
import { servicesTheStandbyCanRun, standbyConnectionKeys, standbyReplicas } from "./standby";

/** How often the HPA controller re-evaluates (kube-controller-manager's default sync period). */
export const hpaSyncPeriodSeconds = 15;
/**
 * Allowance for new load to show in the resource metrics the HPA reads (metrics-server's
 * scrape and resolution); a budget, not a published figure.
 */
export const metricsLagSeconds = 60;
/** Allowance for scheduling, pulling the image and starting the container of a new pod. */
export const podStartAllowanceSeconds = 30;
/** Allowance for GKE's cluster autoscaler to add a node that accepts pods. */
export const nodeProvisionAllowanceSeconds = 180;
/** Share of a node's capacity the application may count on (the rest: GKE's reservations, system pods). */
export const allocatableShare = 0.75;

/** What the RTO reads from the resolved config. */
export interface RecoveryContext {
  readonly tier: Tier;
  readonly standby: "none" | "gcp";
  readonly cluster: { readonly minNodes: number };
  readonly services: readonly ServiceSettings[];
  readonly database: { readonly enabled: boolean };
  readonly cache: { readonly enabled: boolean };
  readonly edge?: { readonly loadBalancer: boolean; readonly failover: MonitorTiming };
  readonly failover: {
    readonly rtoTargetSeconds?: number;
    readonly standbyRunsWithout: readonly string[];
  };
}

/** One service's climb on the standby from its resting replicas to the primary's. */
export interface ServiceScaleUp {
  readonly service: string;
  readonly fromReplicas: number;
  readonly toReplicas: number;
  readonly seconds: number;
  readonly explanation: string;
}

/** The recovery time, in parts, as the stack output `recovery.rto` prints it. */
export interface RecoveryTime {
  /** Monitor arithmetic: the primary failing to its last failed check. */
  readonly detectionSeconds: number;
  /** Health propagation and pool steering (an allowance). */
  readonly steeringSeconds: number;
  /** DNS: 0, the load balancer is proxied and clients keep Cloudflare's addresses. */
  readonly dnsSeconds: number;
  /** Traffic reaches the standby after this, served by its resting replicas. */
  readonly servingSeconds: number;
  /** The slowest service's HPA climb to the primary's resting replicas. */
  readonly scaleUpSeconds: number;
  readonly slowestService?: ServiceScaleUp;
  /** A node added by the autoscaler when the standby's minimum nodes cannot hold the load. */
  readonly nodesSeconds: number;
  readonly seconds: number;
  readonly targetSeconds?: number;
  readonly explanation: string;
}

/**
 * Replicas after each HPA sync, as autoscaling/v2 limits a scale-up: per policy, the replicas
 * at the start of its period plus `value` pods or `value` percent (rounded up), the largest
 * policy winning (selectPolicy Max, the default). Returns the syncs needed to reach `to`.
 */
export function hpaScaleUpSyncs(from: number, to: number, rules: ScalingRules): number {
  const added: { sync: number; pods: number }[] = [];
  let replicas = from;
  let sync = 0;
  while (replicas < to) {
    sync += 1;
    const limits = rules.policies.map((policy) => {
      const periods = policy.periodSeconds / hpaSyncPeriodSeconds;
      const recent = added.filter((a) => a.sync > sync - periods).reduce((n, a) => n + a.pods, 0);
      const start = replicas - recent;
      return policy.type === "Pods"
        ? start + policy.value
        : Math.ceil(start * (1 + policy.value / 100));
    });
    const next = Math.min(to, Math.max(replicas, ...limits));
    if (next === replicas && sync > 10_000) throw new Error("the scale-up policies add no pods");
    if (next > replicas) added.push({ sync, pods: next - replicas });
    replicas = next;
  }
  return sync;
}

/** Seconds until a started pod passes readiness: startup probe first, then one readiness period. */
export function podReadySeconds(probes: {
  readonly readiness: ProbeSettings;
  readonly startup?: ProbeSettings;
}): number {
  const startup = probes.startup
    ? probes.startup.initialDelaySeconds + probes.startup.periodSeconds
    : 0;
  return (
    podStartAllowanceSeconds +
    startup +
    probes.readiness.initialDelaySeconds +
    probes.readiness.periodSeconds
  );
}

/** A service's climb on the standby, from `standbyReplicas` to the primary's autoscaling minimum. */
export function serviceScaleUp(service: ServiceSettings): ServiceScaleUp {
  const from = standbyReplicas;
  const to = Math.max(from, Math.min(service.autoscaling.min, service.autoscaling.max));
  if (to === from) {
    return {
      service: service.name,
      fromReplicas: from,
      toReplicas: to,
      seconds: 0,
      explanation: `${service.name} already at ${to}`,
    };
  }
  const rules = service.autoscaling.behavior.scaleUp;
  const syncs = hpaScaleUpSyncs(from, to, rules);
  const ready = podReadySeconds(service.probes);
  const seconds =
    metricsLagSeconds + rules.stabilizationWindowSeconds + syncs * hpaSyncPeriodSeconds + ready;
  return {
    service: service.name,
    fromReplicas: from,
    toReplicas: to,
    seconds,
    explanation:
      `${service.name} ${from} -> ${to} replicas: metrics ${metricsLagSeconds} s` +
      ` + stabilization ${rules.stabilizationWindowSeconds} s + ${syncs} syncs x ${hpaSyncPeriodSeconds} s` +
      ` + pod ready ${ready} s = ${seconds} s`,
  };
}

/** vCPUs and GiB of a Compute Engine `*-standard-N` machine (4 GiB per vCPU); else undefined. */
export function standardMachine(
  machineType: string,
): { cpu: number; memoryGi: number } | undefined {
  const match = /^(?:n1|n2|n2d|n4|e2|c3|c3d|c4)-standard-(\d+)$/.exec(machineType);
  if (!match) return undefined;
  const cpu = Number(match[1]);
  return { cpu, memoryGi: cpu * 4 };
}

/**
 * Whether the standby's minimum nodes hold every service at the primary's resting replicas,
 * counting `allocatableShare` of each node. An unknown machine type counts as not holding.
 */
export function nodesNeeded(
  cfg: RecoveryContext,
  services: readonly ServiceSettings[],
): {
  needed: boolean;
  explanation: string;
} {
  const machineType = gkeNodePoolDefaults[cfg.tier].machineType;
  const pool = { ...gkeNodePoolDefaults[cfg.tier], minNodes: cfg.cluster.minNodes };
  const nodes = nodePoolBounds(pool, true).min;
  const machine = standardMachine(machineType);
  const sum = (pick: (s: ServiceSettings) => string) =>
    services.reduce((n, s) => n + parseQuantity(pick(s)) * serviceScaleUp(s).toReplicas, 0);
  const cpu = sum((s) => s.resources.requests.cpu);
  const memoryGi = sum((s) => s.resources.requests.memory) / 2 ** 30;
  if (machine === undefined) {
    return { needed: true, explanation: `nodes ${machineType} of unknown size` };
  }
  const cpuRoom = nodes * machine.cpu * allocatableShare;
  const memoryRoom = nodes * machine.memoryGi * allocatableShare;
  const needed = cpu > cpuRoom || memoryGi > memoryRoom;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    needed,
    explanation:
      `${round(cpu)} vCPU / ${round(memoryGi)} GiB requested on ${nodes} x ${machineType}` +
      ` (${round(cpuRoom)} vCPU / ${round(memoryRoom)} GiB usable)`,
  };
}

/**
 * The stack's RTO: the load balancer's failover (monitor arithmetic, steering, DNS), then the
 * standby's slowest service scaling from its resting replicas to the primary's, then a node
 * when the standby's minimum nodes cannot hold them. Undefined without a failover load balancer.
 */
export function recoveryTime(cfg: RecoveryContext): RecoveryTime | undefined {
  if (!cfg.edge?.loadBalancer || cfg.standby !== "gcp") return undefined;
  const budget = failoverBudget(cfg.edge.failover);
  const { kept } = servicesTheStandbyCanRun(
    cfg.services,
    standbyConnectionKeys(cfg),
    cfg.failover.standbyRunsWithout,
  );
  const climbs = kept.map(serviceScaleUp).sort((a, b) => b.seconds - a.seconds);
  const slowest = climbs[0];
  const scaleUpSeconds = slowest?.seconds ?? 0;
  const nodes = nodesNeeded(cfg, kept);
  const nodesSeconds = nodes.needed ? nodeProvisionAllowanceSeconds : 0;
  const seconds = budget.totalSeconds + scaleUpSeconds + nodesSeconds;
  const explanation =
    `failover ${budget.totalSeconds} s (${budget.explanation})` +
    ` + scale-up ${scaleUpSeconds} s (${slowest?.explanation ?? "no service"})` +
    ` + nodes ${nodesSeconds} s (${nodes.explanation}) = ${seconds} s`;
  return {
    detectionSeconds: budget.detectionSeconds,
    steeringSeconds: budget.steeringSeconds,
    dnsSeconds: budget.dnsTtlSeconds,
    servingSeconds: budget.totalSeconds,
    scaleUpSeconds,
    ...(slowest && { slowestService: slowest }),
    nodesSeconds,
    seconds,
    ...(cfg.failover.rtoTargetSeconds !== undefined && {
      targetSeconds: cfg.failover.rtoTargetSeconds,
    }),
    explanation,
  };
}

/** The RTO against `platform:edge.failover.rtoTargetSeconds`, when the stack states one. */
export function rtoProblems(cfg: RecoveryContext): string[] {
  const target = cfg.failover.rtoTargetSeconds;
  const rto = recoveryTime(cfg);
  if (target === undefined || rto === undefined || rto.seconds <= target) return [];
  return [
    `platform:edge.failover.rtoTargetSeconds: ${target} is below the RTO the design gives, ${rto.seconds} s (${rto.explanation}); shorten the monitor timing (platform:edge.failover.*), raise the services' autoscaling minimum or scale-up policies, or raise the target`,
  ];
}
