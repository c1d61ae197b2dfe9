import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ObservabilityContext } from "./index";

/** Hours without a completed backup job before on-call hears of it (seed 003: "no backup in 25h"). */
export const backupMissingHours = 25;

/**
 * Two CloudWatch alarms per AWS Backup vault, into the alarm topic:
 * - `missing`: no backup job completed into the vault in any of the last 25 hours. AWS Backup
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
