import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../gcp/labels";
import { alertThresholds } from "./alert-rules";
import { alarmSpecs, type AlarmSpec } from "./managed-alarms-aws";
import { managedAlarmDefaults, type ObservabilityContext } from "./index";
import { ComponentError } from "../errors";

/** Width of one evaluation window, as CloudWatch's alarm period. */
export const alignmentPeriodSeconds = 300;

/** One Cloud Monitoring threshold condition, before it is bound to a monitored resource. */
export interface PolicySpec {
  readonly role: string;
  /** Monitored resource type: `cloudsql_database` or `redis_instance`. */
  readonly resourceType: "cloudsql_database" | "redis_instance";
  /** Resource label the instance is selected by. */
  readonly resourceLabel: "database_id" | "instance_id";
  readonly metricType: string;
  readonly perSeriesAligner: "ALIGN_MEAN" | "ALIGN_MAX" | "ALIGN_DELTA" | "ALIGN_RATE";
  /** Sums the series of one node (CPU user + system space). */
  readonly crossSeries?: { readonly reducer: "REDUCE_SUM"; readonly groupBy: readonly string[] };
  readonly comparison: "COMPARISON_GT";
  readonly thresholdValue: number;
  /** How long the condition holds before the policy fires, seconds. */
  readonly durationSeconds: number;
  readonly description: string;
}

/**
 * The AWS alarm table read for Cloud Monitoring: the same thresholds and durations (an AWS
 * alarm of N periods of 5 min holds N × 300 s), percentages as the 0-1 ratios GCP reports.
 * Cloud SQL reports no free-bytes gauge: its disk condition is the used share of the disk
 * (seed 003's 85 %) for as long as the free-storage alarm waits.
 */
export function policySpecs(aws: ReturnType<typeof alarmSpecs>): {
  sql: PolicySpec[];
  sqlReplica: PolicySpec[];
  redis: PolicySpec[];
} {
  const find = (list: AlarmSpec[], role: string): AlarmSpec => {
    const spec = list.find((s) => s.role === role);
    if (!spec) {
      throw new ComponentError("policySpecs", JSON.stringify(role), [
        `no AWS alarm with role "${role}" to mirror`,
      ]);
    }
    return spec;
  };
  const seconds = (s: AlarmSpec) => s.evaluationPeriods * alignmentPeriodSeconds;
  const sql = (s: Omit<PolicySpec, "resourceType" | "resourceLabel" | "comparison">) => ({
    ...s,
    resourceType: "cloudsql_database" as const,
    resourceLabel: "database_id" as const,
    comparison: "COMPARISON_GT" as const,
  });
  const redis = (s: Omit<PolicySpec, "resourceType" | "resourceLabel" | "comparison">) => ({
    ...s,
    resourceType: "redis_instance" as const,
    resourceLabel: "instance_id" as const,
    comparison: "COMPARISON_GT" as const,
  });
  const cpu = find(aws.rds, "cpu");
  const storage = find(aws.rds, "free-storage");
  const lag = find(aws.rdsReplica, "replica-lag");
  const cacheCpu = find(aws.cache, "cpu");
  const evictions = find(aws.cache, "evictions");
  const memory = find(aws.cache, "memory");
  const percent = (ratio: number) => Math.round(ratio * 100);
  return {
    sql: [
      sql({
        role: "cpu",
        metricType: "cloudsql.googleapis.com/database/cpu/utilization",
        perSeriesAligner: "ALIGN_MEAN",
        thresholdValue: cpu.threshold / 100,
        durationSeconds: seconds(cpu),
        description: cpu.description,
      }),
      sql({
        role: "disk",
        metricType: "cloudsql.googleapis.com/database/disk/utilization",
        perSeriesAligner: "ALIGN_MAX",
        thresholdValue: alertThresholds.diskUsedRatio,
        durationSeconds: seconds(storage),
        description: `Database disk more than ${percent(alertThresholds.diskUsedRatio)} % full`,
      }),
    ],
    sqlReplica: [
      sql({
        role: "replica-lag",
        metricType: "cloudsql.googleapis.com/database/replication/replica_lag",
        perSeriesAligner: "ALIGN_MAX",
        thresholdValue: lag.threshold,
        durationSeconds: seconds(lag),
        description: lag.description,
      }),
    ],
    redis: [
      redis({
        role: "cpu",
        metricType: "redis.googleapis.com/stats/cpu_utilization_main_thread",
        perSeriesAligner: "ALIGN_RATE",
        crossSeries: { reducer: "REDUCE_SUM", groupBy: ["resource.label.node_id"] },
        thresholdValue: cacheCpu.threshold / 100,
        durationSeconds: seconds(cacheCpu),
        description: cacheCpu.description,
      }),
      redis({
        role: "evictions",
        metricType: "redis.googleapis.com/stats/evicted_keys",
        perSeriesAligner: "ALIGN_DELTA",
        thresholdValue: evictions.threshold,
        durationSeconds: seconds(evictions),
        description: evictions.description,
      }),
      redis({
        role: "memory",
        metricType: "redis.googleapis.com/stats/memory/usage_ratio",
        perSeriesAligner: "ALIGN_MEAN",
        thresholdValue: memory.threshold / 100,
        durationSeconds: seconds(memory),
        description: memory.description,
      }),
    ],
  };
}

/** The Cloud Monitoring filter of one condition on one instance. */
export function policyFilter(spec: PolicySpec, id: string): string {
  return (
    `resource.type = "${spec.resourceType}" AND ` +
    `resource.label.${spec.resourceLabel} = "${id}" AND ` +
    `metric.type = "${spec.metricType}"`
  );
}

/**
 * Cloud Monitoring alert policies on Cloud SQL and Memorystore, with the AWS alarms'
 * thresholds, paging on-call through a PagerDuty notification channel when the Events v2 key
 * `receivers.pagerdutyKey` (a secret) is set and mailing the team when an address is; at
 * least one of the two is required.
 */
export function createManagedAlarmsGcp(ctx: ObservabilityContext): {
  notificationChannels: pulumi.Output<string>[];
} {
  const { name, args, parent } = ctx;
  const project = args.gcpProject!;
  const r = args.receivers;
  const userLabels = gcpLabels(args.tags);
  const thresholds = { ...managedAlarmDefaults[args.tier], ...args.alarmThresholds };

  const channels: pulumi.Output<string>[] = [];
  if (r.pagerdutyKey !== undefined) {
    const pagerduty = new gcp.monitoring.NotificationChannel(
      `${name}-alarms-pagerduty`,
      {
        project,
        displayName: `${args.clusterName} on-call (PagerDuty)`,
        type: "pagerduty",
        sensitiveLabels: { serviceKey: pulumi.secret(r.pagerdutyKey) },
        userLabels,
        enabled: true,
      },
      { parent },
    );
    channels.push(pagerduty.name);
  }
  if (r.emailTo !== undefined) {
    const email = new gcp.monitoring.NotificationChannel(
      `${name}-alarms-email`,
      {
        project,
        displayName: `${args.clusterName} team (email)`,
        type: "email",
        labels: { email_address: r.emailTo },
        userLabels,
        enabled: true,
      },
      { parent },
    );
    channels.push(email.name);
  }

  const specs = policySpecs(alarmSpecs(thresholds));
  const data = args.managedData;
  const bind = (role: string, ids: pulumi.Input<string>[], list: PolicySpec[]) =>
    ids.forEach((id, i) =>
      list.forEach(
        (s) =>
          new gcp.monitoring.AlertPolicy(
            `${name}-${role}-${i}-${s.role}`,
            {
              project,
              displayName: pulumi.interpolate`${args.clusterName} ${role} ${s.role} (${id})`,
              combiner: "OR",
              severity: "CRITICAL",
              conditions: [
                {
                  displayName: s.description,
                  conditionThreshold: {
                    filter: pulumi.output(id).apply((v) => policyFilter(s, v)),
                    comparison: s.comparison,
                    thresholdValue: s.thresholdValue,
                    duration: `${s.durationSeconds}s`,
                    aggregations: [
                      {
                        alignmentPeriod: `${alignmentPeriodSeconds}s`,
                        perSeriesAligner: s.perSeriesAligner,
                        ...(s.crossSeries && {
                          crossSeriesReducer: s.crossSeries.reducer,
                          groupByFields: [...s.crossSeries.groupBy],
                        }),
                      },
                    ],
                    trigger: { count: 1 },
                    evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
                  },
                },
              ],
              documentation: { content: s.description, mimeType: "text/markdown" },
              notificationChannels: channels,
              alertStrategy: { autoClose: "604800s" },
              userLabels,
            },
            { parent },
          ),
      ),
    );
  bind("sql", data?.databaseInstanceIds ?? [], specs.sql);
  bind("sql-replica", data?.databaseReplicaIds ?? [], specs.sqlReplica);
  bind("redis", data?.cacheNodeIds ?? [], specs.redis);
  return { notificationChannels: channels };
}
