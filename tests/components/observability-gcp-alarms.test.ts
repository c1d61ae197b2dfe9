import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Observability, type ObservabilityArgs } from "../../components/observability";
import { toDisplay } from "../../tools/plan/values";
import { settle, useMocks, type Recorded } from "../support/mocks";

const policyType = "gcp:monitoring/alertPolicy:AlertPolicy";
const channelType = "gcp:monitoring/notificationChannel:NotificationChannel";
const serviceKey = "pd-events-v2-key-0123456789abcdef";
const sqlId = "platform-prod-1:platform-prod-db";
const replicaId = "platform-prod-1:platform-prod-db-replica";
const redisId = "projects/platform-prod-1/locations/europe-west1/instances/platform-prod-cache";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function args(overrides: Partial<ObservabilityArgs> = {}): ObservabilityArgs {
  return {
    target: "gcp",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    region: "europe-west1",
    gcpProject: "platform-prod-1",
    scrapeTargets: [{ name: "api", namespace: "production", port: "http", path: "/metrics" }],
    receivers: { pagerdutyKey: pulumi.secret(serviceKey), emailTo: "team@example.com" },
    managedData: {
      databaseInstanceIds: [sqlId],
      databaseReplicaIds: [replicaId],
      cacheNodeIds: [redisId],
    },
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: { project: "platform", tier: "prod" },
    ...overrides,
  };
}

const filter = (type: string, label: string, id: string, metric: string) =>
  `resource.type = "${type}" AND resource.label.${label} = "${id}" AND metric.type = "${metric}"`;

describe("Observability on gcp in prod: managed alert policies", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Observability("observability", args());
    await settle();
  });

  it("alerts on Cloud SQL and Memorystore with the prod thresholds and durations of the AWS alarms", () => {
    const got = Object.fromEntries(
      recorded.ofType(policyType).map((p) => {
        const c = (recorded.inputs(p).conditions as Values[])[0]!.conditionThreshold as Values;
        const agg = (c.aggregations as Values[])[0]!;
        return [
          p.name,
          [
            c.filter,
            `${String(c.comparison)} ${String(c.thresholdValue)} for ${String(c.duration)}`,
            `${String(agg.perSeriesAligner)}/${String(agg.alignmentPeriod)}` +
              (agg.crossSeriesReducer
                ? ` ${String(agg.crossSeriesReducer)} by ${String(agg.groupByFields)}`
                : ""),
          ],
        ];
      }),
    );
    const sql = (id: string, metric: string) =>
      filter("cloudsql_database", "database_id", id, `cloudsql.googleapis.com/database/${metric}`);
    const redis = (metric: string) =>
      filter("redis_instance", "instance_id", redisId, `redis.googleapis.com/stats/${metric}`);
    assert.deepEqual(got, {
      "observability-sql-0-cpu": [
        sql(sqlId, "cpu/utilization"),
        "COMPARISON_GT 0.8 for 900s",
        "ALIGN_MEAN/300s",
      ],
      "observability-sql-0-disk": [
        sql(sqlId, "disk/utilization"),
        "COMPARISON_GT 0.85 for 300s",
        "ALIGN_MAX/300s",
      ],
      "observability-sql-replica-0-replica-lag": [
        sql(replicaId, "replication/replica_lag"),
        "COMPARISON_GT 30 for 600s",
        "ALIGN_MAX/300s",
      ],
      "observability-redis-0-cpu": [
        redis("cpu_utilization_main_thread"),
        "COMPARISON_GT 0.75 for 900s",
        "ALIGN_RATE/300s REDUCE_SUM by resource.label.node_id",
      ],
      "observability-redis-0-evictions": [
        redis("evicted_keys"),
        "COMPARISON_GT 100 for 300s",
        "ALIGN_DELTA/300s",
      ],
      "observability-redis-0-memory": [
        redis("memory/usage_ratio"),
        "COMPARISON_GT 0.8 for 900s",
        "ALIGN_MEAN/300s",
      ],
    });
  });

  it("sends every policy to the PagerDuty and team mail channels, in the project", () => {
    assert.equal(recorded.ofType(channelType).length, 2);
    const channels = ["observability-alarms-pagerduty", "observability-alarms-email"].map((n) =>
      String(recorded.one(channelType, n).outputs.name),
    );
    for (const p of recorded.ofType(policyType)) {
      const i = recorded.inputs(p);
      assert.deepEqual(i.notificationChannels, channels, p.name);
      assert.equal(i.project, "platform-prod-1");
      assert.equal(i.combiner, "OR");
      assert.equal(i.severity, "CRITICAL");
      assert.equal(
        ((i.conditions as Values[])[0]!.conditionThreshold as Values).evaluationMissingData,
        "EVALUATION_MISSING_DATA_INACTIVE",
      );
    }
    const mail = recorded.inputs(recorded.one(channelType, "observability-alarms-email"));
    assert.equal(mail.type, "email");
    assert.deepEqual(mail.labels, { email_address: "team@example.com" });
  });

  it("keys the PagerDuty channel with the Events v2 key, held as a secret", () => {
    const pd = recorded.one(channelType, "observability-alarms-pagerduty");
    assert.equal(recorded.inputs(pd).type, "pagerduty");
    assert.equal(recorded.inputs(pd).project, "platform-prod-1");
    assert.deepEqual(recorded.inputs(pd).sensitiveLabels, { serviceKey });
    assert.deepEqual(toDisplay(pd.inputs.sensitiveLabels), { serviceKey: "[secret]" });
    const everything = JSON.stringify(recorded.all.map((r) => toDisplay(r.inputs)));
    assert.ok(!everything.includes(serviceKey));
  });

  it("creates no CloudWatch alarms or SNS topics", () => {
    assert.deepEqual(
      recorded.all.filter((r) => r.type.startsWith("aws:")).map((r) => r.name),
      [],
    );
  });
});

describe("Observability on gcp in staging: managed alert policies", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Observability(
      "observability",
      args({
        tier: "staging",
        receivers: { pagerdutyKey: pulumi.secret(serviceKey) },
        managedData: {
          databaseInstanceIds: [sqlId],
          databaseReplicaIds: [],
          cacheNodeIds: [redisId],
        },
      }),
    );
    await settle();
  });

  it("uses the staging thresholds, no replica lag policy without a replica, and PagerDuty only", () => {
    const threshold = (name: string) =>
      (
        (recorded.inputs(recorded.one(policyType, name)).conditions as Values[])[0]!
          .conditionThreshold as Values
      ).thresholdValue;
    assert.deepEqual(
      recorded
        .ofType(policyType)
        .map((p) => [p.name, threshold(p.name)])
        .sort(),
      [
        ["observability-sql-0-cpu", 0.85],
        ["observability-sql-0-disk", 0.85],
        ["observability-redis-0-cpu", 0.85],
        ["observability-redis-0-evictions", 500],
        ["observability-redis-0-memory", 0.85],
      ].sort(),
    );
    assert.deepEqual(
      recorded.ofType(channelType).map((c) => c.name),
      ["observability-alarms-pagerduty"],
    );
  });
});

describe("Observability on gcp in prod with an e-mail receiver only", () => {
  it("notifies the e-mail channel alone, with no PagerDuty channel", async () => {
    const recorded = useMocks();
    new Observability(
      "observability",
      args({
        receivers: { emailTo: "team@example.com" },
        managedData: { databaseInstanceIds: [sqlId], databaseReplicaIds: [], cacheNodeIds: [] },
      }),
    );
    await settle();
    assert.deepEqual(
      recorded.ofType(channelType).map((c) => [c.name, recorded.inputs(c).type]),
      [["observability-alarms-email", "email"]],
    );
    const policy = recorded.inputs(recorded.one(policyType, "observability-sql-0-cpu"));
    assert.equal((policy.notificationChannels as unknown[]).length, 1);
  });
});

describe("Observability on gcp in dev: managed alert policies", () => {
  it("builds no policies and no channels, and needs no PagerDuty key", async () => {
    const recorded = useMocks();
    new Observability("observability", args({ tier: "dev", receivers: {} }));
    await settle();
    assert.equal(recorded.ofType(policyType).length, 0);
    assert.equal(recorded.ofType(channelType).length, 0);
  });
});

describe("Observability on gcp argument checks", () => {
  beforeEach(() => useMocks());

  it("refuses managed alarms with no receiver, saying which keys and how to set them", () => {
    assert.throws(() => new Observability("observability", args({ receivers: {} })), {
      name: "ComponentError",
      message:
        "Observability observability: invalid args:\n" +
        '  - receivers: needs pagerdutyKey or emailTo on gcp when managedAlarms is on (tier "prod"); ' +
        "the Cloud Monitoring alert policies notify a PagerDuty or an e-mail channel made from them. " +
        "Set platform:observability.alerting.pagerdutyKey as a secret or emailTo, or managedAlarms: false",
    });
  });

  it("accepts no key when managed alarms are switched off", () => {
    assert.doesNotThrow(
      () =>
        new Observability(
          "observability",
          args({ receivers: {}, settings: { managedAlarms: false } }),
        ),
    );
  });
});
