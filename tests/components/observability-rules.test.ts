import { strict as assert } from "node:assert";
import {
  PrometheusRule,
  ServiceMonitor,
  type IPrometheusRule,
  type IServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { ConfigMap } from "kubernetes-models/v1";
import * as pulumi from "@pulumi/pulumi";
import { Observability, type ScrapeTarget } from "../../components/observability";
import { alertRules, jobSelector } from "../../components/observability/alert-rules";
import { alertmanagerConfig } from "../../components/observability/alertmanager";
import { dashboardJson, dashboards } from "../../components/observability/dashboards";
import { settle, useMocks, type Recorded } from "../support/mocks";

const targets: ScrapeTarget[] = [
  { name: "api", namespace: "production", port: "http", path: "/metrics" },
  { name: "websocket", namespace: "production", port: "metrics", path: "/metrics" },
];

type Rule = NonNullable<NonNullable<IPrometheusRule["spec"]["groups"]>[number]["rules"]>[number];

function rulesByAlert(backups: boolean): Map<string, Rule> {
  const rules = alertRules(targets, backups).flatMap((g) => g.rules ?? []);
  return new Map(rules.map((r) => [r.alert!, r]));
}

/** Seed 003's alert table: condition, threshold, duration and severity of every row. */
const seedTable: {
  row: string;
  alert: string;
  threshold: string;
  for: string | undefined;
  severity: "critical" | "warning";
  expr: RegExp;
}[] = [
  {
    row: "API Down: health check fails 3x, critical",
    alert: "APIDown",
    threshold: "== 0",
    // Three checks 15 s apart: pending at the first failure, firing at the third.
    for: "30s",
    severity: "critical",
    expr: /^up\{job=~"api\|websocket"\} == 0$/,
  },
  {
    row: "High Error Rate: > 1 % errors for 5 min, critical",
    alert: "HighErrorRate",
    threshold: "> 0.01",
    for: "5m",
    severity: "critical",
    expr: /status=~"5\.\."\}\[5m\]\)\) \/ sum by \(job, namespace\) \(rate\(http_requests_total\{job=~"api\|websocket"\}\[5m\]\)\) > 0\.01$/,
  },
  {
    row: "Disk Space Low: > 85 % used, warning",
    alert: "DiskSpaceLow",
    threshold: "> 0.85",
    for: undefined,
    severity: "warning",
    expr: /^\(1 - node_filesystem_avail_bytes\{.*\} \/ node_filesystem_size_bytes\{.*\}\) > 0\.85$/,
  },
  {
    row: "Database Slow: p95 > 1 s for 10 min, warning",
    alert: "DatabaseSlow",
    threshold: "> 1",
    for: "10m",
    severity: "warning",
    expr: /^histogram_quantile\(0\.95, sum by \(le, job\) \(rate\(db_query_duration_seconds_bucket\{job=~"api\|websocket"\}\[5m\]\)\)\) > 1$/,
  },
  {
    row: "Memory High: > 90 % for 5 min, warning",
    alert: "MemoryHigh",
    threshold: "> 0.9",
    for: "5m",
    severity: "warning",
    expr: /^\(1 - node_memory_MemAvailable_bytes \/ node_memory_MemTotal_bytes\) > 0\.9$/,
  },
  {
    row: "Backup Failed: no backup in 25 h, critical",
    alert: "BackupMissing",
    threshold: "> 90000",
    for: undefined,
    severity: "critical",
    expr: /^time\(\) - max by \(schedule\) \(velero_backup_last_successful_timestamp\{schedule!=""\}\) > 90000$/,
  },
];

describe("Alert rules from seed 003's table", () => {
  const rules = rulesByAlert(true);

  it("has exactly one rule per row of the table", () => {
    assert.deepEqual([...rules.keys()].sort(), seedTable.map((r) => r.alert).sort());
  });

  for (const row of seedTable) {
    it(`${row.row}`, () => {
      const rule = rules.get(row.alert);
      assert.ok(rule, `${row.alert} is missing`);
      assert.match(String(rule.expr), row.expr);
      assert.ok(String(rule.expr).endsWith(` ${row.threshold}`), String(rule.expr));
      assert.equal(rule.for, row.for);
      assert.deepEqual(rule.labels, { severity: row.severity });
      assert.ok(rule.annotations?.summary, "has a summary");
    });
  }

  it("evaluates the service and node rules every 15 s, the check interval", () => {
    const groups = alertRules(targets, true);
    assert.deepEqual(
      groups.map((g) => [g.name, g.interval]),
      [
        ["platform.services", "15s"],
        ["platform.nodes", "15s"],
        ["platform.backups", "1m"],
      ],
    );
  });

  it("watches the database's own base backups when it backs itself up, without Velero", () => {
    const backups = alertRules(targets, false, true).find((g) => g.name === "platform.backups");
    const metric = "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp";
    assert.deepEqual(
      backups?.rules?.map((r) => [r.alert, r.expr, r.for, r.labels?.severity]),
      [
        [
          "DatabaseBackupMissing",
          `time() - max by (namespace) (${metric} > 0) > 90000`,
          "15m",
          "critical",
        ],
        ["DatabaseBackupNeverTaken", `max by (namespace) (${metric}) == 0`, "25h", "critical"],
        ["DatabaseBackupMetricsAbsent", `absent(${metric})`, "1h", "warning"],
      ],
    );
  });

  it("has no backup rules where nothing is backed up from the cluster", () => {
    const names = alertRules(targets, false, false).map((g) => g.name);
    assert.ok(!names.includes("platform.backups"), names.join(", "));
  });

  it("scopes service rules to every job when no target is given", () => {
    assert.equal(jobSelector([]), 'job=~".+"');
    assert.equal(jobSelector([...targets].reverse()), 'job=~"api|websocket"');
  });
});

describe("Alertmanager routing", () => {
  const config = alertmanagerConfig({
    pagerdutyKey: "pd",
    slackWebhookUrl: "https://hooks.slack.com/services/x",
    emailTo: "team@example.com",
  }) as {
    route: { receiver: string; routes: { matchers: string[]; receiver: string }[] };
    receivers: Record<string, unknown>[];
  };

  it("sends critical to PagerDuty and mail, warning to mail and Slack, info to Slack", () => {
    assert.deepEqual(
      config.route.routes.map((r) => `${r.matchers.join(",")} -> ${r.receiver}`),
      [
        'alertname="Watchdog" -> null',
        'severity="critical" -> critical',
        'severity="warning" -> warning',
        'severity="info" -> info',
      ],
    );
    const kinds = Object.fromEntries(
      config.receivers.map((r) => [
        r.name,
        Object.keys(r)
          .filter((k) => k !== "name")
          .sort(),
      ]),
    );
    assert.deepEqual(kinds, {
      null: [],
      critical: ["email_configs", "pagerduty_configs"],
      warning: ["email_configs", "slack_configs"],
      info: ["slack_configs"],
    });
  });

  it("leaves a channel out when the stack gives no credential for it", () => {
    const bare = alertmanagerConfig({}) as { receivers: Record<string, unknown>[] };
    assert.deepEqual(
      bare.receivers.map((r) => Object.keys(r)),
      [["name"], ["name"], ["name"], ["name"]],
    );
  });
});

describe("Dashboards as code", () => {
  const seedPanels: Record<string, { title: string; type: string; expr: string }[]> = {
    "services-overview": [
      {
        title: "Request Rate",
        type: "timeseries",
        expr: "sum(rate(http_requests_total[5m])) by (service)",
      },
      {
        title: "Response Time",
        type: "timeseries",
        expr: "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le, service))",
      },
      {
        title: "Error Rate",
        type: "timeseries",
        expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)',
      },
    ],
    realtime: [
      {
        title: "API Response Time",
        type: "timeseries",
        expr: "histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))",
      },
      { title: "WebSocket Connections", type: "stat", expr: "sum(websocket_connections_total)" },
      { title: "Message Throughput", type: "timeseries", expr: "rate(messages_sent_total[5m])" },
    ],
  };

  for (const d of dashboards) {
    it(`${d.title} parses as JSON and holds the seeds' panels and queries`, () => {
      const json = JSON.parse(dashboardJson(d)) as {
        uid: string;
        panels: { title: string; type: string; targets: { expr: string }[]; datasource: unknown }[];
      };
      assert.equal(json.uid, d.uid);
      assert.deepEqual(
        json.panels.map((p) => ({ title: p.title, type: p.type, expr: p.targets[0]!.expr })),
        seedPanels[d.slug],
      );
      for (const p of json.panels) {
        assert.deepEqual(p.datasource, { type: "prometheus", uid: "prometheus" });
      }
    });
  }
});

describe("Kubernetes objects of the Observability component", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Observability("observability", {
      target: "aws",
      tier: "prod",
      namespace: "monitoring",
      clusterName: "platform-prod",
      region: "us-east-1",
      scrapeTargets: targets,
      receivers: { pagerdutyKey: pulumi.secret("k") },
      clusterIdentity: {
        oidcProviderArn:
          "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/A",
        oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/A",
      },
      backups: { bucket: "b" },
      labels: {},
      tags: {},
    });
    await settle();
  });

  it("are PrometheusRules that pass the prometheus-operator schema", () => {
    const rules = recorded.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.equal(rules.length, 1);
    for (const r of rules)
      new PrometheusRule(recorded.inputs(r) as unknown as IPrometheusRule).validate();
  });

  it("are ServiceMonitors that pass the prometheus-operator schema", () => {
    const monitors = recorded.ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
    assert.equal(monitors.length, targets.length);
    for (const m of monitors) {
      new ServiceMonitor(recorded.inputs(m) as unknown as IServiceMonitor).validate();
    }
  });

  it("are dashboard ConfigMaps that pass the core schema and carry the sidecar label", () => {
    const maps = recorded.ofType("kubernetes:core/v1:ConfigMap");
    assert.equal(maps.length, dashboards.length);
    for (const m of maps) {
      const inputs = recorded.inputs(m);
      new ConfigMap({ apiVersion: "v1", kind: "ConfigMap", ...inputs } as ConfigMap).validate();
      const labels = (inputs.metadata as { labels: Record<string, string> }).labels;
      assert.equal(labels.grafana_dashboard, "1");
    }
  });

  it("fail the schema when a field has the wrong shape", () => {
    assert.throws(
      () =>
        new PrometheusRule({
          spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up", for: "5 minutes" }] }] },
        }).validate(),
      /for must match pattern/,
    );
  });

  it("refuse unknown fields when typed (checked by the compiler)", () => {
    const spec: IServiceMonitor["spec"] = {
      selector: {},
      // @ts-expect-error: `unknownField` is not a field of a ServiceMonitor endpoint.
      endpoints: [{ port: "http", unknownField: true }],
    };
    assert.ok(spec);
  });
});
