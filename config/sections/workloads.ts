import { z } from "zod";
import { accessLevels, conventionalCounters } from "../../components/workloads";
import { ipv4Cidr } from "../cidr";
import { pinnedImage } from "../image";
import { kubernetesName } from "../kubernetes-names";
import { quantity } from "../quantity";
import { timeZone } from "../time-zones";
import { bucketRole } from "./data";

export { quantity };

const namespaceName = kubernetesName("label", "Namespace");
const serviceName = kubernetesName("service", "Service");
const secretName = kubernetesName("subdomain", "Secret");

/** A host name, or `*.<domain>`: DNS labels of at most 63 characters, 253 in all. */
const hostName = z
  .string({ error: "is not a string; expected a host name such as api.example.com" })
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem !== undefined) ctx.addIssue({ code: "custom", input: host, message: problem });
  });

function hostProblem(host: string): string | undefined {
  const name = host.startsWith("*.") ? host.slice(2) : host;
  if (host.length > 253) return `is ${host.length} characters; a host name is at most 253`;
  const long = name.split(".").find((label) => label.length > 63);
  if (long !== undefined) {
    return `has a ${long.length}-character label; a DNS label is at most 63 characters`;
  }
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(name)) {
    return 'is not a host name; expected e.g. api.example.com, or "*.example.com" for every subdomain';
  }
  return undefined;
}

export const quotaSection = z
  .object({
    requestsCpu: quantity.optional(),
    requestsMemory: quantity.optional(),
    limitsCpu: quantity.optional(),
    limitsMemory: quantity.optional(),
    pods: z.number().int().min(1).optional(),
    persistentVolumeClaims: z.number().int().min(0).optional(),
  })
  .strict();

export const containerLimitsSection = z
  .object({
    defaultRequestCpu: quantity.optional(),
    defaultRequestMemory: quantity.optional(),
    defaultLimitCpu: quantity.optional(),
    defaultLimitMemory: quantity.optional(),
    maxCpu: quantity.optional(),
    maxMemory: quantity.optional(),
  })
  .strict();

const port = z
  .number({ error: "is not a port number; expected 1-65535" })
  .int()
  .min(1, { error: "is not a port number; expected 1-65535" })
  .max(65535, { error: "is not a port number; expected 1-65535" });

const seconds = z.number().int().min(1);

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: "is not an environment variable name; expected letters, digits and _",
});

export const probeSection = z
  .object({
    /** HTTP GET on this path (and port, the service's by default). */
    httpGet: z
      .object({ path: z.string().startsWith("/"), port: port.optional() })
      .strict()
      .optional(),
    /** TCP connect on this port (the service's by default). */
    tcp: z.object({ port: port.optional() }).strict().optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: seconds.optional(),
    timeoutSeconds: seconds.optional(),
    failureThreshold: seconds.optional(),
  })
  .strict()
  .superRefine((probe, ctx) => {
    if ((probe.httpGet === undefined) === (probe.tcp === undefined)) {
      ctx.addIssue({
        code: "custom",
        input: probe,
        message: "needs exactly one of httpGet or tcp",
      });
    }
  });

const resourcePair = z.object({ cpu: quantity, memory: quantity }).strict();

const scalingPolicy = z
  .object({
    type: z.enum(["Percent", "Pods"]),
    value: z.number().int().min(1),
    periodSeconds: z.number().int().min(1).max(1800),
  })
  .strict();

const scalingRules = z
  .object({
    stabilizationWindowSeconds: z.number().int().min(0).max(3600),
    policies: z.array(scalingPolicy).min(1),
  })
  .strict();

/** A Prometheus metric name: letters, digits and `_`, not starting with a digit. */
const metricName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
  error:
    'is not a Prometheus metric name; expected letters, digits and _, e.g. "requests_per_second"',
});

/** An HPA metric of type Pods: the per-pod average of a rate the custom metrics API serves. */
const podsMetric = z
  .object({
    /** Metric name the HPA asks the custom metrics API for, e.g. "requests_per_second". */
    name: metricName,
    /** Target per-pod average, a Kubernetes quantity such as "100". */
    averageValue: quantity,
    /** Counter the rate is taken of. @default "http_requests_total" for requests_per_second */
    counter: metricName.optional(),
  })
  .strict()
  .superRefine((metric, ctx) => {
    if (metric.counter === undefined && conventionalCounters[metric.name] === undefined) {
      ctx.addIssue({
        code: "custom",
        input: metric,
        message:
          "has no counter; only requests_per_second has a conventional one (http_requests_total). " +
          'Add counter: the counter the rate is taken of, e.g. "jobs_processed_total"',
      });
    }
  });

export const autoscalingSection = z
  .object({
    min: z.number().int().min(1).optional(),
    max: z.number().int().min(1).optional(),
    /** Target average CPU utilisation, percent of requests. */
    cpuPercent: z.number().int().min(1).max(100).optional(),
    /** Target average memory utilisation, percent of requests. */
    memoryPercent: z.number().int().min(1).max(100).optional(),
    /** Per-pod metrics (HPA type Pods) scaled on after CPU and memory. */
    podsMetrics: z
      .array(podsMetric, {
        error:
          'is not a list of pods metrics; expected e.g. [{ name: requests_per_second, averageValue: "100" }]',
      })
      .optional(),
    behavior: z
      .object({ scaleUp: scalingRules.optional(), scaleDown: scalingRules.optional() })
      .strict()
      .optional(),
  })
  .strict();

const exposureSection = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("none") }).strict(),
    z
      .object({
        kind: z.literal("ingress"),
        /** A host name, or `*.<domain>` for every subdomain (tenants; needs DNS-01). */
        host: hostName,
        path: z.string().startsWith("/").optional(),
        /** Requests per second per client IP (seed 001: 100). */
        rateLimit: z.number().int().min(1).optional(),
      })
      .strict(),
    z.object({ kind: z.literal("loadBalancer") }).strict(),
  ],
  { error: 'is not an exposure; expected kind "none", "ingress" or "loadBalancer"' },
);

const egressRule = z
  .object({
    port,
    /** Destination namespace; the service's own when neither this nor cidr is given. */
    namespace: namespaceName.optional(),
    /** Destination address range outside the cluster. */
    cidr: ipv4Cidr({ minPrefix: 0, maxPrefix: 32, example: "10.0.0.0/16" }).optional(),
  })
  .strict();

const accessLevel = z.enum(accessLevels as ["read", "write", "readwrite"], {
  error: `is not an access level; expected one of ${accessLevels.join(", ")}`,
});

/** The data resources a service uses, each with its access level. */
const usesSection = z
  .object({
    /** Bucket role -> access, e.g. { uploads: readwrite }. */
    buckets: z.record(bucketRole, accessLevel).optional(),
    /** The notification queue: read consumes, write sends. */
    queue: accessLevel.optional(),
    /** The notification topic: publishing is the only use. */
    topic: z
      .literal("write", { error: "is not an access level for a topic; expected write (publish)" })
      .optional(),
    /** The search domain. */
    search: accessLevel.optional(),
  })
  .strict();

/** A secret key a service reads; `generate` makes the platform create it (e.g. a JWT key). */
const serviceSecretRef = z
  .object({
    secret: secretName,
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, {
      error: "is not a Secret key; expected letters, digits, -, _ and .",
    }),
    /** Generate the value: letters and digits, this many (32 or more: 190 bits and up). */
    generate: z
      .object({ length: z.number().int().min(32).max(256) }, { error: "expected { length }" })
      .strict()
      .optional(),
  })
  .strict();

/** A rollout bound: a pod count or a percentage of the desired count such as "25%". */
const rolloutBound = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d{1,3}%$/, { error: 'is not a percentage; expected e.g. "25%"' }),
]);

const isZero = (bound: number | string) => bound === 0 || /^0+%$/.test(String(bound));

export const rolloutSection = z
  .object({ maxSurge: rolloutBound.optional(), maxUnavailable: rolloutBound.optional() })
  .strict()
  .superRefine((rollout, ctx) => {
    // Kubernetes refuses a rolling update that may neither add nor remove a pod.
    if (isZero(rollout.maxSurge ?? 1) && isZero(rollout.maxUnavailable ?? 0)) {
      ctx.addIssue({
        code: "custom",
        input: rollout,
        message: "has maxSurge and maxUnavailable both 0, which cannot roll; raise one of them",
      });
    }
  });

const configFilesSection = z
  .object({
    /** Absolute directory the files appear in. */
    mountPath: z
      .string()
      .regex(/^\/[^:]*$/, { error: 'is not an absolute path; e.g. "/app/config"' }),
    /** File name -> content (plain text, never secrets). */
    files: z
      .record(
        z.string().regex(/^[-._a-zA-Z0-9]+$/, {
          error: "is not a file name; expected letters, digits, -, _ and .",
        }),
        z.string(),
      )
      .refine((files) => Object.keys(files).length > 0, { error: "needs at least one file" }),
  })
  .strict();

export const serviceSection = z
  .object({
    name: serviceName,
    image: pinnedImage,
    /** Port the container listens on. */
    port,
    replicas: z.number().int().min(1).optional(),
    resources: z.object({ requests: resourcePair, limits: resourcePair }).strict(),
    probes: z
      .object({
        liveness: probeSection.optional(),
        readiness: probeSection.optional(),
        startup: probeSection.optional(),
      })
      .strict()
      .optional(),
    env: z.record(envName, z.string()).optional(),
    /**
     * Env var -> key of a Kubernetes Secret (the platform's "connections" Secret or another);
     * `generate: { length }` has the platform make that Secret with a random value.
     */
    secretEnv: z.record(envName, serviceSecretRef).optional(),
    /** Rolling-update bounds. @default maxSurge 1, maxUnavailable 0 */
    rollout: rolloutSection.optional(),
    /** Files mounted read-only from the service's ConfigMap `<name>-config`. @default none */
    configFiles: configFilesSection.optional(),
    autoscaling: autoscalingSection.optional(),
    exposure: exposureSection.optional(),
    serviceAccount: z
      .object({
        annotations: z.record(z.string(), z.string()).optional(),
        automountToken: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Other services in the namespace this one calls. */
    calls: z.array(serviceName).optional(),
    egress: z.array(egressRule).optional(),
    /** Buckets, queue, topic and search domain the service uses, each with an access level. */
    uses: usesSection.optional(),
  })
  .strict();

/** One field of a five-field cron expression: `*`, values, ranges, lists and steps. */
function cronFieldProblem(field: string, min: number, max: number, names: readonly string[]) {
  const value = (v: string) => {
    const named = names.indexOf(v.toLowerCase());
    if (named >= 0) return named + min;
    return /^\d+$/.test(v) ? Number(v) : NaN;
  };
  for (const part of field.split(",")) {
    const [range, step, ...extra] = part.split("/");
    if (extra.length > 0 || range === undefined || range === "") return part;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return part;
    if (range === "*" || range === "?") continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return part;
    const values = bounds.map(value);
    if (values.some((v) => Number.isNaN(v) || v < min || v > max)) return part;
    if (values.length === 2 && values[0]! > values[1]!) return part;
  }
  return undefined;
}

const cronFields = [
  { what: "minute", min: 0, max: 59, names: [] },
  { what: "hour", min: 0, max: 23, names: [] },
  { what: "day of month", min: 1, max: 31, names: [] },
  {
    what: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { what: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
] as const;

const cronMacros = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
];

/**
 * A schedule as the CronJob controller reads it: five fields (minute, hour, day of month,
 * month, day of week) or one of the macros such as "@hourly".
 */
export const cronSchedule = z
  .string({ error: 'is not a cron schedule; expected e.g. "*/5 * * * *"' })
  .superRefine((schedule, ctx) => {
    if (cronMacros.includes(schedule)) return;
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5) {
      ctx.addIssue({
        code: "custom",
        input: schedule,
        message:
          `is not a cron schedule (${fields.length} fields); expected five fields ` +
          '"minute hour day-of-month month day-of-week" such as "*/5 * * * *", or one of ' +
          cronMacros.join(", "),
      });
      return;
    }
    fields.forEach((field, i) => {
      const spec = cronFields[i]!;
      const bad = cronFieldProblem(field, spec.min, spec.max, spec.names);
      if (bad !== undefined) {
        ctx.addIssue({
          code: "custom",
          input: schedule,
          message:
            `is not a cron schedule: "${bad}" is not a valid ${spec.what}; expected *, ` +
            `numbers ${spec.min}-${spec.max}, ranges a-b, lists a,b and steps */n`,
        });
      }
    });
  });

export const scheduledJobSection = z
  .object({
    name: kubernetesName("cronJob", "CronJob"),
    image: pinnedImage,
    /** Cron syntax, in the controller's time zone (UTC unless `timeZone` says otherwise). */
    schedule: cronSchedule,
    /** IANA time zone name, e.g. "Europe/Berlin". */
    timeZone: timeZone.optional(),
    /** Replaces the image's entrypoint. */
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    resources: z.object({ requests: resourcePair, limits: resourcePair }).strict(),
    env: z.record(envName, z.string()).optional(),
    secretEnv: z
      .record(envName, z.object({ secret: secretName, key: z.string().min(1) }).strict())
      .optional(),
    concurrencyPolicy: z
      .enum(["Forbid", "Replace", "Allow"], {
        error: 'is not a concurrency policy; expected "Forbid", "Replace" or "Allow"',
      })
      .optional(),
    successfulJobsHistoryLimit: z.number().int().min(0).max(100).optional(),
    failedJobsHistoryLimit: z.number().int().min(0).max(100).optional(),
    /** Seconds a run may take before it is stopped. */
    activeDeadlineSeconds: seconds.optional(),
    /** Retries of a failed run. */
    backoffLimit: z.number().int().min(0).max(20).optional(),
    /** Seconds after the scheduled time a missed run may still start. */
    startingDeadlineSeconds: seconds.optional(),
    egress: z.array(egressRule).optional(),
  })
  .strict();

export const workloadsSection = z
  .object({
    /** The application namespace. */
    namespace: namespaceName.optional(),
    quota: quotaSection.optional(),
    containerLimits: containerLimitsSection.optional(),
    /** Contact address of the Let's Encrypt account (required when a service uses ingress). */
    acmeEmail: z.email({ error: "is not an e-mail address" }).optional(),
    services: z.array(serviceSection).optional(),
    /** Jobs run on a schedule (CronJobs) in the application namespace. */
    jobs: z.array(scheduledJobSection).optional(),
  })
  .strict();
