import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Target } from "../../config/tiers";
import { createNamespace } from "./namespace";
import { createConnectionsSecret } from "./secrets";
import { createDefaultDeny } from "./network-policy";
import { createApplication, type ServiceContext } from "./application";
import { createScheduledJob } from "./scheduled-job";
import { missingConnectionData } from "./connection-data";
import { createGeneratedSecrets, generatedKeyProblems } from "./generated-secrets";
import { refuseArgs } from "../errors";

/** Aggregate ceiling for one namespace (Kubernetes quantities, e.g. "10", "20Gi"). */
export interface QuotaSettings {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  /** Most pods the namespace may run. */
  readonly pods: number;
  /** Most PersistentVolumeClaims the namespace may hold. */
  readonly persistentVolumeClaims: number;
}

/** Per-container defaults and bounds applied by the namespace's LimitRange. */
export interface ContainerLimitSettings {
  readonly defaultRequestCpu: string;
  readonly defaultRequestMemory: string;
  readonly defaultLimitCpu: string;
  readonly defaultLimitMemory: string;
  readonly maxCpu: string;
  readonly maxMemory: string;
}

export interface NamespaceSettings {
  /** Namespace name (a DNS label). */
  readonly name: string;
  readonly quota: QuotaSettings;
  readonly containerLimits: ContainerLimitSettings;
}

/**
 * Quota per tier: prod is seed 000's (requests 10 CPU / 20Gi, limits 20 / 40Gi, 10 PVCs),
 * staging seed 002's (requests 4 / 8Gi, limits 8 / 16Gi, 20 pods, 5 PVCs), dev half of that.
 */
export const quotaDefaults: PerTier<QuotaSettings> = {
  dev: {
    requestsCpu: "2",
    requestsMemory: "4Gi",
    limitsCpu: "4",
    limitsMemory: "8Gi",
    pods: 20,
    persistentVolumeClaims: 5,
  },
  staging: {
    requestsCpu: "4",
    requestsMemory: "8Gi",
    limitsCpu: "8",
    limitsMemory: "16Gi",
    pods: 20,
    persistentVolumeClaims: 5,
  },
  prod: {
    requestsCpu: "10",
    requestsMemory: "20Gi",
    limitsCpu: "20",
    limitsMemory: "40Gi",
    pods: 50,
    persistentVolumeClaims: 10,
  },
};

export const containerLimitDefaults: PerTier<ContainerLimitSettings> = {
  dev: {
    defaultRequestCpu: "100m",
    defaultRequestMemory: "128Mi",
    defaultLimitCpu: "500m",
    defaultLimitMemory: "512Mi",
    maxCpu: "2",
    maxMemory: "2Gi",
  },
  staging: {
    defaultRequestCpu: "100m",
    defaultRequestMemory: "128Mi",
    defaultLimitCpu: "500m",
    defaultLimitMemory: "512Mi",
    maxCpu: "2",
    maxMemory: "4Gi",
  },
  prod: {
    defaultRequestCpu: "250m",
    defaultRequestMemory: "256Mi",
    defaultLimitCpu: "1",
    defaultLimitMemory: "1Gi",
    maxCpu: "4",
    maxMemory: "8Gi",
  },
};

/** The namespace the tier's application runs in (seed 001: production, staging). */
export const appNamespaceDefaults: PerTier<string> = {
  dev: "dev",
  staging: "staging",
  prod: "production",
};

/** How fast the HPA may add or remove pods (autoscaling/v2 `behavior`). */
export interface ScalingRules {
  /** Seconds of past recommendations the HPA considers before acting. */
  readonly stabilizationWindowSeconds: number;
  readonly policies: readonly {
    readonly type: "Percent" | "Pods";
    readonly value: number;
    readonly periodSeconds: number;
  }[];
}

export interface ScalingBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/**
 * A per-pod metric the HPA scales on (autoscaling/v2 `type: Pods`): the rate of a counter each
 * pod exposes, served through the custom metrics API (the Observability component installs
 * prometheus-adapter for it).
 */
export interface PodsMetric {
  /** Metric name the HPA asks for, e.g. "requests_per_second". */
  readonly name: string;
  /** Target per-pod average, a Kubernetes quantity such as "100". */
  readonly averageValue: string;
  /** Counter whose per-second rate over 2 minutes, per pod, is the metric. */
  readonly counter: string;
}

/**
 * The counter a pods metric is the rate of when config names none: the HTTP request counter
 * behind `requests_per_second` (seed 001). Any other metric names its counter.
 */
export const conventionalCounters: Readonly<Record<string, string>> = {
  requests_per_second: "http_requests_total",
};

export interface AutoscalingSettings {
  /** Fewest replicas; also the Deployment's replica count unless `replicas` says more. */
  readonly min: number;
  readonly max: number;
  /** Target average CPU utilisation, percent of requests. */
  readonly cpuPercent: number;
  /** Target average memory utilisation, percent of requests. */
  readonly memoryPercent: number;
  /** Per-pod metrics, after CPU and memory in the HPA. @default none */
  readonly podsMetrics: readonly PodsMetric[];
  readonly behavior: ScalingBehavior;
}

/**
 * Autoscaling per tier. Prod is seed 000's API tier (3 -> 20 at 70 % CPU / 80 % memory;
 * scale up 100 % per 15 s after 60 s, scale down 10 % per 60 s after 300 s); staging is
 * seed 001's (2 -> 10; up 100 % or 2 pods per 60 s after 60 s, down 50 % per 60 s after 300 s);
 * dev follows staging's behaviour between 1 and 3 replicas.
 */
export const autoscalingDefaults: PerTier<AutoscalingSettings> = {
  dev: {
    min: 1,
    max: 3,
    cpuPercent: 70,
    memoryPercent: 80,
    podsMetrics: [],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [
          { type: "Percent", value: 100, periodSeconds: 60 },
          { type: "Pods", value: 2, periodSeconds: 60 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
      },
    },
  },
  staging: {
    min: 2,
    max: 10,
    cpuPercent: 70,
    memoryPercent: 80,
    podsMetrics: [],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [
          { type: "Percent", value: 100, periodSeconds: 60 },
          { type: "Pods", value: 2, periodSeconds: 60 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
      },
    },
  },
  prod: {
    min: 3,
    max: 20,
    cpuPercent: 70,
    memoryPercent: 80,
    podsMetrics: [],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
    },
  },
};

/** Requests per second per client IP at the ingress (seed 001: 100 rps). */
export const rateLimitDefaults: PerTier<number> = { dev: 100, staging: 100, prod: 100 };

export interface ProbeSettings {
  readonly httpGet?: { readonly path: string; readonly port: number };
  readonly tcp?: { readonly port: number };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** Probe timings of seed 001's auth-service; paths of seeds 000/001 (/health, /ready). */
export const probeTimingDefaults = {
  liveness: { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  readiness: { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  startup: { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
} as const;

export type Exposure =
  | { readonly kind: "none" }
  /** Behind the nginx ingress with TLS from cert-manager. */
  | {
      readonly kind: "ingress";
      readonly host: string;
      /** Path prefix. @default "/" */
      readonly path: string;
      /** Requests per second per client IP. @default 100 (seed 001) */
      readonly rateLimit: number;
    }
  /**
   * Raw TCP / websockets: a Service of type LoadBalancer (an NLB on AWS, seed 000); a NodePort
   * on a local cluster, which has no load balancer to give it an address.
   */
  | { readonly kind: "loadBalancer" };

export interface EgressRule {
  /** TCP port. */
  readonly port: number;
  /** Destination namespace; the service's own when neither this nor `cidr` is set. */
  readonly namespace?: string;
  /** Destination address range outside the cluster. */
  readonly cidr?: string;
}

/**
 * How a service may use a data resource: `read` (get, list, receive), `write` (put, delete,
 * send) or both. A topic is only published to, so a topic's use is `write`.
 */
export type Access = "read" | "write" | "readwrite";

/** Access levels a bucket, the queue and the search domain may be used with. */
export const accessLevels: readonly Access[] = ["read", "write", "readwrite"];

/** The platform's data resources a service reaches with its own cloud identity. */
export interface ServiceUses {
  /** Bucket role ("uploads", ...) -> access. @default none */
  readonly buckets: Readonly<Record<string, Access>>;
  /** The notification queue: `read` consumes, `write` sends. @default none */
  readonly queue?: Access;
  /** The notification topic, published to. @default none */
  readonly topic?: "write";
  /** The OpenSearch domain. @default none */
  readonly search?: Access;
}

/** A service that uses nothing. */
export const noUses: ServiceUses = { buckets: {} };

/** Whether a service uses any data resource (and so gets a cloud identity and connection data). */
export function usesAnything(uses: ServiceUses | undefined): boolean {
  if (uses === undefined) return false;
  return (
    Object.keys(uses.buckets).length > 0 ||
    uses.queue !== undefined ||
    uses.topic !== undefined ||
    uses.search !== undefined
  );
}

/** One application service, as data. */
export interface ServiceSettings {
  /** DNS label; names the Deployment, Service, HPA, PDB, NetworkPolicy and ServiceAccount. */
  readonly name: string;
  /** Image with a pinned tag or digest (never `latest`). */
  readonly image: string;
  /** Port the container listens on; the Service listens on 80 and forwards to it. */
  readonly port: number;
  /** Replicas at creation. @default the autoscaling minimum */
  readonly replicas: number;
  /** Kubernetes quantities per container; both are required. */
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  /** @default liveness GET /health, readiness GET /ready on the service's port (seeds 000/001) */
  readonly probes: {
    readonly liveness: ProbeSettings;
    readonly readiness: ProbeSettings;
    readonly startup?: ProbeSettings;
  };
  /** Plain environment values (never secrets). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Env var -> key of a Kubernetes Secret, given to the pod by `secretKeyRef`; a reference
   * with `generate` has the platform make that Secret with a random value.
   */
  readonly secretEnv: Readonly<Record<string, SecretReference>>;
  /** Rolling-update bounds. @default `rolloutDefaults`: maxSurge 1, maxUnavailable 0 */
  readonly rollout?: RolloutSettings;
  /** Files mounted read-only from the service's ConfigMap `<name>-config`. @default none */
  readonly configFiles?: ConfigFiles;
  /** @default per tier, `autoscalingDefaults` */
  readonly autoscaling: AutoscalingSettings;
  /** @default none */
  readonly exposure: Exposure;
  readonly serviceAccount: {
    /** e.g. `eks.amazonaws.com/role-arn` (IRSA) or `iam.gke.io/gcp-service-account`. */
    readonly annotations: Readonly<Record<string, string>>;
    /** Mount the service-account token into the pod. @default false */
    readonly automountToken: boolean;
  };
  /** Services of the same namespace this one calls (egress here, ingress there). */
  readonly calls: readonly string[];
  /** Further TCP egress (data services, external APIs). DNS is always allowed. */
  readonly egress: readonly EgressRule[];
  /**
   * Buckets, queue, topic and search domain the service uses: it gets a cloud identity allowed
   * exactly that, and their names and URLs as env. @default none
   */
  readonly uses?: ServiceUses;
}

/**
 * How a Deployment replaces its pods (`spec.strategy.rollingUpdate`): pods above the desired
 * count while it rolls, and pods below it. A count or a percentage such as "25%".
 */
export interface RolloutSettings {
  /** Extra pods during a rollout. @default 1 */
  readonly maxSurge: number | string;
  /** Pods that may be missing during a rollout. @default 0: never below the desired count */
  readonly maxUnavailable: number | string;
}

/** One new pod at a time, never below the desired count (seed 000's API). */
export const rolloutDefaults: RolloutSettings = { maxSurge: 1, maxUnavailable: 0 };

/** Files a service reads, from a ConfigMap of its own mounted read-only (seed 001's config.yaml). */
export interface ConfigFiles {
  /** Directory the files appear in, e.g. "/app/config". */
  readonly mountPath: string;
  /** File name -> content; plain text only, never secrets. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * A secret key the platform generates (RandomPassword, kept as a Pulumi secret) and stores in
 * the Kubernetes Secret `secret`, for keys no one hands over, such as a JWT signing key.
 */
export interface SecretReference {
  /** Name of the Kubernetes Secret. */
  readonly secret: string;
  /** Key inside it. */
  readonly key: string;
  /** Generate the value: its length in characters. @default not generated: the Secret exists */
  readonly generate?: { readonly length: number };
}

/** What a CronJob does when a run is due while the previous one is still going. */
export type ConcurrencyPolicy = "Forbid" | "Replace" | "Allow";

/** Defaults of a scheduled job's run bookkeeping. */
export const scheduledJobDefaults = {
  concurrencyPolicy: "Forbid",
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
  activeDeadlineSeconds: 3600,
  backoffLimit: 2,
  startingDeadlineSeconds: 300,
} as const;

/** One job run on a schedule (a CronJob), as data. */
export interface ScheduledJobSettings {
  /** DNS label; names the CronJob, its NetworkPolicy and its pods' `app.kubernetes.io/name`. */
  readonly name: string;
  /** Image with a pinned tag or digest (never `latest`). */
  readonly image: string;
  /** Five-field cron expression or macro ("@hourly"). */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default the controller's (UTC) */
  readonly timeZone?: string;
  /** Replaces the image's entrypoint. @default the image's */
  readonly command?: readonly string[];
  /** @default the image's */
  readonly args?: readonly string[];
  /** Kubernetes quantities for the one container; both are required. */
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  /** Plain environment values (never secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Env var -> key of a Kubernetes Secret, given to the pod by `secretKeyRef`. */
  readonly secretEnv: Readonly<Record<string, { readonly secret: string; readonly key: string }>>;
  /** @default "Forbid": a run never starts while the previous one is going */
  readonly concurrencyPolicy: ConcurrencyPolicy;
  /** Finished Jobs kept. @default 3 */
  readonly successfulJobsHistoryLimit: number;
  /** Failed Jobs kept. @default 3 */
  readonly failedJobsHistoryLimit: number;
  /** Seconds a run may take before it is stopped. @default 3600 */
  readonly activeDeadlineSeconds: number;
  /** Retries of a failed run. @default 2 */
  readonly backoffLimit: number;
  /** Seconds after its time a missed run may still start. @default 300 */
  readonly startingDeadlineSeconds: number;
  /** TCP egress (data services, external APIs). DNS is always allowed. @default none */
  readonly egress: readonly EgressRule[];
}

/** Name of the Secret holding the connection strings and tokens passed to Workloads. */
export const connectionsSecretName = "connections";

export interface WorkloadsArgs {
  /** Namespaces to create, each with a ResourceQuota and a LimitRange; services go in the first. */
  readonly namespaces: readonly NamespaceSettings[];
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Where the cluster runs; picks load-balancer annotations, and NodePorts on a local cluster. */
  readonly target: Target;
  /** Services to run in the first namespace. @default none */
  readonly services?: readonly ServiceSettings[];
  /** Scheduled jobs (CronJobs) to run in the first namespace. @default none */
  readonly jobs?: readonly ScheduledJobSettings[];
  /**
   * Connection strings and tokens (Pulumi secrets), stored as the `connections` Secret and
   * referenced by `secretEnv` entries whose secret is "connections". @default none
   */
  readonly connectionSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Namespace of the ingress controller, allowed in to exposed services. @default "ingress-nginx" */
  readonly ingressControllerNamespace?: string;
  /** cert-manager ClusterIssuer that signs ingress certificates. @default "letsencrypt-prod" */
  readonly clusterIssuer?: string;
  /**
   * PEM of the CA that signs the edge's client certificates (Authenticated Origin Pulls); set,
   * every Ingress demands a client certificate it signs. @default none: no client certificate
   */
  readonly originPullCa?: string;
  /** Namespace whose Prometheus scrapes the services; allowed in on each service's port. @default none */
  readonly monitoringNamespace?: string;
  /**
   * The cloud identity built for each service that uses a data resource, by service name: its
   * ServiceAccount takes the annotations, its pods wait for `ready`. @default none
   */
  readonly identities?: Readonly<Record<string, ServiceIdentityBinding>>;
  /**
   * Names, URLs and ARNs of the resources services use; each service that uses one gets it as
   * env from a ConfigMap of its own. @default none
   */
  readonly connectionData?: ConnectionData;
  /**
   * Address range the cloud's API endpoints answer in (the VPC's interface endpoints): a
   * service with a cloud identity may reach it on 443. @default none
   */
  readonly cloudApiCidr?: string;
}

/** A service's cloud identity as its ServiceAccount and pods need it. */
export interface ServiceIdentityBinding {
  /** ServiceAccount annotations: `eks.amazonaws.com/role-arn` or `iam.gke.io/gcp-service-account`. */
  readonly annotations: Readonly<Record<string, pulumi.Input<string>>>;
  /** The role and its grants: pods start only once they exist. */
  readonly ready: readonly pulumi.Resource[];
}

/** The non-secret connection data of the resources services use (names, URLs, ARNs). */
export interface ConnectionData {
  /** Region the cloud SDKs sign requests for (AWS_REGION). @default none (GCP, local) */
  readonly region?: pulumi.Input<string>;
  /** Bucket names by role. */
  readonly buckets: Readonly<Record<string, pulumi.Input<string>>>;
  /** The notification queue's URL. @default none */
  readonly queueUrl?: pulumi.Input<string>;
  /** The notification topic's ARN. @default none */
  readonly topicArn?: pulumi.Input<string>;
  /** The search domain's HTTPS endpoint, without credentials. @default none */
  readonly searchEndpoint?: pulumi.Input<string>;
}

/** The application's namespaces and services on one cluster. */
export class Workloads extends pulumi.ComponentResource {
  /** Namespace names, in the order given. */
  readonly namespaceNames: pulumi.Output<string>[];
  /**
   * Load-balancer host names of services exposed as `loadBalancer`, by service; none on a local
   * cluster, whose NodePorts have no load balancer.
   */
  readonly loadBalancers: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Workloads", name, workloadsArgProblems(args));
    super("platform:index:Workloads", name, {}, opts);
    const services = args.services ?? [];
    const jobs = args.jobs ?? [];
    const connectionSecrets = args.connectionSecrets ?? {};
    // The SDK sends a component's dependsOn for the component alone, never for its children:
    // the namespaces, which every other child waits for, carry it (the ingress controller's
    // admission webhook, metrics-server), so nothing here is created before what it needs.
    const namespaces: k8s.core.v1.Namespace[] = args.namespaces.map((ns) =>
      createNamespace(`${name}-${ns.name}`, ns, args.labels, this, opts?.dependsOn),
    );
    this.namespaceNames = namespaces.map((ns) => ns.metadata.name);
    const appNamespace = namespaces[0];
    const loadBalancers: Record<string, pulumi.Output<string>> = {};
    if (appNamespace && args.namespaces[0]) {
      const context: ServiceContext = {
        componentName: name,
        namespace: args.namespaces[0].name,
        labels: args.labels,
        target: args.target,
        ingressControllerNamespace: args.ingressControllerNamespace ?? "ingress-nginx",
        monitoringNamespace: args.monitoringNamespace,
        clusterIssuer: args.clusterIssuer ?? "letsencrypt-prod",
        originPullCa: args.originPullCa,
        ...(args.cloudApiCidr !== undefined && { cloudApiCidr: args.cloudApiCidr }),
        parent: this,
        dependsOn: [appNamespace],
      };
      const secret = createConnectionsSecret(context, connectionSecrets);
      const secrets = [...(secret ? [secret] : []), ...createGeneratedSecrets(context, services)];
      if (services.length + jobs.length > 0) createDefaultDeny(context);
      for (const service of services) {
        const built = createApplication(context, service, services, secrets, {
          identity: args.identities?.[service.name],
          connectionData: args.connectionData,
        });
        if (built.loadBalancerHost) loadBalancers[service.name] = built.loadBalancerHost;
      }
      for (const job of jobs) createScheduledJob(context, job, secrets);
    }
    this.loadBalancers = loadBalancers;
    this.registerOutputs({ namespaceNames: this.namespaceNames, loadBalancers });
  }
}

/**
 * Problems with the args, one line each: a service or job that reads a connection the caller
 * did not pass, calls a service that is not here, or uses what no connection data was passed
 * for. The constructor refuses args that have any.
 */
export function workloadsArgProblems(args: WorkloadsArgs): string[] {
  const services = args.services ?? [];
  return [
    ...secretReferenceProblems(services, args.jobs ?? [], args.connectionSecrets ?? {}),
    ...usesProblems(services, args.connectionData ?? { buckets: {} }),
  ];
}

/** A service that uses what the caller passed no connection data for. */
function usesProblems(services: readonly ServiceSettings[], data: ConnectionData): string[] {
  return services.flatMap((s) =>
    missingConnectionData(s.uses ?? noUses, data).map(
      (what) => `service ${s.name}: uses ${what}; no connection data is passed for it`,
    ),
  );
}

/** A service or job reading a connection the caller did not pass, or calling one not here. */
function secretReferenceProblems(
  services: readonly ServiceSettings[],
  jobs: readonly ScheduledJobSettings[],
  connections: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [...generatedKeyProblems(services)];
  const readers = [
    ...services.map((s) => ({ what: `service ${s.name}`, secretEnv: s.secretEnv })),
    ...jobs.map((j) => ({ what: `job ${j.name}`, secretEnv: j.secretEnv })),
  ];
  for (const reader of readers) {
    for (const [env, ref] of Object.entries(reader.secretEnv)) {
      if (ref.secret === connectionsSecretName && !(ref.key in connections)) {
        problems.push(
          `${reader.what}: ${env} reads "${ref.key}" from the connections Secret, ` +
            `which holds only: ${Object.keys(connections).join(", ") || "nothing"}`,
        );
      }
    }
  }
  for (const service of services) {
    for (const callee of service.calls) {
      if (!services.some((s) => s.name === callee)) {
        problems.push(`service ${service.name}: calls "${callee}", which is not a service here`);
      }
    }
  }
  return problems;
}
