import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ObservabilityContext } from "./index";

/**
 * Hours without a completed backup job before on-call hears of it. Seed 003 says "no backup in
 * 25h", but a daily job's completion moves with its start window (60 min) and its completion
 * window (360 min), so two normal completions can be up to 31 h apart; 32 hours still means
 * "none in over a day" without that false alarm. Hourly periods (not 2 x 86400 s) keep the
 * alarm within 32 h of the last completion.
 */
export const backupMissingHours = 32;

/**
 * Two CloudWatch alarms per AWS Backup vault, into the alarm topic:
 * - `missing`: no backup job completed into the vault in any of the last 32 hours. AWS Backup
 *   publishes `NumberOfBackupJobsCompleted` only for hours with jobs, so an hour without data
 *   counts as breaching: a plan that stopped running, or lost its selection, alarms too.
 * - `failed`: a backup job into the vault failed within the hour.
 * The topic's key lets CloudWatch encrypt to it (`CloudWatchPublishesAlarms`).
 */
export function createBackupAlarms(
  ctx: ObservabilityContext,
  vaultNames: pulumi.Input<string>[],
  topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm[] {
  const { name, args, parent } = ctx;
  return vaultNames.flatMap((vault, i) => {
    const common = {
      namespace: "AWS/Backup",
      dimensions: { BackupVaultName: vault },
      statistic: "Sum",
      period: 3600,
      alarmActions: [topicArn],
      okActions: [topicArn],
      tags: args.tags,
    };
    return [
      new aws.cloudwatch.MetricAlarm(
        `${name}-backup-${i}-missing`,
        {
          ...common,
          alarmDescription: `No backup completed in ${backupMissingHours} hours`,
          metricName: "NumberOfBackupJobsCompleted",
          evaluationPeriods: backupMissingHours,
          datapointsToAlarm: backupMissingHours,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
        },
        { parent },
      ),
      new aws.cloudwatch.MetricAlarm(
        `${name}-backup-${i}-failed`,
        {
          ...common,
          alarmDescription: "A backup job failed",
          metricName: "NumberOfBackupJobsFailed",
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
        },
        { parent },
      ),
    ];
  });
}
