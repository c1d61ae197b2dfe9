import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createBackupAlarms } from "./backup-alarms-aws";
import {
  managedAlarmDefaults,
  type ManagedAlarmThresholds,
  type ObservabilityContext,
} from "./index";

const gib = 1024 * 1024 * 1024;

/** One CloudWatch alarm, before it is bound to a resource id. */
export interface AlarmSpec {
  readonly role: string;
  readonly namespace: "AWS/RDS" | "AWS/ElastiCache";
  readonly metricName: string;
  readonly dimension: "DBInstanceIdentifier" | "CacheClusterId";
  readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
  readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly description: string;
}

/** Alarms per RDS primary, RDS replica and ElastiCache node, from the tier's thresholds. */
export function alarmSpecs(t: ManagedAlarmThresholds): {
  rds: AlarmSpec[];
  rdsReplica: AlarmSpec[];
  cache: AlarmSpec[];
} {
  const rds = (s: Omit<AlarmSpec, "namespace" | "dimension">): AlarmSpec => ({
    ...s,
    namespace: "AWS/RDS",
    dimension: "DBInstanceIdentifier",
  });
  const cache = (s: Omit<AlarmSpec, "namespace" | "dimension">): AlarmSpec => ({
    ...s,
    namespace: "AWS/ElastiCache",
    dimension: "CacheClusterId",
  });
  return {
    rds: [
      rds({
        role: "cpu",
        metricName: "CPUUtilization",
        comparisonOperator: "GreaterThanThreshold",
        statistic: "Average",
        threshold: t.rdsCpuPercent,
        evaluationPeriods: 3,
        description: `Database CPU above ${t.rdsCpuPercent} % for 15 minutes`,
      }),
      rds({
        role: "free-storage",
        metricName: "FreeStorageSpace",
        comparisonOperator: "LessThanThreshold",
        statistic: "Minimum",
        threshold: t.rdsFreeStorageGb * gib,
        evaluationPeriods: 1,
        description: `Database free storage below ${t.rdsFreeStorageGb} GiB`,
      }),
    ],
    rdsReplica: [
      rds({
        role: "replica-lag",
        metricName: "ReplicaLag",
        comparisonOperator: "GreaterThanThreshold",
        statistic: "Maximum",
        threshold: t.rdsReplicaLagSeconds,
        evaluationPeriods: 2,
        description: `Read replica more than ${t.rdsReplicaLagSeconds} s behind`,
      }),
    ],
    cache: [
      cache({
        role: "cpu",
        metricName: "EngineCPUUtilization",
        comparisonOperator: "GreaterThanThreshold",
        statistic: "Average",
        threshold: t.cacheCpuPercent,
        evaluationPeriods: 3,
        description: `Redis engine CPU above ${t.cacheCpuPercent} % for 15 minutes`,
      }),
      cache({
        role: "evictions",
        metricName: "Evictions",
        comparisonOperator: "GreaterThanThreshold",
        statistic: "Sum",
        threshold: t.cacheEvictions,
        evaluationPeriods: 1,
        description: `More than ${t.cacheEvictions} keys evicted in 5 minutes`,
      }),
      cache({
        role: "memory",
        metricName: "DatabaseMemoryUsagePercentage",
        comparisonOperator: "GreaterThanThreshold",
        statistic: "Average",
        threshold: t.cacheMemoryPercent,
        evaluationPeriods: 3,
        description: `Redis memory above ${t.cacheMemoryPercent} % for 15 minutes`,
      }),
    ],
  };
}

/**
 * CloudWatch alarms on the managed database and cache, into one KMS-encrypted SNS topic
 * that mails the team and, with a PagerDuty CloudWatch integration key, pages on-call.
 */
export function createManagedAlarmsAws(ctx: ObservabilityContext): {
  topicArn: pulumi.Output<string>;
} {
  const { name, args, parent } = ctx;
  const thresholds = { ...managedAlarmDefaults[args.tier], ...args.alarmThresholds };
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const policy = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          sid: "AccountAdministers",
          principals: [
            {
              type: "AWS",
              identifiers: [pulumi.interpolate`arn:aws:iam::${identity.accountId}:root`],
            },
          ],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchPublishesAlarms",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
        },
      ],
    },
    { parent },
  );
  const key = new aws.kms.Key(
    `${name}-alarms-key`,
    {
      description: `Encrypts the alarm notifications of ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
      tags: args.tags,
    },
    { parent },
  );
  const topic = new aws.sns.Topic(
    `${name}-alarms`,
    { name: `${args.clusterName}-alarms`, kmsMasterKeyId: key.arn, tags: args.tags },
    { parent },
  );
  const r = args.receivers;
  if (r.emailTo !== undefined) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-email`,
      { topic: topic.arn, protocol: "email", endpoint: r.emailTo },
      { parent },
    );
  }
  if (r.pagerdutyCloudwatchKey !== undefined) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-pagerduty`,
      {
        topic: topic.arn,
        protocol: "https",
        endpoint: pulumi.secret(
          pulumi.interpolate`https://events.pagerduty.com/integration/${r.pagerdutyCloudwatchKey}/enqueue`,
        ),
        endpointAutoConfirms: true,
      },
      { parent },
    );
  }

  const specs = alarmSpecs(thresholds);
  const data = args.managedData;
  const bind = (role: string, ids: pulumi.Input<string>[], list: AlarmSpec[]) =>
    ids.forEach((id, i) =>
      list.forEach(
        (s) =>
          new aws.cloudwatch.MetricAlarm(
            `${name}-${role}-${i}-${s.role}`,
            {
              alarmDescription: s.description,
              namespace: s.namespace,
              metricName: s.metricName,
              dimensions: { [s.dimension]: id },
              statistic: s.statistic,
              period: 300,
              evaluationPeriods: s.evaluationPeriods,
              threshold: s.threshold,
              comparisonOperator: s.comparisonOperator,
              treatMissingData: "missing",
              alarmActions: [topic.arn],
              okActions: [topic.arn],
              tags: args.tags,
            },
            { parent },
          ),
      ),
    );
  bind("rds", data?.databaseInstanceIds ?? [], specs.rds);
  bind("rds-replica", data?.databaseReplicaIds ?? [], specs.rdsReplica);
  bind("cache", data?.cacheNodeIds ?? [], specs.cache);
  createBackupAlarms(ctx, data?.backupVaultNames ?? [], topic.arn);
  return { topicArn: topic.arn };
}
