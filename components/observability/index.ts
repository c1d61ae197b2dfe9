import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Target, Tier } from "../../config/tiers";
import { createAlertmanagerConfig } from "./alertmanager";
import { createAlertRules } from "./alert-rules";
import { createCustomMetrics } from "./custom-metrics";
import { createDashboards } from "./dashboards";
import { createLogging } from "./logging";
import { createManagedAlarmsAws } from "./managed-alarms-aws";
import { createManagedAlarmsGcp } from "./managed-alarms-gcp";
import { createPrometheusStack } from "./prometheus-stack";
import { createTracing } from "./tracing";
import { createVelero } from "./velero";
import { refuseArgs } from "../errors";

/** A Service the workloads deploy, scraped through a ServiceMonitor. */
export interface ScrapeTarget {
  /** Service name; also the Prometheus `job` label. */
  readonly name: string;
  /** Namespace the Service lives in. */
  readonly namespace: string;
  /** Name of the Service port that serves metrics. */
  readonly port: string;
  /** HTTP path of the metrics. @default "/metrics" when empty */
  readonly path: string;
  /** Labels that select the Service. @default `{ "app.kubernetes.io/name": name }` */
  readonly selector?: Readonly<Record<string, string>>;
}

/** A pods metric an HPA scales on, and the counter it is the per-second rate of. */
export interface PodsMetricSource {
  /** Metric name served by the custom metrics API, e.g. "requests_per_second". */
  readonly name: string;
  /** Counter each pod exposes, e.g. "http_requests_total". */
  readonly counter: string;
}

/** Where alerts go. Keys and webhooks are secrets from stack config. */
export interface AlertReceivers {
  /**
   * PagerDuty Events v2 integration key: critical alerts page on-call; on gcp also the
   * service key of the managed alert policies' PagerDuty notification channel. Secret.
   */
  readonly pagerdutyKey?: pulumi.Input<string>;
  /** PagerDuty "Amazon CloudWatch" integration key: managed alarms page on-call (aws). Secret. */
  readonly pagerdutyCloudwatchKey?: pulumi.Input<string>;
  /** Slack incoming-webhook URL: warning and info alerts. Secret. */
  readonly slackWebhookUrl?: pulumi.Input<string>;
  /** Slack channel the webhook posts to, e.g. "#platform-alerts". */
  readonly slackChannel?: string;
  /** Team address for critical and warning alerts (seed 003: "Email team"). */
  readonly emailTo?: string;
  /** Sender address of alert mail. */
  readonly emailFrom?: string;
  /** SMTP relay, "host:port". */
  readonly emailSmarthost?: string;
  /** SMTP user. */
  readonly emailUsername?: string;
  /** SMTP password. Secret. */
  readonly emailPassword?: pulumi.Input<string>;
}

/** What the component sizes and switches per tier. */
export interface ObservabilitySettings {
  /** How long Prometheus keeps samples, a Prometheus duration ("15d"). */
  readonly metricsRetention: string;
  /** Persistent volume of each Prometheus replica, GiB. */
  readonly metricsStorageGb: number;
  /** Days container logs are kept in the cloud's log store (seed 003: application logs 90 days). */
  readonly logRetentionDays: number;
  /**
   * Days the ingress controller's access logs are kept, in a log group of their own (aws).
   * @default 365 in prod (seed 003: access logs 1 year), 90 in staging, 7 in dev; without a
   * value, `logRetentionDays`
   */
  readonly accessLogRetentionDays?: number;
  /** Prometheus replicas. */
  readonly prometheusReplicas: number;
  /** Alertmanager replicas (a gossip cluster when more than one). */
  readonly alertmanagerReplicas: number;
  /** CPU/memory of the Prometheus container (requests = limits / 2). */
  readonly prometheusResources: { readonly cpu: string; readonly memory: string };
  /** Most traces the in-memory trace store holds. */
  readonly maxTraces: number;
  /**
   * Alarms on the managed database and cache: CloudWatch alarms on aws, Cloud Monitoring
   * alert policies on gcp.
   */
  readonly managedAlarms: boolean;
}

/**
 * Per tier: dev is light (short retention, one replica, no managed alarms); prod keeps
 * seed 003's 90 days of application logs and runs everything highly available.
 */
export const observabilityDefaults: PerTier<ObservabilitySettings> = {
  dev: {
    metricsRetention: "2d",
    metricsStorageGb: 5,
    logRetentionDays: 7,
    accessLogRetentionDays: 7,
    prometheusReplicas: 1,
    alertmanagerReplicas: 1,
    prometheusResources: { cpu: "500m", memory: "1Gi" },
    maxTraces: 10000,
    managedAlarms: false,
  },
  staging: {
    metricsRetention: "7d",
    metricsStorageGb: 20,
    logRetentionDays: 30,
    accessLogRetentionDays: 90,
    prometheusReplicas: 1,
    alertmanagerReplicas: 2,
    prometheusResources: { cpu: "1", memory: "2Gi" },
    maxTraces: 50000,
    managedAlarms: true,
  },
  prod: {
    metricsRetention: "15d",
    metricsStorageGb: 50,
    logRetentionDays: 90,
    accessLogRetentionDays: 365,
    prometheusReplicas: 2,
    alertmanagerReplicas: 3,
    prometheusResources: { cpu: "2", memory: "4Gi" },
    maxTraces: 100000,
    managedAlarms: true,
  },
};

/**
 * Alarm thresholds on the managed data services, named after the CloudWatch metrics; the
 * Cloud Monitoring policies on gcp read the same table (percentages as 0-1 ratios).
 */
export interface ManagedAlarmThresholds {
  /** RDS CPUUtilization above this, percent, for 3 periods of 5 min. */
  readonly rdsCpuPercent: number;
  /** RDS FreeStorageSpace below this, GiB. */
  readonly rdsFreeStorageGb: number;
  /** RDS ReplicaLag above this, seconds. */
  readonly rdsReplicaLagSeconds: number;
  /** ElastiCache CPUUtilization above this, percent. */
  readonly cacheCpuPercent: number;
  /** ElastiCache Evictions above this, keys per 5 min. */
  readonly cacheEvictions: number;
  /** ElastiCache DatabaseMemoryUsagePercentage above this, percent. */
  readonly cacheMemoryPercent: number;
}

/** Thresholds per tier; dev has no managed alarms, its entry only keeps the table total. */
export const managedAlarmDefaults: PerTier<ManagedAlarmThresholds> = {
  dev: {
    rdsCpuPercent: 90,
    rdsFreeStorageGb: 2,
    rdsReplicaLagSeconds: 300,
    cacheCpuPercent: 90,
    cacheEvictions: 1000,
    cacheMemoryPercent: 90,
  },
  staging: {
    rdsCpuPercent: 85,
    rdsFreeStorageGb: 5,
    rdsReplicaLagSeconds: 120,
    cacheCpuPercent: 85,
    cacheEvictions: 500,
    cacheMemoryPercent: 85,
  },
  prod: {
    rdsCpuPercent: 80,
    rdsFreeStorageGb: 10,
    rdsReplicaLagSeconds: 30,
    cacheCpuPercent: 75,
    cacheEvictions: 100,
    cacheMemoryPercent: 80,
  },
};

/** In-cluster data services to export metrics from (the local target). */
export interface InClusterDataServices {
  /** PostgreSQL: the exporter reads the DSN from a Secret it is given. */
  readonly postgres?: {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly database: pulumi.Input<string>;
    readonly username: pulumi.Input<string>;
    /** Secret. */
    readonly password: pulumi.Input<string>;
    /**
     * libpq sslmode the exporter connects with; follows the server it watches.
     * @default "disable" on target local (its PostgreSQL has no TLS), "require" elsewhere
     */
    readonly sslmode?: "disable" | "require" | "verify-ca" | "verify-full";
  };
  /** Redis: "host:port", and its password when it has one (secret). */
  readonly redis?: {
    readonly address: pulumi.Input<string>;
    readonly password?: pulumi.Input<string>;
  };
}

/**
 * Managed data services to alarm on: the Database's `instanceId` and `replicaInstanceIds`
 * and the Cache's `nodeIds`, whichever target built them.
 */
export interface ManagedDataServices {
  /**
   * Primary database instances: RDS instance identifiers on aws, Cloud SQL `database_id`s
   * (`<project>:<instance>`) on gcp.
   */
  readonly databaseInstanceIds: pulumi.Input<string>[];
  /** Read replicas, the same ids (replica lag alarms). */
  readonly databaseReplicaIds: pulumi.Input<string>[];
  /**
   * Cache nodes: ElastiCache member cache cluster ids on aws, Memorystore `instance_id`s
   * (`projects/<project>/locations/<region>/instances/<name>`) on gcp.
   */
  readonly cacheNodeIds: pulumi.Input<string>[];
  /**
   * AWS Backup vaults whose backup jobs are watched: an alarm when one fails, and when none
   * completes for 32 hours (seed 003's 25 h plus the daily job's drift). AWS only. @default none
   */
  readonly backupVaultNames?: pulumi.Input<string>[];
}

/** Cluster backups with Velero (the Backups component backs up the managed data services). */
export interface ClusterBackupArgs {
  /** Bucket the backups land in (the object store's backups bucket). */
  readonly bucket: pulumi.Input<string>;
  /** Key prefix inside the bucket; Velero may touch nothing outside it. @default "k8s-backups" (seed 001) */
  readonly prefix?: string;
  /** Namespaces backed up. @default ["production", "staging"] (seed 001) */
  readonly namespaces?: readonly string[];
}

/**
 * The cluster's workload identity on aws: the IAM OIDC provider its service account tokens
 * are issued by (the Cluster component's `oidcProviderArn` and `oidcIssuer`). The component
 * builds one IAM role per writer, each trusted by exactly one service account.
 */
export interface ClusterIdentity {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL without the scheme, as IRSA trust policies name it. */
  readonly oidcIssuer: pulumi.Input<string>;
}

export interface ObservabilityArgs {
  readonly target: Target;
  readonly tier: Tier;
  /** Existing namespace the stack runs in (the Workloads component creates it). */
  readonly namespace: pulumi.Input<string>;
  /** Cluster name, used in log group names and log labels. */
  readonly clusterName: string;
  /** Cloud region (aws: CloudWatch Logs and Velero; gcp: the cluster location). */
  readonly region?: string;
  /** GCP project (gcp target). */
  readonly gcpProject?: string;
  /**
   * The application's services: each gets a ServiceMonitor, and the alert rules (service
   * down, error rate, latency) watch their jobs.
   */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /**
   * Controllers the platform runs beside the application (the ingress controller,
   * cert-manager): scraped, but not held to the application's alert rules, whose request
   * metrics they do not serve. @default none
   */
  readonly platformScrapeTargets?: readonly ScrapeTarget[];
  /**
   * Pods metrics the services' HPAs scale on, one per name: prometheus-adapter is installed
   * with one rule each. @default none, and no adapter
   */
  readonly podsMetrics?: readonly PodsMetricSource[];
  readonly receivers: AlertReceivers;
  /** Tier settings, resolved over `observabilityDefaults`. @default observabilityDefaults[tier] */
  readonly settings?: Partial<ObservabilitySettings>;
  /** Managed alarm thresholds. @default managedAlarmDefaults[tier] */
  readonly alarmThresholds?: Partial<ManagedAlarmThresholds>;
  /** Exporters for data services running in the cluster. @default none */
  readonly inClusterData?: InClusterDataServices;
  /** Managed services to alarm on (aws and gcp, when `managedAlarms`). @default none */
  readonly managedData?: ManagedDataServices;
  /**
   * The cluster's workload identity (aws): Fluent Bit and Velero get IAM roles trusted by
   * their service accounts only. On gcp, Workload Identity of `gcpProject` is used instead.
   */
  readonly clusterIdentity?: ClusterIdentity;
  /** Cluster backups; none when absent. */
  readonly backups?: ClusterBackupArgs;
  /**
   * The database backs itself up from the cluster (the timescaledb engine's Barman Cloud
   * plugin), so the backup alert also watches its last base backup. @default false
   */
  readonly databaseBackups?: boolean;
  /**
   * The StorageClass every volume claim of the monitoring stack names (Prometheus and
   * Alertmanager). EKS has had no default class since 1.30, so a claim naming none stays Pending
   * there unless the cluster makes one default.
   * @default the cluster's default class
   */
  readonly storageClassName?: pulumi.Input<string>;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Tags put on every cloud resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Resolved args the per-concern functions share. */
export interface ObservabilityContext {
  readonly name: string;
  readonly args: ObservabilityArgs;
  readonly settings: ObservabilitySettings;
  readonly parent: pulumi.Resource;
}

/** Helm release names; services and URLs derive from them. */
export const releaseNames = {
  prometheusStack: "kps",
  grafana: "grafana",
  tracing: "jaeger",
  logging: "fluent-bit",
  velero: "velero",
  customMetrics: "prometheus-adapter",
  postgresExporter: "postgres-exporter",
  redisExporter: "redis-exporter",
} as const;

/**
 * Metrics, dashboards, alerts, traces, logs and cluster backups for one cluster: Prometheus,
 * Alertmanager and Grafana (kube-prometheus-stack), Jaeger, Fluent Bit and Velero, each a
 * pinned Helm release, prometheus-adapter when an HPA scales on a pods metric, plus alarms on the managed data services: CloudWatch on aws, Cloud
 * Monitoring alert policies on gcp.
 */
export class Observability extends pulumi.ComponentResource {
  readonly grafanaUrl: pulumi.Output<string>;
  readonly alertmanagerUrl: pulumi.Output<string>;
  /** OTLP gRPC endpoint services send traces to. */
  readonly tracesEndpoint: pulumi.Output<string>;
  /** Where container logs land (a CloudWatch log group, Cloud Logging, or stdout). */
  readonly logsDestination: pulumi.Output<string>;
  /** Where cluster backups land, or "none". */
  readonly backupsDestination: pulumi.Output<string>;
  /** SNS topic the managed alarms notify, when there is one. */
  readonly alarmTopicArn?: pulumi.Output<string>;
  /** Cloud Monitoring notification channels the managed alert policies notify (gcp). */
  readonly alarmNotificationChannels?: pulumi.Output<string>[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Observability", name, observabilityArgProblems(args));
    super("platform:index:Observability", name, {}, opts);
    const ctx: ObservabilityContext = {
      name,
      args,
      settings: { ...observabilityDefaults[args.tier], ...args.settings },
      parent: this,
    };
    const alertmanagerSecret = createAlertmanagerConfig(ctx);
    const stack = createPrometheusStack(ctx, alertmanagerSecret);
    const afterStack = { dependsOn: [stack.release] };
    createAlertRules(ctx, afterStack);
    createDashboards(ctx);
    createCustomMetrics(ctx, afterStack);
    const tracing = createTracing(ctx);
    const logging = createLogging(ctx, afterStack);
    const backups = createVelero(ctx, afterStack);
    const alarms =
      args.target === "aws" && ctx.settings.managedAlarms ? createManagedAlarmsAws(ctx) : undefined;
    const policies =
      args.target === "gcp" && ctx.settings.managedAlarms ? createManagedAlarmsGcp(ctx) : undefined;

    this.grafanaUrl = stack.grafanaUrl;
    this.alertmanagerUrl = stack.alertmanagerUrl;
    this.tracesEndpoint = tracing.otlpEndpoint;
    this.logsDestination = logging.destination;
    this.backupsDestination = backups?.destination ?? pulumi.output("none");
    this.alarmTopicArn = alarms?.topicArn;
    this.alarmNotificationChannels = policies?.notificationChannels;
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      alertmanagerUrl: this.alertmanagerUrl,
      tracesEndpoint: this.tracesEndpoint,
      logsDestination: this.logsDestination,
      backupsDestination: this.backupsDestination,
      alarmTopicArn: this.alarmTopicArn,
      alarmNotificationChannels: this.alarmNotificationChannels,
    });
  }
}

/** The problem with observability on aws without the cluster's identity. */
export const clusterIdentityRequired =
  "clusterIdentity: is required on aws; Fluent Bit and Velero reach AWS through IAM roles for service accounts, pass the Cluster's oidcProviderArn and oidcIssuer";

/**
 * Problems with the args, one line each: what the target needs (a region, a project, the
 * cluster's identity, a receiver for managed alarms) and names listed twice. The constructor
 * refuses args that have any, before anything is registered.
 */
export function observabilityArgProblems(args: ObservabilityArgs): string[] {
  const problems: string[] = [];
  if (args.target !== "local" && !args.region) {
    problems.push(`region: is required on target "${args.target}"`);
  }
  if (args.target === "gcp" && !args.gcpProject) {
    problems.push('gcpProject: is required on target "gcp"');
  }
  const managedAlarms =
    args.settings?.managedAlarms ?? observabilityDefaults[args.tier].managedAlarms;
  const { pagerdutyKey, emailTo } = args.receivers;
  if (args.target === "gcp" && managedAlarms && pagerdutyKey === undefined && !emailTo) {
    problems.push(
      `receivers: needs pagerdutyKey or emailTo on gcp when managedAlarms is on (tier "${args.tier}"); ` +
        "the Cloud Monitoring alert policies notify a PagerDuty or an e-mail channel made from them. " +
        "Set platform:observability.alerting.pagerdutyKey as a secret or emailTo, or managedAlarms: false",
    );
  }
  if (args.target === "aws" && !args.clusterIdentity) {
    problems.push(clusterIdentityRequired);
  }
  if (args.target !== "aws" && args.clusterIdentity) {
    problems.push(
      `clusterIdentity: is for target "aws" only, got target "${args.target}"; leave it out`,
    );
  }
  if (args.backups) {
    if (args.target === "local") {
      problems.push('backups: are not supported on target "local"; Velero needs a cloud bucket');
    }
    const prefix = args.backups.prefix;
    if (prefix !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(prefix)) {
      problems.push(
        `backups.prefix: "${prefix}" is not a single path segment; expected lowercase letters, digits, ".", "_" or "-", e.g. "k8s-backups"`,
      );
    }
  }
  const metricNames = new Set<string>();
  for (const m of args.podsMetrics ?? []) {
    if (metricNames.has(m.name)) {
      problems.push(`podsMetrics: ${m.name} is listed twice; the adapter serves a name once`);
    }
    metricNames.add(m.name);
  }
  const seen = new Set<string>();
  for (const t of [...args.scrapeTargets, ...(args.platformScrapeTargets ?? [])]) {
    const key = `${t.namespace}/${t.name}`;
    if (seen.has(key)) problems.push(`scrapeTargets: ${key} is listed twice`);
    seen.add(key);
  }
  return problems;
}
