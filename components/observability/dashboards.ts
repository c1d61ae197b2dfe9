import * as k8s from "@pulumi/kubernetes";
import type { ObservabilityContext } from "./index";

/** One query of a panel. */
export interface PanelTarget {
  readonly expr: string;
  readonly legendFormat: string;
}

/** A panel as the seeds describe it. */
export interface PanelSpec {
  readonly title: string;
  readonly type: "timeseries" | "stat";
  readonly unit: string;
  readonly targets: readonly PanelTarget[];
}

export interface DashboardSpec {
  /** File and ConfigMap name stem. */
  readonly slug: string;
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** The Prometheus data source kube-prometheus-stack provisions in Grafana. */
export const prometheusDatasource = { type: "prometheus", uid: "prometheus" } as const;

/**
 * The seeds' dashboards: seed 001's services overview (request rate, p95 response time and
 * error rate by service) and seed 000's realtime view (API p95, websocket connections,
 * message throughput). Queries are the seeds' own.
 */
export const dashboards: readonly DashboardSpec[] = [
  {
    slug: "services-overview",
    uid: "platform-services",
    title: "Application Services Overview",
    panels: [
      {
        title: "Request Rate",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: "sum(rate(http_requests_total[5m])) by (service)",
            legendFormat: "{{ service }}",
          },
        ],
      },
      {
        title: "Response Time",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le, service))",
            legendFormat: "95th percentile - {{ service }}",
          },
        ],
      },
      {
        title: "Error Rate",
        type: "timeseries",
        unit: "percentunit",
        targets: [
          {
            expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)',
            legendFormat: "Error rate - {{ service }}",
          },
        ],
      },
    ],
  },
  {
    slug: "realtime",
    uid: "platform-realtime",
    title: "Realtime Platform Metrics",
    panels: [
      {
        title: "API Response Time",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: "histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))",
            legendFormat: "95th percentile",
          },
        ],
      },
      {
        title: "WebSocket Connections",
        type: "stat",
        unit: "short",
        targets: [{ expr: "sum(websocket_connections_total)", legendFormat: "Active Connections" }],
      },
      {
        title: "Message Throughput",
        type: "timeseries",
        unit: "ops",
        targets: [{ expr: "rate(messages_sent_total[5m])", legendFormat: "Messages per second" }],
      },
    ],
  },
];

/** Grafana dashboard JSON (schema of Grafana 10/11), panels two to a row. */
export function dashboardJson(spec: DashboardSpec): string {
  const panels = spec.panels.map((p, i) => ({
    id: i + 1,
    title: p.title,
    type: p.type,
    datasource: prometheusDatasource,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    options: {},
    targets: p.targets.map((t, j) => ({
      refId: String.fromCharCode(65 + j),
      datasource: prometheusDatasource,
      expr: t.expr,
      legendFormat: t.legendFormat,
    })),
  }));
  return JSON.stringify(
    {
      uid: spec.uid,
      title: spec.title,
      tags: ["platform"],
      timezone: "utc",
      schemaVersion: 39,
      version: 1,
      editable: false,
      refresh: "30s",
      time: { from: "now-6h", to: "now" },
      panels,
    },
    null,
    2,
  );
}

/** One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar. */
export function createDashboards(ctx: ObservabilityContext): k8s.core.v1.ConfigMap[] {
  const { name, args, parent } = ctx;
  return dashboards.map(
    (d) =>
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${d.slug}`,
        {
          metadata: {
            name: `dashboard-${d.slug}`,
            namespace: args.namespace,
            labels: { ...args.labels, grafana_dashboard: "1" },
          },
          data: { [`${d.slug}.json`]: dashboardJson(d) },
        },
        { parent },
      ),
  );
}
