import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

/** Names of the buckets an AWS Backup selection names by ARN. */
function selectedBuckets(plan: PlannedExample): string[] {
  const resources = at(
    plan.inputs("aws:backup/selection:Selection", "backups-selection"),
    "resources",
  ) as string[];
  return resources.filter((r) => r.startsWith("arn:aws:s3:::")).map((r) => r.slice(13));
}

function versioned(plan: PlannedExample, bucket: string): boolean {
  return plan
    .ofType("aws:s3/bucketVersioning:BucketVersioning")
    .some(
      (v) =>
        at(v.inputs, "bucket") === bucket &&
        at(v.inputs, "versioningConfiguration", "status") === "Enabled",
    );
}

describe("Seed 003 data and edge (examples/corporate-intel, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("corporate-intel", "prod");
  });

  it("tunes Redis as the seed's redis.conf says: maxmemory-policy allkeys-lru, in a redis7 parameter group the cache runs on", () => {
    const group = plan.inputs("aws:elasticache/parameterGroup:ParameterGroup", "cache-params");
    assert.equal(at(group, "family"), "redis7");
    assert.deepEqual(at(group, "parameters"), [{ name: "maxmemory-policy", value: "allkeys-lru" }]);
    const redis = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.equal(at(redis, "parameterGroupName"), at(group, "name"));
  });

  it("alarms on the stack's alarm topic when no AWS Backup job completed in 32 hours (daily jobs complete up to 31 h apart), or one failed", () => {
    const vault = at(plan.inputs("aws:backup/vault:Vault", "backups-vault"), "name");
    const topic = plan.ofType("aws:sns/topic:Topic").find((t) => t.name === "observability-alarms");
    assert.ok(topic, "no alarm topic");
    const missing = plan.inputs(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "observability-backup-0-missing",
    );
    assert.deepEqual(at(missing, "dimensions"), { BackupVaultName: vault });
    assert.equal(at(missing, "metricName"), "NumberOfBackupJobsCompleted");
    assert.equal(
      (at(missing, "period") as number) * (at(missing, "evaluationPeriods") as number),
      32 * 3600,
    );
    assert.equal(at(missing, "treatMissingData"), "breaching");
    assert.deepEqual(at(missing, "alarmActions"), [at(topic, "outputs", "arn")]);
    const failed = plan.inputs(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "observability-backup-0-failed",
    );
    assert.equal(at(failed, "metricName"), "NumberOfBackupJobsFailed");
    assert.deepEqual(at(failed, "alarmActions"), [at(topic, "outputs", "arn")]);
  });

  it("backs up the documents bucket with AWS Backup, versioned as AWS Backup requires", () => {
    const buckets = selectedBuckets(plan);
    assert.ok(
      buckets.some((b) => b.startsWith("objects-documents-")),
      buckets.join(", "),
    );
    for (const bucket of buckets) assert.ok(versioned(plan, bucket), `${bucket} is not versioned`);
  });

  it("offers only modern TLS 1.2 cipher suites at the edge, with TLS 1.3 on and nothing below 1.2", () => {
    const setting = (name: string) =>
      at(plan.inputs("cloudflare:index/zoneSetting:ZoneSetting", `edge-${name}`), "value");
    assert.deepEqual(setting("ciphers"), [
      "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-CHACHA20-POLY1305",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",
    ]);
    assert.equal(setting("min-tls-version"), "1.2");
    assert.equal(setting("tls-1-3"), "on");
  });

  it("keeps the edge's HTTP access logs 365 days in their own encrypted log group, out of the 90-day container logs", () => {
    const access = plan
      .ofType("aws:cloudwatch/logGroup:LogGroup")
      .find((g) => g.name === "observability-access-logs");
    assert.ok(access, "no access log group");
    assert.equal(at(access.inputs, "name"), "/platform/corporate-intel-prod/access");
    assert.equal(at(access.inputs, "retentionInDays"), 365);
    assert.match(String(at(access.inputs, "kmsKeyId")), /^arn:aws:kms:/);
    assert.equal(access.protect, true);
    const containers = plan.inputs("aws:cloudwatch/logGroup:LogGroup", "observability-logs");
    assert.equal(at(containers, "retentionInDays"), 90);
    const fluent = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-logging");
    assert.match(
      String(at(fluent, "values", "config", "filters")),
      /Rule \$kubernetes\['namespace_name'\] \^ingress-nginx\$ access\.\$TAG false/,
    );
    assert.match(
      String(at(fluent, "values", "config", "outputs")),
      /Match access\.\*\n.*\n {4}log_group_name \/platform\/corporate-intel-prod\/access/,
    );
  });
});
