import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ObservabilityContext, ScrapeTarget } from "./index";

export type Severity = "critical" | "warning" | "info";
type RuleGroup = NonNullable<IPrometheusRule["spec"]["groups"]>[number];
type Rule = NonNullable<RuleGroup["rules"]>[number];

/** Seconds between scrapes and between rule evaluations (seeds 000, 001: 15 s). */
export const checkIntervalSeconds = 15;
/** Failed health checks before the API counts as down (seed 003). */
export const failedChecksBeforeDown = 3;

/** Seed 003's alert table, as numbers; the rules below are built from it. */
export const alertThresholds = {
  /** Share of 5xx responses (seed 003: > 1 % for 5 min). */
  errorRatio: 0.01,
  errorFor: "5m",
  /** Used share of a node filesystem (> 85 %). */
  diskUsedRatio: 0.85,
  /** p95 database query time, seconds (> 1 s for 10 min). */
  databaseP95Seconds: 1,
  databaseFor: "10m",
  /** Used share of node memory (> 90 % for 5 min). */
  memoryUsedRatio: 0.9,
  memoryFor: "5m",
  /** Hours without a successful backup (25 h). */
  backupMaxAgeHours: 25,
} as const;

/** The `job` matcher for the services the workloads deploy (every job when none are given). */
export function jobSelector(targets: readonly ScrapeTarget[]): string {
  if (targets.length === 0) return 'job=~".+"';
  const names = [...new Set(targets.map((t) => t.name))].sort();
  return `job=~"${names.join("|")}"`;
}

const nodeFilesystems = 'fstype!~"tmpfs|overlay|squashfs|ramfs"';

/**
 * The alert rules of seed 003's table. "Page on-call" is `critical`, "Email team" `warning`;
 * the backup rules exist only where Velero runs, or where the database backs itself up.
 */
export function alertRules(
  targets: readonly ScrapeTarget[],
  backups: boolean,
  databaseBackups = false,
): RuleGroup[] {
  const jobs = jobSelector(targets);
  const t = alertThresholds;
  const serviceRules: Rule[] = [
    {
      alert: "APIDown",
      expr: `up{${jobs}} == 0`,
      // The third failing check fires: pending at the first, held for two more intervals.
      for: `${(failedChecksBeforeDown - 1) * checkIntervalSeconds}s`,
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.job }} is down",
        description: `{{ $labels.job }} in {{ $labels.namespace }} failed ${failedChecksBeforeDown} health checks in a row.`,
      },
    },
    {
      alert: "HighErrorRate",
      expr:
        `sum by (job, namespace) (rate(http_requests_total{${jobs},status=~"5.."}[5m])) / ` +
        `sum by (job, namespace) (rate(http_requests_total{${jobs}}[5m])) > ${t.errorRatio}`,
      for: t.errorFor,
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.job }} answers more than 1 % of requests with 5xx",
        description: "Error ratio {{ $value | humanizePercentage }} over the last 5 minutes.",
      },
    },
    {
      alert: "DatabaseSlow",
      expr:
        "histogram_quantile(0.95, sum by (le, job) " +
        `(rate(db_query_duration_seconds_bucket{${jobs}}[5m]))) > ${t.databaseP95Seconds}`,
      for: t.databaseFor,
      labels: { severity: "warning" },
      annotations: {
        summary: "Database queries of {{ $labels.job }} are slow",
        description: "p95 query time {{ $value | humanizeDuration }} for 10 minutes.",
      },
    },
  ];
  const nodeRules: Rule[] = [
    {
      alert: "DiskSpaceLow",
      expr:
        `(1 - node_filesystem_avail_bytes{${nodeFilesystems}} / ` +
        `node_filesystem_size_bytes{${nodeFilesystems}}) > ${t.diskUsedRatio}`,
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.instance }} {{ $labels.mountpoint }} is more than 85 % full",
        description: "{{ $value | humanizePercentage }} used.",
      },
    },
    {
      alert: "MemoryHigh",
      expr: `(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${t.memoryUsedRatio}`,
      for: t.memoryFor,
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.instance }} uses more than 90 % of its memory",
        description: "{{ $value | humanizePercentage }} used for 5 minutes.",
      },
    },
  ];
  const groups: RuleGroup[] = [
    { name: "platform.services", interval: `${checkIntervalSeconds}s`, rules: serviceRules },
    { name: "platform.nodes", interval: `${checkIntervalSeconds}s`, rules: nodeRules },
  ];
  const backupRules = [
    ...(backups ? [veleroBackupRule] : []),
    ...(databaseBackups ? databaseBackupRules : []),
  ];
  if (backupRules.length > 0) {
    groups.push({ name: "platform.backups", interval: "1m", rules: backupRules });
  }
  return groups;
}

const veleroBackupRule: Rule = {
  alert: "BackupMissing",
  expr:
    "time() - max by (schedule) (velero_backup_last_successful_timestamp" +
    `{schedule!=""}) > ${alertThresholds.backupMaxAgeHours * 3600}`,
  labels: { severity: "critical" },
  annotations: {
    summary: "No successful cluster backup of {{ $labels.schedule }} in 25 hours",
    description: "Check the Velero schedule and its backup storage location.",
  },
};

/**
 * The Barman Cloud plugin's sidecar reports its last available base backup (plugin-barman-cloud
 * v0.13.0, internal/cnpgi/instance/metrics.go), 0 until the first one; the operator's own
 * cnpg_collector_* backup metrics stay at zero once the plugin takes the backups. A zero is not
 * an old backup (the first one is still running), and no series at all means nothing watches.
 */
const lastDatabaseBackup = "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp";
const databaseBackupRules: Rule[] = [
  {
    alert: "DatabaseBackupMissing",
    expr:
      `time() - max by (namespace) (${lastDatabaseBackup} > 0)` +
      ` > ${alertThresholds.backupMaxAgeHours * 3600}`,
    for: "15m",
    labels: { severity: "critical" },
    annotations: {
      summary: "No base backup of the database in {{ $labels.namespace }} in 25 hours",
      description: "Check the ScheduledBackup and the Barman Cloud plugin's ObjectStore.",
    },
  },
  {
    alert: "DatabaseBackupNeverTaken",
    expr: `max by (namespace) (${lastDatabaseBackup}) == 0`,
    for: `${alertThresholds.backupMaxAgeHours}h`,
    labels: { severity: "critical" },
    annotations: {
      summary: "The database in {{ $labels.namespace }} has had no base backup since it started",
      description: "Check the ScheduledBackup and the Barman Cloud plugin's ObjectStore.",
    },
  },
  {
    alert: "DatabaseBackupMetricsAbsent",
    expr: `absent(${lastDatabaseBackup})`,
    for: "1h",
    labels: { severity: "warning" },
    annotations: {
      summary: "Nothing reports the database's backups",
      description:
        "Prometheus scrapes no Barman Cloud plugin metrics: the backup alerts are blind.",
    },
  },
];

/** The PrometheusRule object (without metadata.namespace, which is an Input). */
export function prometheusRuleSpec(
  targets: readonly ScrapeTarget[],
  backups: boolean,
  databaseBackups = false,
): IPrometheusRule["spec"] {
  return { groups: alertRules(targets, backups, databaseBackups) };
}

export function createAlertRules(
  ctx: ObservabilityContext,
  opts: { dependsOn: pulumi.Resource[] },
): k8s.apiextensions.CustomResource {
  const { name, args, parent } = ctx;
  return new k8s.apiextensions.CustomResource(
    `${name}-alert-rules`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "platform-alerts", namespace: args.namespace, labels: args.labels },
      spec: prometheusRuleSpec(
        args.scrapeTargets,
        args.backups !== undefined,
        args.databaseBackups ?? false,
      ),
    },
    { parent, dependsOn: opts.dependsOn },
  );
}
