import { strict as assert } from "node:assert";
import { MetricsServer } from "../../components/metrics-server";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Top-level keys of charts/metrics-server/values.yaml at kubernetes-sigs/metrics-server tag
 * metrics-server-helm-chart-3.13.1: a key outside them is ignored by the chart.
 */
const chartValueKeys = [
  "image",
  "imagePullSecrets",
  "nameOverride",
  "fullnameOverride",
  "serviceAccount",
  "rbac",
  "apiService",
  "commonLabels",
  "podLabels",
  "podAnnotations",
  "podSecurityContext",
  "securityContext",
  "priorityClassName",
  "containerPort",
  "hostNetwork",
  "replicas",
  "revisionHistoryLimit",
  "updateStrategy",
  "podDisruptionBudget",
  "defaultArgs",
  "args",
  "livenessProbe",
  "readinessProbe",
  "service",
  "addonResizer",
  "metrics",
  "serviceMonitor",
  "resources",
  "extraVolumeMounts",
  "extraVolumes",
  "nodeSelector",
  "tolerations",
  "affinity",
  "topologySpreadConstraints",
  "dnsConfig",
  "deploymentAnnotations",
  "schedulerName",
  "tmpVolume",
  "tls",
];

describe("MetricsServer on a local cluster", () => {
  let recorded: Recorded;
  const release = (): Obj =>
    recorded.inputs(recorded.one("kubernetes:helm.sh/v3:Release", "metrics-server-release"));

  before(async () => {
    recorded = useMocks();
    new MetricsServer("metrics-server", {
      kubeletInsecureTls: true,
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
    });
    await settle();
  });

  it("installs chart metrics-server 3.13.1 from kubernetes-sigs' repository into kube-system", () => {
    const r = release();
    assert.equal(r.name, "metrics-server");
    assert.equal(r.chart, "metrics-server");
    assert.equal(r.version, "3.13.1");
    assert.deepEqual(r.repositoryOpts, {
      repo: "https://kubernetes-sigs.github.io/metrics-server/",
    });
    assert.equal(r.namespace, "kube-system");
    assert.equal(r.createNamespace, false);
    assert.equal(r.atomic, true);
    assert.equal(r.timeout, 600);
  });

  it("skips verifying the kubelets' certificates, which kind signs with its own CA", () => {
    assert.deepEqual(release().values.args, ["--kubelet-insecure-tls"]);
  });

  it("runs one replica under the restricted profile: non-root 1000, read-only root, nothing added", () => {
    const values = release().values;
    assert.equal(values.replicas, 1);
    assert.deepEqual(values.podSecurityContext, {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(values.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("gives the container requests and limits", () => {
    assert.deepEqual(release().values.resources, {
      requests: { cpu: "100m", memory: "200Mi" },
      limits: { cpu: "500m", memory: "400Mi" },
    });
  });

  it("labels the chart's objects with the stack's labels", () => {
    assert.deepEqual(release().values.commonLabels, {
      "app.kubernetes.io/part-of": "platform-dev",
    });
  });

  it("sets only keys the chart's values.yaml has at 3.13.1", () => {
    for (const key of Object.keys(release().values)) {
      assert.ok(chartValueKeys.includes(key), `metrics-server 3.13.1 has no value "${key}"`);
    }
  });

  it("is parented to the component", () => {
    const r = recorded.one("kubernetes:helm.sh/v3:Release", "metrics-server-release");
    assert.match(r.parent, /platform:index:MetricsServer::metrics-server$/);
  });
});

describe("MetricsServer on a cluster whose kubelets serve trusted certificates", () => {
  it("verifies the kubelets' certificates", async () => {
    const recorded = useMocks();
    new MetricsServer("metrics-server", {});
    await settle();
    const values = recorded.inputs(
      recorded.one("kubernetes:helm.sh/v3:Release", "metrics-server-release"),
    ) as Obj;
    assert.deepEqual(values.values.args, []);
  });
});

describe("MetricsServer with two replicas (EKS)", () => {
  it("keeps one replica up through node drains with a disruption budget", async () => {
    const recorded = useMocks();
    new MetricsServer("metrics-server", { replicas: 2 });
    await settle();
    const values = (
      recorded.inputs(
        recorded.one("kubernetes:helm.sh/v3:Release", "metrics-server-release"),
      ) as Obj
    ).values;
    assert.equal(values.replicas, 2);
    assert.deepEqual(values.podDisruptionBudget, { enabled: true, minAvailable: 1 });
    for (const key of Object.keys(values)) {
      assert.ok(chartValueKeys.includes(key), `metrics-server 3.13.1 has no value "${key}"`);
    }
  });

  it("has no disruption budget with one replica, which would block every drain", async () => {
    const recorded = useMocks();
    new MetricsServer("metrics-server", {});
    await settle();
    const values = (
      recorded.inputs(
        recorded.one("kubernetes:helm.sh/v3:Release", "metrics-server-release"),
      ) as Obj
    ).values;
    assert.equal(values.podDisruptionBudget, undefined);
  });
});
