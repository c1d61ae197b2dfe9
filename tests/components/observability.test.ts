import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  Observability,
  type ObservabilityArgs,
  type ScrapeTarget,
} from "../../components/observability";
import { metricsTargets } from "../../components/ingress";
import { charts, exporterSslMode } from "../../components/observability/prometheus-stack";
import { loggingChart } from "../../components/observability/logging";
import {
  collectorPodLabels,
  otlpPorts,
  tracingChart,
} from "../../components/observability/tracing";
import { tracesEgress } from "../../components/workloads/network-policy";
import { veleroChart } from "../../components/observability/velero";
import { containerLimitDefaults, quotaDefaults } from "../../components/workloads";
import { toDisplay } from "../../tools/plan/values";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

const release = "kubernetes:helm.sh/v3:Release";
const customResource = (kind: string) => `kubernetes:monitoring.coreos.com/v1:${kind}`;

const plain = {
  pagerdutyKey: "pd-routing-key-0123456789abcdef",
  pagerdutyCloudwatchKey: "pd-cloudwatch-key-fedcba9876543210",
  slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
  emailPassword: "smtp-password-5f4dcc3b5aa765d6",
};

const issuer = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const providerArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;

/** The trust policy of a role that exactly one service account may assume. */
function trustedBy(subject: string): Values {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" },
        },
      },
    ],
  };
}

const targets: ScrapeTarget[] = [
  { name: "api", namespace: "production", port: "http", path: "/metrics" },
  { name: "websocket", namespace: "production", port: "metrics", path: "" },
  { name: "worker", namespace: "production", port: "metrics", path: "/internal/metrics" },
];

function args(overrides: Partial<ObservabilityArgs> = {}): ObservabilityArgs {
  return {
    target: "aws",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    region: "us-east-1",
    scrapeTargets: targets,
    receivers: {
      pagerdutyKey: pulumi.secret(plain.pagerdutyKey),
      pagerdutyCloudwatchKey: pulumi.secret(plain.pagerdutyCloudwatchKey),
      slackWebhookUrl: pulumi.secret(plain.slackWebhookUrl),
      slackChannel: "#platform-alerts",
      emailTo: "team@example.com",
      emailFrom: "alerts@example.com",
      emailSmarthost: "smtp.example.com:587",
      emailUsername: "alerts",
      emailPassword: pulumi.secret(plain.emailPassword),
    },
    clusterIdentity: { oidcProviderArn: providerArn, oidcIssuer: issuer },
    backups: { bucket: "platform-prod-backups" },
    managedData: {
      databaseInstanceIds: ["platform-prod-db"],
      databaseReplicaIds: ["platform-prod-db-analytics"],
      cacheNodeIds: ["platform-prod-cache-001", "platform-prod-cache-002"],
    },
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: { project: "platform", tier: "prod" },
    ...overrides,
  };
}

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** CPU in millicores or memory in MiB, from a Kubernetes quantity. */
function amount(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|Mi|Gi)?$/.exec(quantity);
  assert.ok(m, `unexpected quantity ${quantity}`);
  const n = Number(m[1]);
  return { m: n, Mi: n, Gi: n * 1024, "": n * 1000 }[m[2] ?? ""]!;
}

function valuesOf(recorded: Recorded, name: string): Values {
  return recorded.inputs(recorded.one(release, name)).values as Values;
}

describe("Observability on aws in prod", () => {
  let recorded: Recorded;
  let component: Observability;
  before(async () => {
    recorded = useMocks();
    component = new Observability("observability", args());
    await settle();
  });

  it("installs every chart at a pinned version from its repository", () => {
    const expected: Record<string, { chart: string; version: string; repo: string }> = {
      "observability-prometheus-stack": charts.prometheusStack,
      "observability-tracing": tracingChart,
      "observability-logging": loggingChart,
      "observability-velero": veleroChart,
    };
    const releases = recorded.ofType(release);
    assert.deepEqual(releases.map((r) => r.name).sort(), Object.keys(expected).sort());
    for (const r of releases) {
      const inputs = recorded.inputs(r);
      const want = expected[r.name]!;
      assert.equal(inputs.chart, want.chart, r.name);
      assert.match(String(inputs.version), /^\d+\.\d+\.\d+$/, `${r.name} pins an exact version`);
      assert.equal(inputs.version, want.version, r.name);
      assert.deepEqual(inputs.repositoryOpts, { repo: want.repo }, r.name);
    }
    assert.equal(charts.prometheusStack.version, "65.1.1");
    assert.equal(tracingChart.version, "3.4.1");
    assert.equal(loggingChart.version, "0.47.10");
    assert.equal(veleroChart.version, "12.1.0");
  });

  it("installs into the given monitoring namespace, node agents into kube-system", () => {
    const ns = Object.fromEntries(
      recorded.ofType(release).map((r) => [r.name, recorded.inputs(r).namespace]),
    );
    assert.deepEqual(ns, {
      "observability-prometheus-stack": "monitoring",
      "observability-tracing": "monitoring",
      "observability-velero": "monitoring",
      "observability-logging": "kube-system",
    });
    const stack = valuesOf(recorded, "observability-prometheus-stack");
    assert.equal(stack["prometheus-node-exporter"].namespaceOverride, "kube-system");
    assert.equal(recorded.ofType("kubernetes:core/v1:Namespace").length, 0);
  });

  it("runs Prometheus and Alertmanager highly available with the prod retention", () => {
    const spec = valuesOf(recorded, "observability-prometheus-stack").prometheus.prometheusSpec;
    assert.equal(spec.replicas, 2);
    assert.equal(spec.retention, "15d");
    assert.equal(spec.scrapeInterval, "15s");
    assert.deepEqual(spec.resources, {
      requests: { cpu: "1000m", memory: "2048Mi" },
      limits: { cpu: "2", memory: "4Gi" },
    });
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "50Gi");
    assert.equal(spec.serviceMonitorSelectorNilUsesHelmValues, false);
    assert.equal(spec.ruleSelectorNilUsesHelmValues, false);
    const am = valuesOf(recorded, "observability-prometheus-stack").alertmanager.alertmanagerSpec;
    assert.equal(am.replicas, 3);
    assert.equal(am.useExistingSecret, true);
    assert.equal(am.configSecret, "alertmanager-platform-config");
  });

  it("gives Grafana a generated admin password through an existing Secret", () => {
    const grafana = valuesOf(recorded, "observability-prometheus-stack").grafana;
    assert.deepEqual(grafana.admin, {
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    const secret = recorded.one("kubernetes:core/v1:Secret", "observability-grafana-admin");
    assert.equal(toDisplay(secret.inputs.stringData), "[secret]");
    assert.equal((recorded.inputs(secret).stringData as Values)["admin-user"], "admin");
    const password = recorded.one("random:index/randomPassword:RandomPassword");
    assert.equal(recorded.inputs(password).length, 32);
    assert.ok(!("adminPassword" in grafana));
  });

  it("gives every scrape target a ServiceMonitor on its port and path", () => {
    const monitors = recorded.ofType(customResource("ServiceMonitor"));
    assert.equal(monitors.length, targets.length);
    for (const t of targets) {
      const m = recorded.inputs(
        recorded.one(
          customResource("ServiceMonitor"),
          `observability-scrape-${t.namespace}-${t.name}`,
        ),
      ) as Values;
      assert.equal(m.metadata.namespace, "monitoring");
      assert.deepEqual(m.spec.namespaceSelector, { matchNames: [t.namespace] });
      assert.deepEqual(m.spec.selector, { matchLabels: { "app.kubernetes.io/name": t.name } });
      assert.equal(m.spec.endpoints[0].port, t.port);
      assert.equal(m.spec.endpoints[0].path, t.path === "" ? "/metrics" : t.path);
      assert.equal(m.spec.endpoints[0].interval, "15s");
    }
  });

  it("keeps every receiver credential secret in every recorded input", () => {
    const everything = JSON.stringify(recorded.all.map((r) => toDisplay(r.inputs)));
    for (const [key, value] of Object.entries(plain)) {
      assert.ok(!everything.includes(value), `${key} appears in plain text`);
    }
    const config = recorded.one("kubernetes:core/v1:Secret", "observability-alertmanager-config");
    assert.equal(toDisplay(config.inputs.stringData), "[secret]");
  });

  it("routes critical alerts to PagerDuty and mail, warnings to mail and Slack", () => {
    const config = recorded.one("kubernetes:core/v1:Secret", "observability-alertmanager-config");
    const stringData = recorded.inputs(config).stringData as Record<string, string>;
    const am = parse(stringData["alertmanager.yaml"]!) as Values;
    const receiver = (name: string) => am.receivers.find((r: Values) => r.name === name);
    assert.equal(receiver("critical").pagerduty_configs[0].routing_key, plain.pagerdutyKey);
    assert.equal(receiver("critical").email_configs[0].to, "team@example.com");
    assert.equal(receiver("warning").slack_configs[0].api_url, plain.slackWebhookUrl);
    assert.equal(receiver("warning").email_configs[0].auth_password, plain.emailPassword);
    assert.equal(receiver("info").slack_configs[0].channel, "#platform-alerts");
  });

  it("ships logs to a KMS-encrypted CloudWatch log group kept 90 days, through IRSA", () => {
    const group = recorded.one("aws:cloudwatch/logGroup:LogGroup", "observability-logs");
    const inputs = recorded.inputs(group);
    assert.equal(inputs.name, "/platform/platform-prod/containers");
    assert.equal(inputs.retentionInDays, 90);
    assert.match(String(inputs.kmsKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//);
    assert.equal(group.protect, true);
    const key = recorded.inputs(recorded.one("aws:kms/key:Key", "observability-logs-key"));
    assert.equal(key.enableKeyRotation, true);
    const policy = JSON.parse(String(key.policy)) as Values;
    assert.equal(policy.Statement[1].Principal.Service, "logs.us-east-1.amazonaws.com");
    const fluent = valuesOf(recorded, "observability-logging");
    assert.equal(fluent.serviceAccount.name, "fluent-bit");
    assert.deepEqual(Object.keys(fluent.serviceAccount.annotations), [
      "eks.amazonaws.com/role-arn",
    ]);
    assert.match(
      fluent.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
      /^arn:aws:iam::123456789012:role\/observability-logging-role-[0-9a-f]{7}$/,
    );
    assert.match(fluent.config.outputs, /Name cloudwatch_logs/);
    assert.match(fluent.config.outputs, /log_group_name \/platform\/platform-prod\/containers/);
    assert.match(fluent.config.outputs, /region us-east-1/);
  });

  it("backs up production and staging daily at 02:00, kept 72 h, to the bucket via IRSA", () => {
    const velero = valuesOf(recorded, "observability-velero");
    assert.deepEqual(velero.schedules.daily.schedule, "0 2 * * *");
    assert.equal(velero.schedules.daily.template.ttl, "72h0m0s");
    assert.deepEqual(velero.schedules.daily.template.includedNamespaces, ["production", "staging"]);
    assert.deepEqual(velero.configuration.backupStorageLocation[0], {
      name: "default",
      provider: "aws",
      bucket: "platform-prod-backups",
      prefix: "k8s-backups",
      default: true,
      config: { region: "us-east-1" },
    });
    assert.equal(velero.serviceAccount.server.name, "velero");
    assert.match(
      velero.serviceAccount.server.annotations["eks.amazonaws.com/role-arn"],
      /^arn:aws:iam::123456789012:role\/observability-velero-role-[0-9a-f]{7}$/,
    );
    assert.deepEqual(velero.credentials, { useSecret: false });
    assert.equal(velero.initContainers[0].image, "velero/velero-plugin-for-aws:v1.14.2");
    assert.equal(velero.metrics.serviceMonitor.enabled, true);
  });

  it("builds exactly two IAM roles, each with one inline policy", () => {
    assert.deepEqual(
      recorded.ofType("aws:iam/role:Role").map((r) => r.name),
      ["observability-logging-role", "observability-velero-role"],
    );
    assert.deepEqual(
      recorded
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .map((r) => r.name)
        .sort(),
      ["observability-logging-policy", "observability-velero-policy"],
    );
    assert.deepEqual(recorded.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
  });

  it("lets only the fluent-bit service account of kube-system assume the log role", () => {
    const role = recorded.inputs(recorded.one("aws:iam/role:Role", "observability-logging-role"));
    assert.deepEqual(
      JSON.parse(String(role.assumeRolePolicy)),
      trustedBy("system:serviceaccount:kube-system:fluent-bit"),
    );
    assert.deepEqual(role.tags, { project: "platform", tier: "prod" });
  });

  it("lets Fluent Bit write streams and events of its own log groups only (containers, access)", () => {
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "observability-logging-policy"),
    );
    assert.match(String(policy.role), /^observability-logging-role-[0-9a-f]+$/);
    const group =
      "arn:aws:logs:us-east-1:123456789012:log-group:/platform/platform-prod/containers";
    const access = "arn:aws:logs:us-east-1:123456789012:log-group:/platform/platform-prod/access";
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteOwnLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          Resource: [group, `${group}:log-stream:*`, access, `${access}:log-stream:*`],
        },
      ],
    });
  });

  it("lets only the velero service account of the monitoring namespace assume the backup role", () => {
    const role = recorded.inputs(recorded.one("aws:iam/role:Role", "observability-velero-role"));
    assert.deepEqual(
      JSON.parse(String(role.assumeRolePolicy)),
      trustedBy("system:serviceaccount:monitoring:velero"),
    );
  });

  it("lets Velero touch k8s-backups/ of the backups bucket only, and its own EBS snapshots", () => {
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "observability-velero-policy"),
    );
    const bucket = "arn:aws:s3:::platform-prod-backups";
    const volumes = "arn:aws:ec2:us-east-1:123456789012:volume/*";
    const snapshots = "arn:aws:ec2:us-east-1::snapshot/*";
    const viaEc2 = { "kms:ViaService": "ec2.us-east-1.amazonaws.com" };
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListOwnPrefix",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [bucket],
          Condition: { StringLike: { "s3:prefix": ["k8s-backups/", "k8s-backups/*"] } },
        },
        {
          Sid: "ReadWriteOwnPrefix",
          Effect: "Allow",
          Action: [
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:GetObject",
            "s3:ListMultipartUploadParts",
            "s3:PutObject",
          ],
          Resource: [`${bucket}/k8s-backups/*`],
        },
        {
          Sid: "UseBucketKeyThroughS3",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: ["*"],
          Condition: {
            StringEquals: {
              "kms:ViaService": "s3.us-east-1.amazonaws.com",
              "kms:EncryptionContext:aws:s3:arn": bucket,
            },
          },
        },
        {
          Sid: "DescribeVolumesAndSnapshots",
          Effect: "Allow",
          Action: ["ec2:DescribeSnapshots", "ec2:DescribeVolumes"],
          Resource: ["*"],
        },
        {
          Sid: "SnapshotAndRestoreVolumes",
          Effect: "Allow",
          Action: ["ec2:CreateSnapshot", "ec2:CreateTags", "ec2:CreateVolume"],
          Resource: [volumes, snapshots],
        },
        {
          Sid: "DeleteOwnSnapshots",
          Effect: "Allow",
          Action: ["ec2:DeleteSnapshot"],
          Resource: [snapshots],
          Condition: { StringLike: { "aws:ResourceTag/velero.io/backup": "*" } },
        },
        {
          Sid: "UseVolumeKeysThroughEc2",
          Effect: "Allow",
          Action: [
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
          ],
          Resource: ["*"],
          Condition: { StringEquals: viaEc2 },
        },
        {
          Sid: "GrantVolumeKeysToEc2",
          Effect: "Allow",
          Action: ["kms:CreateGrant"],
          Resource: ["*"],
          Condition: { StringEquals: viaEc2, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
      ],
    });
  });

  it("installs Velero and Fluent Bit only after their role policies exist", () => {
    for (const [release_, policy] of [
      ["observability-velero", "observability-velero-policy"],
      ["observability-logging", "observability-logging-policy"],
    ] as const) {
      const deps = recorded.one(release, release_).dependencies;
      const urn = recorded.one("aws:iam/rolePolicy:RolePolicy", policy).urn;
      assert.ok(deps.includes(urn), `${release_} waits on ${policy}`);
    }
  });

  it("installs Fluent Bit after kube-prometheus-stack, whose CRD its ServiceMonitor is gated on", () => {
    const deps = recorded.one(release, "observability-logging").dependencies;
    assert.ok(deps.includes(recorded.one(release, "observability-prometheus-stack").urn));
    assert.deepEqual(valuesOf(recorded, "observability-logging").serviceMonitor, {
      enabled: true,
      interval: "30s",
    });
  });

  it("sends traces to the collector Service on OTLP gRPC, a port the services' egress to its pods admits", async () => {
    assert.equal(
      (await resolve(component.tracesEndpoint)).value,
      "http://jaeger-collector.monitoring.svc.cluster.local:4317",
    );
    const rule = tracesEgress("monitoring")[0]!;
    assert.deepEqual(
      rule.ports,
      [otlpPorts.grpc, otlpPorts.http].map((port) => ({ protocol: "TCP", port })),
    );
    // The chart's Service selects the all-in-one pod by these labels; no value here renames it.
    const values = valuesOf(recorded, "observability-tracing");
    assert.equal(values.fullnameOverride, "jaeger");
    assert.equal(values.nameOverride, undefined);
    assert.equal(values.allInOne.podLabels, undefined);
    assert.deepEqual(collectorPodLabels(), {
      "app.kubernetes.io/name": tracingChart.chart,
      "app.kubernetes.io/instance": recorded.inputs(recorded.one(release, "observability-tracing"))
        .name,
      "app.kubernetes.io/component": "all-in-one",
    });
  });

  it("names each Jaeger environment variable once, leaving COLLECTOR_OTLP_ENABLED to the chart", () => {
    assert.deepEqual(valuesOf(recorded, "observability-tracing").allInOne.extraEnv, [
      { name: "MEMORY_MAX_TRACES", value: "100000" },
    ]);
  });

  it("alarms on RDS and ElastiCache with the prod thresholds into an encrypted SNS topic", () => {
    const alarms = recorded.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const got = Object.fromEntries(
      alarms.map((a) => {
        const i = recorded.inputs(a);
        return [
          a.name,
          `${String(i.metricName)} ${String(i.comparisonOperator)} ${String(i.threshold)} ` +
            `${String(i.statistic)} x${String(i.evaluationPeriods)} ${JSON.stringify(i.dimensions)}`,
        ];
      }),
    );
    assert.deepEqual(got, {
      "observability-rds-0-cpu":
        'CPUUtilization GreaterThanThreshold 80 Average x3 {"DBInstanceIdentifier":"platform-prod-db"}',
      "observability-rds-0-free-storage":
        'FreeStorageSpace LessThanThreshold 10737418240 Minimum x1 {"DBInstanceIdentifier":"platform-prod-db"}',
      "observability-rds-replica-0-replica-lag":
        'ReplicaLag GreaterThanThreshold 30 Maximum x2 {"DBInstanceIdentifier":"platform-prod-db-analytics"}',
      "observability-cache-0-cpu":
        'EngineCPUUtilization GreaterThanThreshold 75 Average x3 {"CacheClusterId":"platform-prod-cache-001"}',
      "observability-cache-0-evictions":
        'Evictions GreaterThanThreshold 100 Sum x1 {"CacheClusterId":"platform-prod-cache-001"}',
      "observability-cache-0-memory":
        'DatabaseMemoryUsagePercentage GreaterThanThreshold 80 Average x3 {"CacheClusterId":"platform-prod-cache-001"}',
      "observability-cache-1-cpu":
        'EngineCPUUtilization GreaterThanThreshold 75 Average x3 {"CacheClusterId":"platform-prod-cache-002"}',
      "observability-cache-1-evictions":
        'Evictions GreaterThanThreshold 100 Sum x1 {"CacheClusterId":"platform-prod-cache-002"}',
      "observability-cache-1-memory":
        'DatabaseMemoryUsagePercentage GreaterThanThreshold 80 Average x3 {"CacheClusterId":"platform-prod-cache-002"}',
    });
    const topic = recorded.one("aws:sns/topic:Topic", "observability-alarms");
    assert.equal(recorded.inputs(topic).name, "platform-prod-alarms");
    assert.match(String(recorded.inputs(topic).kmsMasterKeyId), /^arn:aws:kms:us-east-1:/);
    for (const a of alarms) {
      assert.equal(recorded.inputs(a).period, 300);
      const topicArn = "arn:aws:sns:us-east-1:123456789012:platform-prod-alarms";
      assert.deepEqual(recorded.inputs(a).alarmActions, [topicArn]);
      assert.deepEqual(recorded.inputs(a).okActions, [topicArn]);
    }
    const subs = recorded.ofType("aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(subs.map((s) => recorded.inputs(s).protocol).sort(), ["email", "https"]);
    const pd = recorded.one(
      "aws:sns/topicSubscription:TopicSubscription",
      "observability-alarms-pagerduty",
    );
    assert.equal(toDisplay(pd.inputs.endpoint), "[secret]");
  });

  it("reports where Grafana, Alertmanager, logs and backups are", async () => {
    assert.equal(
      (await resolve(component.grafanaUrl)).value,
      "http://grafana.monitoring.svc.cluster.local",
    );
    assert.equal(
      (await resolve(component.alertmanagerUrl)).value,
      "http://kps-alertmanager.monitoring.svc.cluster.local:9093",
    );
    assert.match(
      (await resolve(component.logsDestination)).value,
      /^cloudwatch:arn:aws:logs:us-east-1:123456789012:log-group:\/platform\/platform-prod\/containers$/,
    );
    assert.equal(
      (await resolve(component.backupsDestination)).value,
      "s3://platform-prod-backups/k8s-backups",
    );
  });
});

describe("Observability on the local target in dev", () => {
  let recorded: Recorded;
  let component: Observability;
  before(async () => {
    recorded = useMocks();
    component = new Observability(
      "observability",
      args({
        target: "local",
        tier: "dev",
        clusterName: "platform-dev",
        region: undefined,
        clusterIdentity: undefined,
        backups: undefined,
        managedData: undefined,
        inClusterData: {
          postgres: {
            host: "postgres.dev.svc.cluster.local",
            port: 5432,
            database: "app",
            username: "app",
            password: pulumi.secret("postgres-password-0d1c2b3a"),
          },
          redis: {
            address: "redis.dev.svc.cluster.local:6379",
            password: pulumi.secret("redis-password-9e8f7a6b"),
          },
        },
      }),
    );
    await settle();
  });

  it("creates no cloud resources and no managed alarms", () => {
    assert.deepEqual(
      recorded.all.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
      [],
    );
  });

  it("runs one light Prometheus keeping two days", () => {
    const spec = valuesOf(recorded, "observability-prometheus-stack").prometheus.prometheusSpec;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.retention, "2d");
    assert.deepEqual(spec.resources.limits, { cpu: "500m", memory: "1Gi" });
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "5Gi");
  });

  it("fits every container it sizes into the dev monitoring namespace's quota", () => {
    const stack = valuesOf(recorded, "observability-prometheus-stack");
    const reloader = stack.prometheusOperator.prometheusConfigReloader.resources;
    const containers: Values[] = [
      stack.prometheus.prometheusSpec.resources,
      reloader,
      stack.alertmanager.alertmanagerSpec.resources,
      reloader,
      stack.grafana.resources,
      stack.grafana.sidecar.resources,
      stack.grafana.sidecar.resources,
      stack.prometheusOperator.resources,
      stack["kube-state-metrics"].resources,
      valuesOf(recorded, "observability-tracing").allInOne.resources,
      valuesOf(recorded, "observability-postgres-exporter").resources,
      valuesOf(recorded, "observability-redis-exporter").resources,
    ];
    const total = (kind: "requests" | "limits", what: "cpu" | "memory") =>
      containers.reduce((sum, c) => sum + amount(c[kind][what]), 0);
    const quota = quotaDefaults.dev;
    assert.ok(total("requests", "cpu") <= amount(quota.requestsCpu));
    assert.ok(total("requests", "memory") <= amount(quota.requestsMemory));
    assert.ok(total("limits", "cpu") <= amount(quota.limitsCpu));
    assert.ok(total("limits", "memory") <= amount(quota.limitsMemory));
    assert.deepEqual([total("limits", "cpu"), total("limits", "memory")], [1800, 2560]);
    const max = containerLimitDefaults.dev;
    for (const c of containers) {
      assert.ok(amount(c.limits.cpu) <= amount(max.maxCpu));
      assert.ok(amount(c.limits.memory) <= amount(max.maxMemory));
      assert.ok(amount(c.requests.cpu) <= amount(c.limits.cpu));
    }
  });

  it("prints logs to stdout instead of shipping them", async () => {
    const fluent = valuesOf(recorded, "observability-logging");
    assert.match(fluent.config.outputs, /Name stdout/);
    assert.deepEqual(fluent.serviceAccount.annotations, {});
    assert.equal((await resolve(component.logsDestination)).value, "stdout:kube-system/fluent-bit");
  });

  it("has no Velero and no backup alert without a backups bucket", async () => {
    assert.equal(recorded.ofType(release).filter((r) => r.name.endsWith("velero")).length, 0);
    const rule = recorded.inputs(recorded.one(customResource("PrometheusRule"))) as Values;
    const alerts = rule.spec.groups.flatMap((g: Values) => g.rules.map((r: Values) => r.alert));
    assert.ok(!alerts.includes("BackupMissing"));
    assert.equal((await resolve(component.backupsDestination)).value, "none");
  });

  it("connects the postgres exporter without TLS, as the local PostgreSQL serves none", () => {
    assert.deepEqual(valuesOf(recorded, "observability-postgres-exporter").config.datasource, {
      host: "postgres.dev.svc.cluster.local",
      port: "5432",
      database: "app",
      user: "app",
      passwordSecret: { name: "postgres-exporter", key: "password" },
      sslmode: "disable",
    });
  });

  it("installs Fluent Bit and both exporters after kube-prometheus-stack", () => {
    const stack = recorded.one(release, "observability-prometheus-stack").urn;
    for (const name of [
      "observability-logging",
      "observability-postgres-exporter",
      "observability-redis-exporter",
    ]) {
      assert.ok(recorded.one(release, name).dependencies.includes(stack), name);
    }
  });

  it("exports postgres and redis metrics with passwords from Secrets", () => {
    const pg = valuesOf(recorded, "observability-postgres-exporter");
    assert.deepEqual(pg.config.datasource.passwordSecret, {
      name: "postgres-exporter",
      key: "password",
    });
    assert.equal(pg.serviceMonitor.enabled, true);
    const redis = valuesOf(recorded, "observability-redis-exporter");
    assert.equal(redis.redisAddress, "redis://redis.dev.svc.cluster.local:6379");
    assert.deepEqual(redis.auth, {
      enabled: true,
      secret: { name: "redis-exporter", key: "password" },
    });
    for (const name of ["observability-postgres-exporter", "observability-redis-exporter"]) {
      assert.equal(
        recorded.inputs(recorded.one(release, name)).version,
        name.includes("postgres") ? charts.postgresExporter.version : charts.redisExporter.version,
      );
    }
    const everything = JSON.stringify(recorded.all.map((r) => toDisplay(r.inputs)));
    assert.ok(!everything.includes("postgres-password-0d1c2b3a"));
    assert.ok(!everything.includes("redis-password-9e8f7a6b"));
  });
});

describe("Observability scraping the Ingress component's controllers", () => {
  let local: Recorded;
  before(async () => {
    local = useMocks();
    new Observability("platform", args({ platformScrapeTargets: metricsTargets }));
    await settle();
  });

  it("scrapes the ingress controllers' metrics Services once kube-prometheus-stack has the CRD", () => {
    const stack = local.one(release, "platform-prometheus-stack").urn;
    const nginx = local.one(
      customResource("ServiceMonitor"),
      "platform-scrape-ingress-nginx-ingress-nginx-controller-metrics",
    );
    assert.ok(nginx.dependencies.includes(stack));
    assert.deepEqual((local.inputs(nginx) as Values).spec, {
      jobLabel: "app.kubernetes.io/name",
      selector: {
        matchLabels: {
          "app.kubernetes.io/name": "ingress-nginx",
          "app.kubernetes.io/instance": "ingress-nginx",
          "app.kubernetes.io/component": "controller",
        },
      },
      namespaceSelector: { matchNames: ["ingress-nginx"] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "15s", scrapeTimeout: "10s" }],
    });
    const certManager = local.one(
      customResource("ServiceMonitor"),
      "platform-scrape-cert-manager-cert-manager",
    );
    assert.ok(certManager.dependencies.includes(stack));
    assert.deepEqual((local.inputs(certManager) as Values).spec.endpoints, [
      { port: "http-metrics", path: "/metrics", interval: "15s", scrapeTimeout: "10s" },
    ]);
    // kube-prometheus-stack selects every ServiceMonitor, not only those labelled release: kps.
    const kps = valuesOf(local, "platform-prometheus-stack");
    assert.equal(kps.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, false);
  });
});

describe("Observability's alert rules beside the platform's controllers", () => {
  it("hold the application's services to the service alerts, not the ingress controller or cert-manager", async () => {
    const recorded = useMocks();
    new Observability("platform", args({ platformScrapeTargets: metricsTargets }));
    await settle();
    const rule = recorded.inputs(recorded.one(customResource("PrometheusRule"))) as Values;
    const expressions = JSON.stringify(rule.spec.groups);
    const jobs = targets
      .map((t) => t.name)
      .sort()
      .join("|");
    assert.ok(expressions.includes(`job=~\\"${jobs}\\"`), expressions.slice(0, 400));
    assert.ok(!expressions.includes("ingress-nginx"));
    assert.ok(!expressions.includes("cert-manager"));
  });
});

describe("The postgres exporter's sslmode", () => {
  const postgres = {
    host: "db.internal",
    port: 5432,
    database: "app",
    username: "app",
    password: "unused",
  };
  const ctxOf = (overrides: Partial<ObservabilityArgs>) =>
    ({ args: args(overrides) }) as Parameters<typeof exporterSslMode>[0];

  it("requires TLS from a database off the local target unless told a stricter mode", () => {
    assert.equal(exporterSslMode(ctxOf({ inClusterData: { postgres } })), "require");
    assert.equal(
      exporterSslMode(
        ctxOf({ inClusterData: { postgres: { ...postgres, sslmode: "verify-full" } } }),
      ),
      "verify-full",
    );
  });

  it("disables TLS for the local target's PostgreSQL, which serves none", () => {
    assert.equal(
      exporterSslMode(ctxOf({ target: "local", inClusterData: { postgres } })),
      "disable",
    );
  });
});

describe("Observability argument checks", () => {
  beforeEach(() => useMocks());

  it("refuses aws without the cluster's identity, naming every problem at once", () => {
    assert.throws(
      () =>
        new Observability(
          "observability",
          args({
            region: undefined,
            clusterIdentity: undefined,
            backups: { bucket: "b", prefix: "k8s/backups" },
          }),
        ),
      {
        name: "ComponentError",
        message:
          "Observability observability: invalid args:\n" +
          '  - region: is required on target "aws"\n' +
          "  - clusterIdentity: is required on aws; Fluent Bit and Velero reach AWS through IAM roles for service accounts, pass the Cluster's oidcProviderArn and oidcIssuer\n" +
          '  - backups.prefix: "k8s/backups" is not a single path segment; expected lowercase letters, digits, ".", "_" or "-", e.g. "k8s-backups"',
      },
    );
  });

  it("refuses a cluster identity on a target other than aws", () => {
    assert.throws(
      () =>
        new Observability(
          "observability",
          args({ target: "gcp", gcpProject: "p", managedData: undefined }),
        ),
      {
        name: "ComponentError",
        message:
          "Observability observability: invalid args:\n" +
          '  - clusterIdentity: is for target "aws" only, got target "gcp"; leave it out',
      },
    );
  });

  it("refuses a scrape target listed twice", () => {
    assert.throws(
      () => new Observability("observability", args({ scrapeTargets: [targets[0]!, targets[0]!] })),
      {
        name: "ComponentError",
        message:
          "Observability observability: invalid args:\n  - scrapeTargets: production/api is listed twice",
      },
    );
  });
});

describe("Observability on gcp in staging", () => {
  let recorded: Recorded;
  let component: Observability;
  before(async () => {
    recorded = useMocks();
    component = new Observability(
      "observability",
      args({
        target: "gcp",
        tier: "staging",
        clusterName: "platform-staging",
        region: "us-central1",
        gcpProject: "platform-staging-1",
        clusterIdentity: undefined,
        managedData: undefined,
        backups: { bucket: "platform-staging-backups" },
      }),
    );
    await settle();
  });

  it("ships logs to Cloud Logging and creates no AWS resources", async () => {
    const fluent = valuesOf(recorded, "observability-logging");
    assert.match(fluent.config.outputs, /Name stackdriver/);
    assert.match(fluent.config.outputs, /k8s_cluster_name platform-staging/);
    assert.match(fluent.config.outputs, /k8s_cluster_location us-central1/);
    assert.deepEqual(
      recorded.all.filter((r) => r.type.startsWith("aws:")).map((r) => r.name),
      [],
    );
    assert.match((await resolve(component.logsDestination)).value, /^cloud-logging:/);
  });

  it("backs up to the GCS bucket through Workload Identity with the gcp plugin", async () => {
    const velero = valuesOf(recorded, "observability-velero");
    assert.equal(velero.configuration.backupStorageLocation[0].provider, "gcp");
    assert.equal(velero.configuration.backupStorageLocation[0].bucket, "platform-staging-backups");
    assert.deepEqual(velero.serviceAccount.server, {
      create: true,
      name: "velero",
      annotations: {
        "iam.gke.io/gcp-service-account":
          "platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
      },
    });
    assert.equal(velero.initContainers[0].image, "velero/velero-plugin-for-gcp:v1.14.2");
    assert.equal(velero.schedules.daily.schedule, "0 2 * * *");
    assert.equal(
      (await resolve(component.backupsDestination)).value,
      "gs://platform-staging-backups/k8s-backups",
    );
  });

  it("names Velero's Google service account in the backup location, as the gcp plugin needs under Workload Identity", () => {
    const velero = valuesOf(recorded, "observability-velero");
    assert.deepEqual(velero.configuration.backupStorageLocation[0].config, {
      serviceAccount: "platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
    });
  });

  it("lets Velero's Google service account sign blobs as itself only, before Velero starts", () => {
    const signer = recorded.one(
      "gcp:serviceaccount/iAMMember:IAMMember",
      "observability-velero-url-signer",
    );
    assert.deepEqual(recorded.inputs(signer), {
      serviceAccountId:
        "projects/platform-staging-1/serviceAccounts/platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
      role: "roles/iam.serviceAccountTokenCreator",
      member: "serviceAccount:platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
    });
    assert.ok(recorded.one(release, "observability-velero").dependencies.includes(signer.urn));
  });

  it("gives Velero its own Google service account that only its KSA may act as", () => {
    const account = recorded.inputs(
      recorded.one("gcp:serviceaccount/account:Account", "observability-velero-gsa"),
    );
    assert.deepEqual(account, {
      accountId: "platform-staging-velero",
      displayName: "Velero of platform-staging",
      project: "platform-staging-1",
    });
    const binding = recorded.inputs(
      recorded.one(
        "gcp:serviceaccount/iAMMember:IAMMember",
        "observability-velero-workload-identity",
      ),
    );
    assert.deepEqual(binding, {
      serviceAccountId:
        "projects/platform-staging-1/serviceAccounts/platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:platform-staging-1.svc.id.goog[monitoring/velero]",
    });
  });

  it("lets Velero administer objects under k8s-backups/ of the backups bucket only", () => {
    const member = recorded.inputs(
      recorded.one("gcp:storage/bucketIAMMember:BucketIAMMember", "observability-velero-bucket"),
    );
    assert.deepEqual(member, {
      bucket: "platform-staging-backups",
      role: "roles/storage.objectAdmin",
      member: "serviceAccount:platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
      condition: {
        title: "velero-k8s-backups",
        description: "Velero reads and writes k8s-backups/ only",
        expression:
          'resource.name == "projects/_/buckets/platform-staging-backups" || ' +
          'resource.name.startsWith("projects/_/buckets/platform-staging-backups/objects/k8s-backups/")',
      },
    });
  });

  it("lets Velero snapshot and restore disks through a custom role of exactly those permissions", () => {
    const role = recorded.inputs(
      recorded.one("gcp:projects/iAMCustomRole:IAMCustomRole", "observability-velero-snapshots"),
    );
    assert.deepEqual(role, {
      project: "platform-staging-1",
      roleId: "platform_staging_velero_snapshots",
      title: "Velero snapshots of platform-staging",
      permissions: [
        "compute.disks.create",
        "compute.disks.createSnapshot",
        "compute.disks.get",
        "compute.projects.get",
        "compute.snapshots.create",
        "compute.snapshots.delete",
        "compute.snapshots.get",
        "compute.snapshots.setLabels",
        "compute.snapshots.useReadOnly",
        "compute.zones.get",
      ],
    });
    const member = recorded.inputs(
      recorded.one("gcp:projects/iAMMember:IAMMember", "observability-velero-snapshots"),
    );
    assert.equal(member.project, "platform-staging-1");
    assert.equal(
      member.member,
      "serviceAccount:platform-staging-velero@platform-staging-1.iam.gserviceaccount.com",
    );
  });

  it("keeps staging metrics 7 days on one Prometheus replica", () => {
    const spec = valuesOf(recorded, "observability-prometheus-stack").prometheus.prometheusSpec;
    assert.equal(spec.retention, "7d");
    assert.equal(spec.replicas, 1);
  });

  it("runs the pods it configures under the restricted Pod Security profile", () => {
    const restricted = {
      pod: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
      container: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
      },
    };
    const velero = valuesOf(recorded, "observability-velero");
    assert.deepEqual(velero.podSecurityContext, restricted.pod);
    assert.deepEqual(velero.containerSecurityContext, restricted.container);
    assert.deepEqual(velero.initContainers[0].securityContext, restricted.container);
    const jaeger = valuesOf(recorded, "observability-tracing").allInOne;
    assert.deepEqual(jaeger.podSecurityContext, restricted.pod);
    assert.deepEqual(jaeger.securityContext, restricted.container);
  });
});
