import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { localRedisImages } from "../../components/cache/local";
import { localPostgresImages } from "../../components/database/local";
import { minioImages } from "../../components/objectstore/local";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { at } from "../examples/plan";
import { repoRoot, runPlanCli } from "../support/run";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** podinfo 6.14.1: tag of stefanprodan/podinfo, whose release workflow pushes it to ghcr.io. */
const podinfo = "ghcr.io/stefanprodan/podinfo:6.14.1";

/** Pod templates of every workload kind, with the resource that holds each. */
function podTemplates(report: PlanReport): { resource: ReportResource; spec: Obj }[] {
  const paths: Record<string, string[]> = {
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  };
  return report.resources.flatMap((resource) => {
    const keys = paths[resource.type];
    return keys ? [{ resource, spec: at(resource.inputs, ...keys) as Obj }] : [];
  });
}

describe("The dev stack on a fresh kind cluster", () => {
  let report: PlanReport;
  const ofType = (type: string) => report.resources.filter((r) => r.type === type);
  const one = (type: string, name: string): ReportResource => {
    const found = ofType(type).filter((r) => r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}`);
    return found[0]!;
  };

  before(function () {
    this.timeout(240_000);
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dev-stack-")), "plan.json");
    const run = runPlanCli(["--stack", "dev", "--quiet", "--json", json]);
    assert.equal(run.status, 0, run.stderr);
    report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
  });

  it("has no Service of type LoadBalancer, which kind never gives an address", () => {
    const types = ofType("kubernetes:core/v1:Service").map((s) => at(s.inputs, "spec", "type"));
    assert.ok(!types.includes("LoadBalancer"), `Service types: ${types.join(", ")}`);
    assert.equal(
      at(one("kubernetes:core/v1:Service", "workloads-websocket-service").inputs, "spec", "type"),
      "NodePort",
    );
  });

  it("puts the ingress controller behind a NodePort too", () => {
    const nginx = one("kubernetes:helm.sh/v3:Release", "ingress-ingress-nginx");
    assert.equal(at(nginx.inputs, "values", "controller", "service", "type"), "NodePort");
  });

  it("runs every service on podinfo 6.14.1, probed on the paths it serves on port 9898", () => {
    const deployments = ofType("kubernetes:apps/v1:Deployment");
    assert.deepEqual(deployments.map((d) => d.name).sort(), [
      "workloads-api-deployment",
      "workloads-auth-deployment",
      "workloads-websocket-deployment",
    ]);
    for (const deployment of deployments) {
      const container = at(deployment.inputs, "spec", "template", "spec", "containers", 0) as Obj;
      assert.equal(container.image, podinfo, deployment.name);
      assert.deepEqual(container.ports, [{ name: "http", containerPort: 9898, protocol: "TCP" }]);
      assert.deepEqual(container.livenessProbe.httpGet, { path: "/healthz", port: 9898 });
      assert.deepEqual(container.readinessProbe.httpGet, { path: "/readyz", port: 9898 });
      assert.deepEqual(container.startupProbe.httpGet, { path: "/healthz", port: 9898 });
    }
  });

  it("runs the data services on the verified PostgreSQL, Redis and MinIO images", () => {
    const images = ofType("kubernetes:apps/v1:StatefulSet").map((s) =>
      at(s.inputs, "spec", "template", "spec", "containers", 0, "image"),
    );
    assert.deepEqual(images.sort(), [
      "minio/minio:RELEASE.2024-11-07T00-52-20Z",
      "postgres:15.17-bookworm",
      "redis:7.2.6-bookworm",
    ]);
    assert.equal(localPostgresImages["15"], "postgres:15.17-bookworm");
    assert.equal(localRedisImages["7.2"], "redis:7.2.6-bookworm");
    assert.equal(minioImages.client, "minio/mc:RELEASE.2024-11-05T11-29-45Z");
  });

  it("runs every pod restricted: non-root numeric uid, read-only root, nothing added, RuntimeDefault", () => {
    const templates = podTemplates(report);
    assert.ok(templates.length >= 7, `only ${templates.length} pod templates`);
    for (const { resource, spec } of templates) {
      assert.equal(spec.securityContext.runAsNonRoot, true, resource.name);
      assert.equal(typeof spec.securityContext.runAsUser, "number", resource.name);
      assert.deepEqual(spec.securityContext.seccompProfile, { type: "RuntimeDefault" });
      for (const container of spec.containers as Obj[]) {
        const context = container.securityContext as Obj;
        assert.equal(context.allowPrivilegeEscalation, false, resource.name);
        assert.equal(context.readOnlyRootFilesystem, true, resource.name);
        assert.equal(context.runAsNonRoot, true, resource.name);
        assert.equal(typeof context.runAsUser, "number", resource.name);
        assert.deepEqual(context.capabilities, { drop: ["ALL"] }, resource.name);
        // A read-only root needs somewhere to write: /tmp is always an emptyDir.
        const mounts = (container.volumeMounts as Obj[]).map((m) => m.mountPath);
        assert.ok(mounts.includes("/tmp"), `${resource.name}: no writable /tmp`);
      }
    }
  });

  it("installs metrics-server with --kubelet-insecure-tls before the workloads and their HPAs", () => {
    one("platform:index:MetricsServer", "metrics-server");
    const release = one("kubernetes:helm.sh/v3:Release", "metrics-server-release");
    assert.equal(at(release.inputs, "version"), "3.13.1");
    assert.equal(at(release.inputs, "namespace"), "kube-system");
    assert.deepEqual(at(release.inputs, "values", "args"), ["--kubelet-insecure-tls"]);
    // A dependency on a component is one on each of its children: the release. The
    // application's namespace carries it, and every HPA waits for the namespace.
    const namespace = one("kubernetes:core/v1:Namespace", "workloads-dev");
    assert.ok(
      namespace.dependencies.includes(release.urn),
      `the namespace depends on: ${namespace.dependencies.join(", ")}`,
    );
    const hpas = ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    assert.equal(hpas.length, 3);
    for (const hpa of hpas) assert.ok(hpa.dependencies.includes(namespace.urn), hpa.name);
  });

  it("creates nothing of the workloads before the ingress controller and metrics-server", () => {
    const namespaces = ofType("kubernetes:core/v1:Namespace").filter((n) =>
      n.parent.endsWith("platform:index:Workloads::workloads"),
    );
    const workloadsChildren = report.resources.filter(
      (r) => r.custom && r.parent.endsWith("platform:index:Workloads::workloads"),
    );
    const nginx = one("kubernetes:helm.sh/v3:Release", "ingress-ingress-nginx");
    const metrics = one("kubernetes:helm.sh/v3:Release", "metrics-server-release");
    for (const ns of namespaces) {
      assert.ok(ns.dependencies.includes(nginx.urn), ns.name);
      assert.ok(ns.dependencies.includes(metrics.urn), ns.name);
    }
    for (const child of workloadsChildren) {
      if (namespaces.includes(child)) continue;
      assert.ok(
        namespaces.some((ns) => child.dependencies.includes(ns.urn)),
        `${child.type} ${child.name} does not wait for a namespace`,
      );
    }
  });

  it("lets the monitoring namespace's exporters, and nothing else there, reach PostgreSQL and Redis", () => {
    const policy = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-exporters");
    assert.equal(at(policy.inputs, "metadata", "namespace"), "dev-data");
    const rules = at(policy.inputs, "spec", "ingress") as Obj[];
    const reach = rules.map((rule) => ({
      ports: (rule.ports as Obj[]).map((p) => p.port as number),
      namespaces: (rule.from as Obj[]).map(
        (peer) => peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] as string,
      ),
      podSelected: (rule.from as Obj[]).every(
        (peer) => Object.keys(peer.podSelector?.matchLabels ?? {}).length > 0,
      ),
    }));
    assert.deepEqual(reach, [
      { ports: [5432], namespaces: ["monitoring"], podSelected: true },
      { ports: [6379], namespaces: ["monitoring"], podSelected: true },
    ]);
  });

  it("scrapes the ingress controller and cert-manager once the monitoring CRDs exist", () => {
    const stack = one("kubernetes:helm.sh/v3:Release", "observability-prometheus-stack");
    const monitors = ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").filter((m) =>
      /ingress-nginx|cert-manager/.test(m.name),
    );
    assert.deepEqual(
      monitors.map((m) => at(m.inputs, "spec", "namespaceSelector", "matchNames")),
      [["ingress-nginx"], ["cert-manager"]],
    );
    for (const monitor of monitors)
      assert.ok(monitor.dependencies.includes(stack.urn), monitor.name);
  });

  it("passes the policy pack with no mandatory violation", () => {
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
    assert.deepEqual(mandatory, []);
  });
});

describe("The dev stack's kind cluster (kind-cluster.yaml)", () => {
  const file = fs.readFileSync(path.join(repoRoot, "kind-cluster.yaml"), "utf8");
  const stack = fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");

  it("is named so that its context is the stack's platform:local.kubeContext", () => {
    assert.match(file, /^name: platform$/m);
    assert.match(stack, /^ {4}kubeContext: kind-platform$/m);
  });

  it("pins kind v0.32.0's Kubernetes 1.36.1 node image by digest", () => {
    assert.match(
      file,
      /image: kindest\/node:v1\.36\.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5$/m,
    );
  });

  it("keeps kind's own CNI, which enforces NetworkPolicy", () => {
    assert.doesNotMatch(file, /disableDefaultCNI/);
  });
});
