import {
  autoscalingDefaults,
  conventionalCounters,
  noUses,
  probeTimingDefaults,
  usesAnything,
  rateLimitDefaults,
  rolloutDefaults,
  type Exposure,
  type NamespaceSettings,
  type ProbeSettings,
  scheduledJobDefaults,
  type ScheduledJobSettings,
  type ServiceSettings,
} from "../components/workloads";
import { usesEnvNames } from "../components/workloads/connection-data";
import { formatCpu, formatMemory } from "../components/workloads/quantity";
import { parseQuantity } from "./quantity";
import { showValue } from "./errors";
import { wildcardParent } from "./sections/ingress";
import type { StackConfig } from "./schema";
import type { Tier } from "./tiers";

type ServiceInput = NonNullable<NonNullable<StackConfig["workloads"]>["services"]>[number];
type JobInput = NonNullable<NonNullable<StackConfig["workloads"]>["jobs"]>[number];
type ProbeInput = NonNullable<NonNullable<ServiceInput["probes"]>["liveness"]>;

function probeOf(
  input: ProbeInput | undefined,
  fallbackPath: string,
  port: number,
  timing: (typeof probeTimingDefaults)[keyof typeof probeTimingDefaults],
): ProbeSettings {
  const action = input?.tcp
    ? { tcp: { port: input.tcp.port ?? port } }
    : {
        httpGet: { path: input?.httpGet?.path ?? fallbackPath, port: input?.httpGet?.port ?? port },
      };
  return {
    ...action,
    initialDelaySeconds: input?.initialDelaySeconds ?? timing.initialDelaySeconds,
    periodSeconds: input?.periodSeconds ?? timing.periodSeconds,
    timeoutSeconds: input?.timeoutSeconds ?? timing.timeoutSeconds,
    failureThreshold: input?.failureThreshold ?? timing.failureThreshold,
  };
}

/** The conventional counter of a pods metric; the schema has refused a name without one. */
function conventionalCounterOf(metric: string): string {
  const counter = conventionalCounters[metric];
  if (counter === undefined) throw new Error(`pods metric ${metric} has no conventional counter`);
  return counter;
}

/**
 * The pods metrics of every service, one per name (the custom metrics API serves a name once):
 * what the Observability component turns into prometheus-adapter rules.
 */
export function podsMetricsOf(
  services: readonly ServiceSettings[],
): { readonly name: string; readonly counter: string }[] {
  const byName = new Map<string, string>();
  for (const s of services) {
    for (const m of s.autoscaling.podsMetrics) byName.set(m.name, m.counter);
  }
  return [...byName].map(([name, counter]) => ({ name, counter }));
}

/** One configured service over the tier's defaults. */
export function resolveService(input: ServiceInput, tier: Tier): ServiceSettings {
  const scaling = autoscalingDefaults[tier];
  const min = input.autoscaling?.min ?? scaling.min;
  const exposure: Exposure =
    input.exposure?.kind === "ingress"
      ? {
          kind: "ingress",
          host: input.exposure.host,
          path: input.exposure.path ?? "/",
          rateLimit: input.exposure.rateLimit ?? rateLimitDefaults[tier],
        }
      : input.exposure?.kind === "loadBalancer"
        ? { kind: "loadBalancer" }
        : { kind: "none" };
  return {
    name: input.name,
    image: input.image,
    port: input.port,
    replicas: input.replicas ?? min,
    resources: input.resources,
    probes: {
      liveness: probeOf(
        input.probes?.liveness,
        "/health",
        input.port,
        probeTimingDefaults.liveness,
      ),
      readiness: probeOf(
        input.probes?.readiness,
        "/ready",
        input.port,
        probeTimingDefaults.readiness,
      ),
      ...(input.probes?.startup && {
        startup: probeOf(input.probes.startup, "/health", input.port, probeTimingDefaults.startup),
      }),
    },
    env: input.env ?? {},
    secretEnv: input.secretEnv ?? {},
    ...(input.rollout !== undefined && {
      rollout: {
        maxSurge: input.rollout.maxSurge ?? rolloutDefaults.maxSurge,
        maxUnavailable: input.rollout.maxUnavailable ?? rolloutDefaults.maxUnavailable,
      },
    }),
    ...(input.configFiles !== undefined && { configFiles: input.configFiles }),
    autoscaling: {
      min,
      max: input.autoscaling?.max ?? Math.max(scaling.max, min),
      cpuPercent: input.autoscaling?.cpuPercent ?? scaling.cpuPercent,
      memoryPercent: input.autoscaling?.memoryPercent ?? scaling.memoryPercent,
      podsMetrics:
        input.autoscaling?.podsMetrics?.map((m) => ({
          name: m.name,
          averageValue: m.averageValue,
          counter: m.counter ?? conventionalCounterOf(m.name),
        })) ?? scaling.podsMetrics,
      behavior: {
        scaleUp: input.autoscaling?.behavior?.scaleUp ?? scaling.behavior.scaleUp,
        scaleDown: input.autoscaling?.behavior?.scaleDown ?? scaling.behavior.scaleDown,
      },
    },
    exposure,
    serviceAccount: {
      annotations: input.serviceAccount?.annotations ?? {},
      automountToken: input.serviceAccount?.automountToken ?? false,
    },
    calls: input.calls ?? [],
    egress: input.egress ?? [],
    uses: {
      buckets: input.uses?.buckets ?? {},
      ...(input.uses?.queue !== undefined && { queue: input.uses.queue }),
      ...(input.uses?.topic !== undefined && { topic: input.uses.topic }),
      ...(input.uses?.search !== undefined && { search: input.uses.search }),
    },
  };
}

/** One configured scheduled job over the defaults (Forbid overlapping runs, 3 of each kept). */
export function resolveJob(input: JobInput): ScheduledJobSettings {
  const d = scheduledJobDefaults;
  return {
    name: input.name,
    image: input.image,
    schedule: input.schedule,
    ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
    ...(input.command !== undefined && { command: input.command }),
    ...(input.args !== undefined && { args: input.args }),
    resources: input.resources,
    env: input.env ?? {},
    secretEnv: input.secretEnv ?? {},
    concurrencyPolicy: input.concurrencyPolicy ?? d.concurrencyPolicy,
    successfulJobsHistoryLimit: input.successfulJobsHistoryLimit ?? d.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: input.failedJobsHistoryLimit ?? d.failedJobsHistoryLimit,
    activeDeadlineSeconds: input.activeDeadlineSeconds ?? d.activeDeadlineSeconds,
    backoffLimit: input.backoffLimit ?? d.backoffLimit,
    startingDeadlineSeconds: input.startingDeadlineSeconds ?? d.startingDeadlineSeconds,
    egress: input.egress ?? [],
  };
}

const jobKey = "platform:workloads.jobs";

/**
 * Rules across the resolved jobs: names unique among jobs and services (both name a
 * NetworkPolicy in the same namespace), requests within limits.
 */
export function jobProblems(
  jobs: readonly ScheduledJobSettings[],
  services: readonly ServiceSettings[],
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  jobs.forEach((job, i) => {
    const at = `${jobKey}[${i}]`;
    if (seen.has(job.name)) {
      problems.push(`${at}.name: "${job.name}" is used by an earlier job; names must be unique`);
    }
    if (services.some((s) => s.name === job.name)) {
      problems.push(
        `${at}.name: "${job.name}" is also a service's name; jobs and services need distinct names`,
      );
    }
    seen.add(job.name);
    for (const resource of ["cpu", "memory"] as const) {
      const request = job.resources.requests[resource];
      const limit = job.resources.limits[resource];
      if (parseQuantity(request) > parseQuantity(limit)) {
        problems.push(
          `${at}.resources.requests.${resource}: ${showValue(request, false)} is more than ` +
            `the limit ${showValue(limit, false)}; expected requests <= limits`,
        );
      }
    }
  });
  return problems;
}

const key = "platform:workloads.services";

/**
 * Rules across a resolved service list: names unique, replicas within the autoscaling
 * bounds, one counter per pods metric name, requests within limits, callees known, an ACME
 * e-mail when anything uses ingress.
 */
export function serviceProblems(
  services: readonly ServiceSettings[],
  acmeEmail: string | undefined,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const counters = new Map<string, string>();
  services.forEach((s, i) => {
    const at = `${key}[${i}]`;
    if (seen.has(s.name)) {
      problems.push(`${at}.name: "${s.name}" is used by an earlier service; names must be unique`);
    }
    seen.add(s.name);
    const { min, max } = s.autoscaling;
    if (max < min) {
      problems.push(
        `${at}.autoscaling.max: ${max} is below autoscaling.min ${min}; expected max >= min`,
      );
    }
    // With the bounds inverted, the replicas cannot fit them: one problem says so.
    if (max >= min && (s.replicas < min || s.replicas > max)) {
      problems.push(
        `${at}.replicas: ${s.replicas} is outside the autoscaling bounds; expected ${min}-${max}`,
      );
    }
    s.autoscaling.podsMetrics.forEach((m, j) => {
      if (s.autoscaling.podsMetrics.findIndex((other) => other.name === m.name) < j) {
        problems.push(
          `${at}.autoscaling.podsMetrics[${j}].name: "${m.name}" is listed earlier for this service; ` +
            "each metric once, with one averageValue",
        );
      }
      const earlier = counters.get(m.name);
      if (earlier !== undefined && earlier !== m.counter) {
        problems.push(
          `${at}.autoscaling.podsMetrics[${j}].counter: "${m.counter}" differs from "${earlier}", ` +
            `the counter an earlier service derives ${m.name} from; one metric name is one rate, ` +
            "use the same counter or another name",
        );
      }
      if (earlier === undefined) counters.set(m.name, m.counter);
    });
    for (const resource of ["cpu", "memory"] as const) {
      const request = s.resources.requests[resource];
      const limit = s.resources.limits[resource];
      if (parseQuantity(request) > parseQuantity(limit)) {
        problems.push(
          `${at}.resources.requests.${resource}: ${showValue(request, false)} is more than ` +
            `the limit ${showValue(limit, false)}; expected requests <= limits`,
        );
      }
    }
    for (const callee of s.calls) {
      if (!services.some((o) => o.name === callee)) {
        problems.push(
          `${at}.calls: "${callee}" is not a service of this stack; expected one of ` +
            services.map((o) => o.name).join(", "),
        );
      }
    }
  });
  if (acmeEmail === undefined && services.some((s) => s.exposure.kind === "ingress")) {
    problems.push(
      "platform:workloads.acmeEmail: (missing) is required when a service is exposed by ingress; " +
        "set the Let's Encrypt account e-mail",
    );
  }
  return problems;
}

/**
 * The zones whose wildcard certificates cert-manager must get by DNS-01: the parent domain
 * of every `*.` ingress host.
 */
export function wildcardZones(services: readonly ServiceSettings[]): string[] {
  const zones = services.flatMap((s) => {
    const parent = s.exposure.kind === "ingress" ? wildcardParent(s.exposure.host) : undefined;
    return parent === undefined ? [] : [parent];
  });
  return [...new Set(zones)];
}

/**
 * A wildcard ingress host needs the DNS-01 token: Let's Encrypt issues wildcards only
 * through DNS-01, and an HTTP-01 order for one would fail after the stack is up.
 */
export function wildcardHostProblems(
  services: readonly ServiceSettings[],
  hasDnsToken: boolean,
): string[] {
  if (hasDnsToken) return [];
  return services.flatMap((s, i) =>
    s.exposure.kind === "ingress" && wildcardParent(s.exposure.host) !== undefined
      ? [
          `${key}[${i}].exposure.host: ${showValue(s.exposure.host, false)} is a wildcard, and ` +
            "Let's Encrypt issues wildcard certificates only through DNS-01; set " +
            "platform:ingress.cloudflareApiToken (a secret token with Zone:DNS:Edit on " +
            `${wildcardParent(s.exposure.host)}) or expose a single host`,
        ]
      : [],
  );
}

/**
 * Whether the services, each at its minimum replicas, fit in the namespace's quota: CPU and
 * memory requests and limits, and pods. One problem per quota line that is exceeded.
 */
export function quotaProblems(
  services: readonly ServiceSettings[],
  namespace: NamespaceSettings,
  jobs: readonly ScheduledJobSettings[] = [],
): string[] {
  // Each job counts as one pod: with concurrencyPolicy Forbid or Replace one run at a time.
  const running = [
    ...services.map((s) => ({ resources: s.resources, pods: s.autoscaling.min })),
    ...jobs.map((j) => ({ resources: j.resources, pods: 1 })),
  ];
  type Running = (typeof running)[number];
  const sum = (pick: (s: Running) => string) =>
    running.reduce((total, s) => total + parseQuantity(pick(s)) * s.pods, 0);
  const who = jobs.length > 0 ? "the services and one run of each job" : "the services";
  const quota = namespace.quota;
  const checks = [
    {
      quotaKey: "requestsCpu",
      need: sum((s) => s.resources.requests.cpu),
      allowed: quota.requestsCpu,
      show: formatCpu,
      what: "request CPU",
    },
    {
      quotaKey: "requestsMemory",
      need: sum((s) => s.resources.requests.memory),
      allowed: quota.requestsMemory,
      show: formatMemory,
      what: "request memory",
    },
    {
      quotaKey: "limitsCpu",
      need: sum((s) => s.resources.limits.cpu),
      allowed: quota.limitsCpu,
      show: formatCpu,
      what: "have CPU limits",
    },
    {
      quotaKey: "limitsMemory",
      need: sum((s) => s.resources.limits.memory),
      allowed: quota.limitsMemory,
      show: formatMemory,
      what: "have memory limits",
    },
  ];
  const problems: string[] = [];
  for (const c of checks) {
    if (c.need > parseQuantity(c.allowed)) {
      problems.push(
        `${key}: at their minimum replicas ${who} ${c.what} of ${c.show(c.need)}, more than ` +
          `the quota of namespace ${namespace.name} allows (platform:workloads.quota.${c.quotaKey} ` +
          `"${c.allowed}"); lower the services' requests, limits or autoscaling.min, or raise the quota`,
      );
    }
  }
  const pods = running.reduce((total, s) => total + s.pods, 0);
  if (pods > quota.pods) {
    problems.push(
      `${key}: at their minimum replicas ${who} run ${pods} pods, more than the quota of ` +
        `namespace ${namespace.name} allows (platform:workloads.quota.pods ${quota.pods}); ` +
        "lower autoscaling.min or raise the quota",
    );
  }
  return problems;
}

/** The annotations binding a ServiceAccount to a cloud identity (IRSA, Workload Identity). */
const identityAnnotations = ["eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account"];

/** What the stack builds that a service can use, by the target that builds it. */
export interface UsableResources {
  /** Bucket roles the stack builds. */
  readonly buckets: readonly string[];
  /** Why there are no buckets, when there are none. */
  readonly noBuckets: string;
  /** Whether the notification queue and topic are built (AWS and GCP). */
  readonly queue: boolean;
  /** Whether the search domain is built (AWS only). */
  readonly search: boolean;
}

/**
 * A service may use only what the stack builds: a configured bucket role, the queue and topic
 * when the queue is on, the search domain when search is on. One problem per unknown use,
 * naming the service, the key and what is allowed.
 */
export function usesProblems(
  services: readonly ServiceSettings[],
  usable: UsableResources,
): string[] {
  const problems: string[] = [];
  services.forEach((s, i) => {
    const at = `${key}[${i}].uses`;
    const uses = s.uses ?? noUses;
    for (const role of Object.keys(uses.buckets)) {
      if (!usable.buckets.includes(role)) {
        problems.push(
          `${at}.buckets.${role}: service "${s.name}" uses bucket "${role}", which this stack ` +
            `does not build; ${
              usable.buckets.length > 0
                ? `expected one of ${usable.buckets.join(", ")}`
                : usable.noBuckets
            }`,
        );
      }
    }
    const switched = [
      ["queue", uses.queue, usable.queue, "platform:queue.enabled", '"aws" or "gcp"'],
      ["topic", uses.topic, usable.queue, "platform:queue.enabled", '"aws" or "gcp"'],
      ["search", uses.search, usable.search, "platform:search.enabled", '"aws"'],
    ] as const;
    for (const annotation of identityAnnotations) {
      if (usesAnything(uses) && s.serviceAccount.annotations[annotation] !== undefined) {
        problems.push(
          `${key}[${i}].serviceAccount.annotations.${annotation}: service "${s.name}" uses ` +
            "platform resources, so the platform creates its identity and sets this annotation; " +
            "remove it",
        );
      }
    }
    const given = new Set([...Object.keys(s.env), ...Object.keys(s.secretEnv)]);
    for (const name of usesEnvNames(uses).filter((n) => given.has(n))) {
      problems.push(
        `${key}[${i}].env: service "${s.name}" sets ${name}, which the platform sets from ` +
          "what the service uses; remove it from env and secretEnv",
      );
    }
    for (const [what, access, built, flag, targets] of switched) {
      if (access !== undefined && !built) {
        problems.push(
          `${at}.${what}: service "${s.name}" uses the ${what}, which this stack does not build; ` +
            `set ${flag} true on target ${targets}, or remove the use`,
        );
      }
    }
  });
  return problems;
}
