import { strict as assert } from "node:assert";
import { Observability, type ObservabilityArgs } from "../../components/observability";
import { customMetricsChart } from "../../components/observability/custom-metrics";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const release = "kubernetes:helm.sh/v3:Release";

function args(overrides: Partial<ObservabilityArgs>): ObservabilityArgs {
  return {
    target: "local",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    scrapeTargets: [{ name: "auth-service", namespace: "production", port: "http", path: "" }],
    receivers: {},
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: {},
    ...overrides,
  };
}

describe("Observability with HPAs scaling on pods metrics", () => {
  let recorded: Recorded;
  let adapter: Values;
  before(async () => {
    recorded = useMocks({ stack: "prod" });
    new Observability(
      "observability",
      args({
        podsMetrics: [
          { name: "requests_per_second", counter: "http_requests_total" },
          { name: "jobs_per_second", counter: "jobs_processed_total" },
        ],
      }),
    );
    await settle();
    adapter = recorded.inputs(recorded.one(release, "observability-custom-metrics")) as Values;
  });

  it("installs prometheus-adapter 5.3.0 from prometheus-community in the monitoring namespace", () => {
    assert.deepEqual(customMetricsChart, {
      chart: "prometheus-adapter",
      version: "5.3.0",
      repo: "https://prometheus-community.github.io/helm-charts",
    });
    assert.deepEqual(
      [adapter.name, adapter.chart, adapter.version, adapter.repositoryOpts, adapter.namespace],
      [
        "prometheus-adapter",
        "prometheus-adapter",
        "5.3.0",
        { repo: "https://prometheus-community.github.io/helm-charts" },
        "monitoring",
      ],
    );
  });

  it("reads the kube-prometheus-stack Prometheus service", () => {
    assert.deepEqual(adapter.values.prometheus, {
      url: "http://kps-prometheus.monitoring.svc",
      port: 9090,
    });
  });

  it("serves each pods metric as the 2-minute rate of its counter per pod, and nothing else", () => {
    const rule = (counter: string, name: string) => ({
      seriesQuery: `${counter}{namespace!="",pod!=""}`,
      resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
      name: { matches: `^${counter}$`, as: name },
      metricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)",
    });
    assert.deepEqual(adapter.values.rules, {
      default: false,
      custom: [
        rule("http_requests_total", "requests_per_second"),
        rule("jobs_processed_total", "jobs_per_second"),
      ],
    });
  });

  it("runs two replicas as non-root without privileges, with requests and limits", () => {
    const v = adapter.values;
    assert.equal(v.replicas, 2);
    assert.deepEqual(v.podSecurityContext, {
      runAsNonRoot: true,
      runAsUser: 65534,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(v.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(v.resources, {
      requests: { cpu: "200m", memory: "256Mi" },
      limits: { cpu: "400m", memory: "512Mi" },
    });
  });

  it("starts after the Prometheus stack it reads", () => {
    const stack = recorded.one(release, "observability-prometheus-stack");
    assert.ok(
      recorded.one(release, "observability-custom-metrics").dependencies.includes(stack.urn),
    );
  });
});

describe("Observability without pods metrics", () => {
  it("installs no prometheus-adapter", async () => {
    const recorded = useMocks({ stack: "prod" });
    new Observability("observability", args({}));
    await settle();
    assert.deepEqual(
      recorded.ofType(release).filter((r) => recorded.inputs(r).chart === "prometheus-adapter"),
      [],
    );
  });

  it("refuses one metric name listed twice", () => {
    assert.throws(
      () =>
        new Observability(
          "refused",
          args({
            podsMetrics: [
              { name: "requests_per_second", counter: "http_requests_total" },
              { name: "requests_per_second", counter: "http_requests_total" },
            ],
          }),
        ),
      {
        name: "ComponentError",
        message:
          "Observability refused: invalid args:\n" +
          "  - podsMetrics: requests_per_second is listed twice; the adapter serves a name once",
      },
    );
  });
});
