import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { notKubernetesObjects, schemaProblems } from "../support/kubernetes-schema";
import { runPlanCli } from "../support/run";

interface PlanJson {
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  violations: unknown[];
  errors: string[];
}

/** Paths whose value the plan redacts as "[secret]"; removed, and returned, before validation. */
function dropRedacted(value: unknown, at: string, found: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => dropRedacted(v, `${at}[${i}]`, found));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === "[secret]") found.push(`${at}.${k}`);
      else out[k] = dropRedacted(v, `${at}.${k}`, found);
    }
    return out;
  }
  return value;
}

const clusterIssuer = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const validIssuer = {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "letsencrypt-prod" },
  spec: {
    acme: {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: "platform-team@example.com",
      privateKeySecretRef: { name: "letsencrypt-prod-account-key" },
      solvers: [{ http01: { ingress: { class: "nginx" } } }],
    },
  },
};

describe("Kubernetes schema validation", () => {
  it("accepts a well-formed ClusterIssuer", () => {
    assert.deepEqual(schemaProblems(clusterIssuer, validIssuer), []);
  });

  it("fails a ClusterIssuer whose spec.acme is misspelt spec.acmee", () => {
    const { acme, ...rest } = validIssuer.spec;
    const bad = { ...validIssuer, spec: { ...rest, acmee: acme } };
    assert.deepEqual(schemaProblems(clusterIssuer, bad), ['.spec: unknown field "acmee"']);
  });

  it("fails a Deployment container with a misspelt field", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api" },
      spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "api", image: "api:1.0.0", readinesProbe: {} }] },
        },
      },
    };
    assert.deepEqual(schemaProblems("kubernetes:apps/v1:Deployment", deployment), [
      '.spec.template.spec.containers[0]: unknown field "readinesProbe"',
    ]);
  });

  it("fails a CronJob whose concurrencyPolicy is misspelt concurrency", () => {
    const cronJob = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "scheduler" },
      spec: {
        schedule: "*/5 * * * *",
        concurrency: "Forbid",
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: "Never", containers: [{ name: "s", image: "s:1.0.0" }] },
            },
          },
        },
      },
    };
    assert.deepEqual(schemaProblems("kubernetes:batch/v1:CronJob", cronJob), [
      '.spec: unknown field "concurrency"',
    ]);
  });

  it("fails a value of the wrong type", () => {
    const hpa = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "api" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: "3",
        maxReplicas: 20,
      },
    };
    const problems = schemaProblems("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", hpa);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /minReplicas must be integer/);
  });
});

describe("The dev stack's plan", function () {
  this.timeout(180_000);
  let plan: PlanJson;

  before(() => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "dev.json");
    const run = runPlanCli(["--stack", "dev", "--quiet", "--json", json]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
  });

  it("has no AWS or GCP resource and no AWS or GCP provider", () => {
    const cloud = plan.resources.filter((r) =>
      /^(aws|gcp):|^pulumi:providers:(aws|gcp)$/.test(r.type),
    );
    assert.deepEqual(
      cloud.map((r) => `${r.type} ${r.name}`),
      [],
    );
  });

  it("builds a complete local environment: data services, workloads, ingress and observability", () => {
    const count = (type: string) => plan.resources.filter((r) => r.type === type).length;
    assert.equal(count("platform:index:LocalDataServices"), 1);
    assert.equal(count("platform:index:Workloads"), 1);
    assert.equal(count("platform:index:Ingress"), 1);
    assert.equal(count("platform:index:Observability"), 1);
    assert.equal(count("platform:index:MetricsServer"), 1);
    assert.equal(count("kubernetes:apps/v1:StatefulSet"), 3);
    assert.equal(count("kubernetes:apps/v1:Deployment"), 3);
    // ingress-nginx and cert-manager; kube-prometheus-stack, Jaeger, Fluent Bit, two exporters;
    // metrics-server, which kind does not ship
    assert.equal(count("kubernetes:helm.sh/v3:Release"), 8);
    assert.equal(count(clusterIssuer), 1);
    assert.deepEqual(plan.violations, []);
    assert.deepEqual(plan.errors, []);
  });

  it("registers only Kubernetes objects that validate against the upstream schemas", () => {
    const kubernetes = plan.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && !notKubernetesObjects.has(r.type),
    );
    assert.ok(kubernetes.length > 40, `only ${kubernetes.length} Kubernetes objects`);
    const redacted: string[] = [];
    const problems = kubernetes.flatMap((r) =>
      schemaProblems(r.type, dropRedacted(r.inputs, `${r.type} ${r.name}`, redacted)).map(
        (p) => `${r.type} ${r.name}: ${p}`,
      ),
    );
    assert.deepEqual(problems, []);
    // Only Secrets' values are redacted in the plan; everything else was validated.
    assert.ok(
      redacted.every((p) => /^kubernetes:core\/v1:Secret \S+\.stringData$/.test(p)),
      redacted.join("\n"),
    );
  });
});
