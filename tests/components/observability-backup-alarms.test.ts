import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Observability, type ObservabilityArgs } from "../../components/observability";
import { settle, useMocks, type Recorded } from "../support/mocks";

const alarm = "aws:cloudwatch/metricAlarm:MetricAlarm";
const issuer = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";

function args(backupVaultNames?: string[]): ObservabilityArgs {
  return {
    target: "aws",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    region: "us-east-1",
    scrapeTargets: [],
    receivers: {
      pagerdutyCloudwatchKey: pulumi.secret("pd-cloudwatch-key-fedcba9876543210"),
      emailTo: "team@example.com",
    },
    clusterIdentity: {
      oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${issuer}`,
      oidcIssuer: issuer,
    },
    managedData: {
      databaseInstanceIds: ["platform-prod-db"],
      databaseReplicaIds: [],
      cacheNodeIds: [],
      ...(backupVaultNames && { backupVaultNames }),
    },
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: { project: "platform", tier: "prod" },
  };
}

describe("Observability on aws: the missing-backup alarms on the AWS Backup vault", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Observability("observability", args(["platform-prod-backups"]));
    await settle();
  });
  const inputs = (name: string) => recorded.inputs(recorded.one(alarm, name));
  const topicArn = () =>
    recorded.one("aws:sns/topic:Topic", "observability-alarms").outputs.arn as string;

  it("alarms when no backup job completed into the vault for 32 hours, so daily jobs up to 31 h apart stay quiet, silence counting as missing", () => {
    const missing = inputs("observability-backup-0-missing");
    assert.deepEqual(
      [
        missing.namespace,
        missing.metricName,
        missing.dimensions,
        missing.statistic,
        missing.period,
        missing.evaluationPeriods,
        missing.datapointsToAlarm,
        missing.threshold,
        missing.comparisonOperator,
        missing.treatMissingData,
      ],
      [
        "AWS/Backup",
        "NumberOfBackupJobsCompleted",
        { BackupVaultName: "platform-prod-backups" },
        "Sum",
        3600,
        32,
        32,
        1,
        "LessThanThreshold",
        "breaching",
      ],
    );
  });

  it("alarms on any failed backup job within the hour", () => {
    const failed = inputs("observability-backup-0-failed");
    assert.equal(failed.metricName, "NumberOfBackupJobsFailed");
    assert.deepEqual(failed.dimensions, { BackupVaultName: "platform-prod-backups" });
    assert.equal(failed.threshold, 1);
    assert.equal(failed.comparisonOperator, "GreaterThanOrEqualToThreshold");
  });

  it("notifies the stack's alarm topic, whose key lets CloudWatch publish", () => {
    for (const name of ["observability-backup-0-missing", "observability-backup-0-failed"]) {
      assert.deepEqual(inputs(name).alarmActions, [topicArn()]);
      assert.deepEqual(inputs(name).okActions, [topicArn()]);
    }
    const topic = recorded.inputs(recorded.one("aws:sns/topic:Topic", "observability-alarms"));
    const key = recorded.one("aws:kms/key:Key", "observability-alarms-key");
    assert.equal(topic.kmsMasterKeyId, key.outputs.arn);
    const policy = JSON.parse(recorded.inputs(key).policy as string) as {
      Statement: { Sid: string; Principal: unknown; Action: unknown }[];
    };
    const cloudwatch = policy.Statement.find((s) => s.Sid === "CloudWatchPublishesAlarms");
    assert.deepEqual(cloudwatch?.Principal, { Service: "cloudwatch.amazonaws.com" });
    assert.deepEqual(cloudwatch?.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
  });
});

describe("Observability on aws without a backup vault", () => {
  it("builds no backup alarm", async () => {
    const recorded = useMocks();
    new Observability("observability", args());
    await settle();
    assert.deepEqual(
      recorded.ofType(alarm).filter((a) => a.name.includes("backup")),
      [],
    );
  });
});
