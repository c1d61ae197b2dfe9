import { strict as assert } from "node:assert";
import { monitoredRoutes } from "../../tools/plan/failover-routes";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { at, planExample, type PlannedExample } from "../examples/plan";

const deployment = "kubernetes:apps/v1:Deployment";

/** The monitored routes as rows: monitor, Host + path, pool, cluster, Ingress, Service. */
function routeRows(plan: PlannedExample): string[][] {
  return monitoredRoutes(plan.report)
    .routes.map((r) => [
      r.monitor,
      `${r.host}${r.path}`,
      r.pool,
      r.cluster,
      r.ingress ?? "-",
      r.service ?? "-",
      r.admitted === true ? "admits the controller" : "-",
    ])
    .sort((a, b) => a.join().localeCompare(b.join()));
}

/** Deployments on the standby's cluster, by the name Kubernetes gets. */
function standbyDeployments(plan: PlannedExample): string[] {
  return plan.report.resources
    .filter((r) => r.type === deployment && r.name.startsWith("standby-"))
    .map((r) => String(at(r.inputs, "metadata", "name")))
    .sort();
}

describe("Seed 000's failover (examples/enrichment, prod)", function () {
  this.timeout(300_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("enrichment", "prod");
  });

  it("probes each load-balanced host on a path an Ingress routes on both pools' clusters, to pods that admit the controller", () => {
    assert.deepEqual(monitoredRoutes(plan.report).problems, []);
    assert.deepEqual(routeRows(plan), [
      [
        "edge-monitor-api",
        "api.enrichment.example.com/ready",
        "edge-pool-api-aws",
        "primary",
        "workloads-api-ingress",
        "api",
        "admits the controller",
      ],
      [
        "edge-monitor-api",
        "api.enrichment.example.com/ready",
        "edge-pool-api-gcp",
        "standby",
        "standby-workloads-api-ingress",
        "api",
        "admits the controller",
      ],
      [
        "edge-monitor-app",
        "app.enrichment.example.com/health",
        "edge-pool-app-aws",
        "primary",
        "workloads-web-ingress",
        "web",
        "admits the controller",
      ],
      [
        "edge-monitor-app",
        "app.enrichment.example.com/health",
        "edge-pool-app-gcp",
        "standby",
        "standby-workloads-web-ingress",
        "web",
        "admits the controller",
      ],
    ]);
  });

  it("runs every service behind app and api on the standby, the API without OpenSearch there", () => {
    assert.deepEqual(standbyDeployments(plan), ["ai", "api", "web", "websocket"]);
    assert.deepEqual(at(plan.report.outputs, "standbyServicesLeftOut"), []);
    const env = (name: string) =>
      (
        at(
          plan.report.resources.find((r) => r.type === deployment && r.name === name)!.inputs,
          "spec",
          "template",
          "spec",
          "containers",
          0,
          "env",
        ) as { name: string }[]
      ).map((e) => e.name);
    assert.deepEqual(env("standby-workloads-api-deployment"), [
      "NODE_ENV",
      "DATABASE_URL",
      "REDIS_URL",
    ]);
    // OpenSearch reaches the primary's API only: SEARCH_URL is in its connection data, and the
    // standby's holds the bucket alone.
    const data = (name: string) =>
      Object.keys(
        at(
          plan.report.resources.find(
            (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === name,
          )!.inputs,
          "data",
        ) as Record<string, string>,
      ).sort();
    assert.deepEqual(data("workloads-api-connection-data"), [
      "AWS_REGION",
      "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
      "BUCKET_UPLOADS",
      "SEARCH_URL",
    ]);
    assert.deepEqual(data("standby-workloads-api-connection-data"), ["BUCKET_UPLOADS"]);
  });

  it("prints the RTO with its parts: failover 165 s, then web's climb from 1 to 3 replicas", () => {
    const rto = at(plan.report.outputs, "recovery", "rto") as Record<string, unknown>;
    assert.deepEqual(
      [
        rto.detectionSeconds,
        rto.steeringSeconds,
        rto.dnsSeconds,
        rto.servingSeconds,
        rto.scaleUpSeconds,
        rto.nodesSeconds,
        rto.seconds,
      ],
      [135, 30, 0, 165, 190, 0, 355],
    );
    assert.equal(at(rto, "slowestService", "service"), "web");
  });
});

describe("Seed 002's failover (examples/travelsense, prod)", function () {
  this.timeout(300_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("travelsense", "prod");
  });

  it("probes the frontend's and the gateway's hosts on their readiness paths, routed on both clusters", () => {
    assert.deepEqual(monitoredRoutes(plan.report).problems, []);
    const row = (host: string, cluster: string, service: string) => [
      `edge-monitor-${host}`,
      `${host}.travelsense.example.com/ready`,
      `edge-pool-${host}-${cluster === "primary" ? "aws" : "gcp"}`,
      cluster,
      `${cluster === "primary" ? "" : "standby-"}workloads-${service}-ingress`,
      service,
      "admits the controller",
    ];
    assert.deepEqual(routeRows(plan), [
      row("api", "primary", "gateway"),
      row("api", "standby", "gateway"),
      row("app", "primary", "web"),
      row("app", "standby", "web"),
    ]);
    const gateway = plan.inputs(deployment, "workloads-gateway-deployment");
    assert.equal(
      at(gateway, "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "path"),
      "/ready",
    );
  });

  it("runs the frontend, the gateway and what the gateway calls on the standby", () => {
    assert.deepEqual(standbyDeployments(plan), [
      "ai",
      "auth",
      "export",
      "gateway",
      "trip",
      "web",
      "worker",
    ]);
  });

  it("meets seed 002's RTO of one hour by its own arithmetic, printed against the target", () => {
    const rto = at(plan.report.outputs, "recovery", "rto") as Record<string, unknown>;
    assert.deepEqual(
      [rto.servingSeconds, rto.scaleUpSeconds, rto.seconds, rto.targetSeconds],
      [165, 175, 340, 3600],
    );
    assert.ok(Number(rto.seconds) <= 3600);
  });
});

describe("The monitored-route check over a plan", () => {
  const monitorUrn =
    "urn:pulumi:prod::platform::cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor::edge-monitor-app";
  const resource = (type: string, name: string, inputs: unknown, monitor?: string) =>
    ({
      urn: `urn:${name}`,
      type,
      name,
      inputs,
      propertyDependencies: monitor ? { monitor: [monitor] } : {},
    }) as unknown as ReportResource;
  const ingress = (name: string, path: string, pathType = "Prefix") =>
    resource("kubernetes:networking.k8s.io/v1:Ingress", name, {
      spec: {
        ingressClassName: "nginx",
        rules: [
          {
            host: "app.example.com",
            http: { paths: [{ path, pathType, backend: { service: { name: "web" } } }] },
          },
        ],
      },
    });
  const service = (name: string) =>
    resource("kubernetes:core/v1:Service", name, { metadata: { name: "web" } });
  const controller = (name: string) =>
    resource("kubernetes:helm.sh/v3:Release", name, {
      chart: "ingress-nginx",
      namespace: "ingress-nginx",
    });
  /** The web pods' NetworkPolicy, admitting traffic from `namespace`. */
  const policy = (name: string, namespace: string) =>
    resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", name, {
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } },
            ],
          },
        ],
      },
    });
  const report = (...extra: ReportResource[]) =>
    ({
      outputs: { ingressAddress: "nlb.example", standbyIngressAddress: "198.51.100.7" },
      resources: [
        {
          ...resource(
            "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor",
            "edge-monitor-app",
            { path: "/web/health", header: { Host: ["app.example.com"] } },
          ),
          urn: monitorUrn,
        },
        resource(
          "cloudflare:index/loadBalancerPool:LoadBalancerPool",
          "edge-pool-app-aws",
          { origins: [{ address: "nlb.example" }] },
          monitorUrn,
        ),
        resource(
          "cloudflare:index/loadBalancerPool:LoadBalancerPool",
          "edge-pool-app-gcp",
          { origins: [{ address: "198.51.100.7" }] },
          monitorUrn,
        ),
        service("workloads-web-service"),
        service("standby-workloads-web-service"),
        controller("ingress-ingress-nginx"),
        controller("standby-ingress-ingress-nginx"),
        ...extra,
      ],
    }) as unknown as PlanReport;

  const admitted = [
    policy("workloads-web-network-policy", "ingress-nginx"),
    policy("standby-workloads-web-network-policy", "ingress-nginx"),
  ];

  it("passes when both clusters route the host and path and admit the controller", () => {
    const checked = monitoredRoutes(
      report(
        ingress("workloads-web-ingress", "/web"),
        ingress("standby-workloads-web-ingress", "/"),
        ...admitted,
      ),
    );
    assert.deepEqual(checked.problems, []);
    assert.deepEqual(
      checked.routes.map((r) => [r.cluster, r.ingress, r.admitted]),
      [
        ["primary", "workloads-web-ingress", true],
        ["standby", "standby-workloads-web-ingress", true],
      ],
    );
  });

  it("names the pool whose cluster has no Ingress for it", () => {
    assert.deepEqual(
      monitoredRoutes(report(ingress("workloads-web-ingress", "/"), ...admitted)).problems,
      [
        "monitor edge-monitor-app probes app.example.com/web/health, which no Ingress routes on the standby cluster behind pool edge-pool-app-gcp",
      ],
    );
  });

  it("names the cluster where the service's NetworkPolicy keeps the ingress controller out", () => {
    assert.deepEqual(
      monitoredRoutes(
        report(
          ingress("workloads-web-ingress", "/"),
          ingress("standby-workloads-web-ingress", "/"),
          policy("workloads-web-network-policy", "ingress-nginx"),
          policy("standby-workloads-web-network-policy", "monitoring"),
        ),
      ).problems,
      [
        "monitor edge-monitor-app probes app.example.com/web/health: on the standby cluster, no NetworkPolicy of service web admits the ingress controller's namespace",
      ],
    );
  });

  it("matches prefixes by whole segments, and Exact paths exactly", () => {
    const problems = monitoredRoutes(
      report(
        ingress("workloads-web-ingress", "/we"),
        ingress("standby-workloads-web-ingress", "/web/health/", "Exact"),
        ...admitted,
      ),
    ).problems;
    assert.equal(problems.length, 2);
  });
});
