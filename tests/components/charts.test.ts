import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Ingress } from "../../components/ingress";
import { charts as ingressCharts } from "../../components/ingress/values";
import { Observability, type ObservabilityArgs } from "../../components/observability";
import { customMetricsChart } from "../../components/observability/custom-metrics";
import { loggingChart } from "../../components/observability/logging";
import {
  charts as monitoringCharts,
  restrictedContainer,
  restrictedPod,
} from "../../components/observability/prometheus-stack";
import { tracingChart } from "../../components/observability/tracing";
import { veleroChart, veleroPlugins } from "../../components/observability/velero";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const release = "kubernetes:helm.sh/v3:Release";
const issuer = "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";

function args(overrides: Partial<ObservabilityArgs>): ObservabilityArgs {
  return {
    target: "aws",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    region: "us-west-2",
    scrapeTargets: [{ name: "auth", namespace: "production", port: "http", path: "" }],
    podsMetrics: [{ name: "requests_per_second", counter: "http_requests_total" }],
    receivers: {},
    clusterIdentity: {
      oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${issuer}`,
      oidcIssuer: issuer,
    },
    backups: { bucket: "platform-prod-backups" },
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: {},
    ...overrides,
  };
}

const inClusterData: ObservabilityArgs["inClusterData"] = {
  postgres: {
    host: "postgres.dev-data.svc.cluster.local",
    port: 5432,
    database: "app",
    username: "app",
    password: pulumi.secret("postgres-password-0d1c2b3a"),
  },
  redis: {
    address: "redis.dev-data.svc.cluster.local:6379",
    password: pulumi.secret("redis-password-9e8f7a6b"),
  },
};

/**
 * Every chart the platform installs, at the version whose tag was checked in the chart's own
 * repository (README "Charts and versions" says where).
 */
const pinned = {
  "kube-prometheus-stack": "65.1.1",
  "prometheus-postgres-exporter": "6.4.0",
  "prometheus-redis-exporter": "6.6.0",
  "prometheus-adapter": "5.3.0",
  jaeger: "3.4.1",
  "fluent-bit": "0.47.10",
  velero: "12.1.0",
  "ingress-nginx": "4.15.1",
  "cert-manager": "v1.21.1",
};

/** Top-level keys of each exporter chart's values.yaml at the pinned version. */
const redisExporterKeys = [
  "rbac",
  "serviceAccount",
  "replicaCount",
  "image",
  "command",
  "extraArgs",
  "customLabels",
  "securityContext",
  "env",
  "service",
  "resources",
  "nodeSelector",
  "tolerations",
  "affinity",
  "priorityClassName",
  "extraManifests",
  "redisAddress",
  "annotations",
  "labels",
  "redisAddressConfig",
  "redisTlsConfig",
  "serviceMonitor",
  "prometheusRule",
  "auth",
  "podSecurityContext",
];
const postgresExporterKeys = [
  "replicaCount",
  "image",
  "command",
  "service",
  "automountServiceAccountToken",
  "serviceMonitor",
  "prometheusRule",
  "priorityClassName",
  "resources",
  "rbac",
  "serviceAccount",
  "networkPolicy",
  "podSecurityContext",
  "securityContext",
  "hostAliases",
  "config",
  "nodeSelector",
  "tolerations",
  "affinity",
  "annotations",
  "podLabels",
  "livenessProbe",
  "readinessProbe",
  "deployment",
  "extraEnvs",
  "initContainers",
  "extraContainers",
  "extraVolumes",
  "extraVolumeMounts",
  "extraManifests",
  "podDisruptionBudget",
];

/**
 * Top-level keys of the other charts' values.yaml at the pinned version (a key Helm does not
 * know is dropped without a word).
 */
const chartKeys: Record<string, string> = {
  "prometheus-redis-exporter": redisExporterKeys.join(" "),
  "prometheus-postgres-exporter": postgresExporterKeys.join(" "),
  "kube-prometheus-stack":
    "additionalPrometheusRulesMap alertmanager cleanPrometheusOperatorObjectNames commonLabels coreDns crds customRules defaultRules extraManifests fullnameOverride global grafana kube-state-metrics kubeApiServer kubeControllerManager kubeDns kubeEtcd kubeProxy kubeScheduler kubeStateMetrics kubeTargetVersionOverride kubeVersionOverride kubelet kubernetesServiceMonitors nameOverride namespaceOverride nodeExporter prometheus prometheus-node-exporter prometheus-windows-exporter prometheusOperator thanosRuler windowsMonitoring",
  "prometheus-adapter":
    "affinity automountServiceAccountToken certManager customAnnotations customLabels deploymentAnnotations dnsConfig env extraArguments extraContainers extraManifests extraVolumeMounts extraVolumes fullnameOverride hostNetwork image listenPort livenessProbe logLevel metricsRelistInterval nameOverride namespaceOverride nodeSelector podAnnotations podDisruptionBudget podLabels podSecurityContext priorityClassName prometheus rbac readinessProbe replicas resources revisionHistoryLimit rules securityContext service serviceAccount startupProbe strategy tls tolerations topologySpreadConstraints",
  jaeger:
    "agent allInOne cassandra collector elasticsearch esIndexCleaner esLookback esRollover extraObjects fullnameOverride global hotrod ingester kafka nameOverride networkPolicy provisionDataStore query schema spark storage tag",
  "fluent-bit":
    "affinity annotations args autoscaling command config daemonSetVolumeMounts daemonSetVolumes dashboards dnsConfig dnsPolicy env envFrom envWithTpl existingConfigMap extraContainers extraPorts extraVolumeMounts extraVolumes flush fullnameOverride hostAliases hostNetwork hotReload image imagePullSecrets ingress initContainers kind labels lifecycle livenessProbe logLevel luaScripts metricsPort minReadySeconds nameOverride networkPolicy nodeSelector openShift podAnnotations podDisruptionBudget podLabels podSecurityContext podSecurityPolicy priorityClassName prometheusRule rbac readinessProbe replicaCount resources securityContext service serviceAccount serviceMonitor terminationGracePeriodSeconds testFramework tolerations updateStrategy volumeMounts",
  velero:
    "affinity annotations backupsEnabled cleanUpCRDs configMaps configuration containerSecurityContext credentials deployNodeAgent dnsConfig dnsPolicy extraObjects extraVolumeMounts extraVolumes fullnameOverride hostAliases image initContainers kubectl labels lifecycle livenessProbe metrics nameOverride namespace nodeAgent nodeSelector podAnnotations podDisruptionBudget podLabels podSecurityContext priorityClassName rbac readinessProbe resizePolicy resources runtimeClassName schedules secretAnnotations serviceAccount snapshotsEnabled terminationGracePeriodSeconds tolerations upgradeCRDs upgradeCRDsJob upgradeJobResources",
  "ingress-nginx":
    "commonLabels controller defaultBackend dhParam global imagePullSecrets namespaceOverride portNamePrefix rbac revisionHistoryLimit serviceAccount tcp udp",
  "cert-manager":
    "acmesolver affinity approveSignerNames cainjector clusterResourceNamespace config containerSecurityContext crds creator disableAutoApproval dns01RecursiveNameservers dns01RecursiveNameserversOnly enableCertificateOwnerRef enableServiceLinks enabled extraArgs extraContainers extraEnv extraObjects featureGates global hostAliases image imageNamespace imageRegistry ingressShim installCRDs livenessProbe maxConcurrentChallenges namespace networkPolicy nodeSelector podDisruptionBudget podLabels prometheus replicaCount resources runtimeClassName securityContext serviceAccount startupapicheck strategy tolerations topologySpreadConstraints volumeMounts volumes webhook",
};

function releases(recorded: Recorded): Map<string, Values> {
  return new Map(recorded.ofType(release).map((r) => [r.name, recorded.inputs(r) as Values]));
}

describe("Charts of the monitoring stack and the ingress controllers", () => {
  let all: Map<string, Values>;
  let local: Map<string, Values>;
  before(async () => {
    const onAws = useMocks({ stack: "prod" });
    new Observability("observability", args({ storageClassName: "gp3-encrypted" }));
    new Ingress("ingress", {
      tier: "prod",
      target: "aws",
      acmeEmail: "platform-team@example.com",
      labels: {},
    });
    await settle();
    all = releases(onAws);
    const onLocal = useMocks({ stack: "dev" });
    new Observability(
      "observability",
      args({
        target: "local",
        tier: "dev",
        region: undefined,
        clusterIdentity: undefined,
        backups: undefined,
        inClusterData,
      }),
    );
    await settle();
    local = releases(onLocal);
    for (const [name, inputs] of local) all.set(`local:${name}`, inputs);
  });

  it("pins each chart at a version its repository publishes", () => {
    const installed = Object.fromEntries([...all.values()].map((r) => [r.chart, r.version]));
    assert.deepEqual(installed, pinned);
    assert.equal(
      customMetricsChart.version,
      "5.3.0",
      "prometheus-adapter 5.4.1 was never published",
    );
    assert.deepEqual(
      [
        monitoringCharts.prometheusStack,
        monitoringCharts.postgresExporter,
        monitoringCharts.redisExporter,
        customMetricsChart,
      ].map((c) => c.repo),
      Array(4).fill("https://prometheus-community.github.io/helm-charts"),
    );
    assert.equal(tracingChart.repo, "https://jaegertracing.github.io/helm-charts");
    assert.equal(loggingChart.repo, "https://fluent.github.io/helm-charts");
    assert.equal(veleroChart.repo, "https://vmware-tanzu.github.io/helm-charts");
    assert.equal(ingressCharts.ingressNginx.repo, "https://kubernetes.github.io/ingress-nginx");
    assert.equal(ingressCharts.certManager.repo, "https://charts.jetstack.io");
  });

  it("waits up to 900 s for a first boot, atomically, until the release's Jobs finish", () => {
    assert.ok(all.size >= 9, `every release is checked (${all.size})`);
    for (const [name, inputs] of all) {
      assert.deepEqual(
        { timeout: inputs.timeout, atomic: inputs.atomic, waitForJobs: inputs.waitForJobs },
        { timeout: 900, atomic: true, waitForJobs: true },
        name,
      );
    }
  });

  it("passes every chart only top-level keys its pinned version has", () => {
    const checked = new Set<string>();
    for (const [name, inputs] of all) {
      const known = chartKeys[inputs.chart as string]?.split(" ");
      assert.ok(known, `${name}: keys of ${String(inputs.chart)} are listed`);
      const unknown = Object.keys(inputs.values as Values).filter((k) => !known.includes(k));
      assert.deepEqual(unknown, [], `${name}: keys ${String(inputs.chart)} does not have`);
      checked.add(inputs.chart as string);
    }
    assert.deepEqual([...checked].sort(), Object.keys(pinned).sort());
  });

  it("restricts the redis exporter's pod and container with the keys chart 6.6.0 has", () => {
    const values = local.get("observability-redis-exporter")!.values as Values;
    assert.deepEqual(values.podSecurityContext, restrictedPod);
    assert.deepEqual(values.securityContext, restrictedContainer);
    const unknown = Object.keys(values).filter((k) => !redisExporterKeys.includes(k));
    assert.deepEqual(unknown, [], "values keys prometheus-redis-exporter 6.6.0 does not have");
  });

  it("passes the postgres exporter only keys chart 6.4.0 has", () => {
    const values = local.get("observability-postgres-exporter")!.values as Values;
    const unknown = Object.keys(values).filter((k) => !postgresExporterKeys.includes(k));
    assert.deepEqual(unknown, []);
    assert.deepEqual(values.podSecurityContext, restrictedPod);
    assert.deepEqual(values.securityContext, restrictedContainer);
  });

  it("pulls Velero's kubectl from registry.k8s.io and its plugin at the 1.18 pairing", () => {
    const values = all.get("observability-velero")!.values as Values;
    assert.deepEqual(values.kubectl.image, { repository: "registry.k8s.io/kubectl" });
    assert.equal(values.initContainers[0].image, "velero/velero-plugin-for-aws:v1.14.2");
    assert.equal(veleroPlugins.gcp, "velero/velero-plugin-for-gcp:v1.14.2");
    assert.doesNotMatch(JSON.stringify(values), /bitnami/);
  });
});

describe("Observability volumes on a named StorageClass", () => {
  it("names the class in Prometheus' and Alertmanager's volume claims", async () => {
    const recorded = useMocks({ stack: "prod" });
    new Observability("observability", args({ storageClassName: "gp3-encrypted" }));
    await settle();
    const values = recorded.inputs(recorded.one(release, "observability-prometheus-stack"))
      .values as Values;
    assert.deepEqual(values.prometheus.prometheusSpec.storageSpec, {
      volumeClaimTemplate: {
        spec: {
          storageClassName: "gp3-encrypted",
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: "50Gi" } },
        },
      },
    });
    assert.deepEqual(values.alertmanager.alertmanagerSpec.storage, {
      volumeClaimTemplate: {
        spec: {
          storageClassName: "gp3-encrypted",
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: "1Gi" } },
        },
      },
    });
    // Grafana keeps its dashboards in ConfigMaps: no volume, nothing to name.
    assert.equal(values.grafana.persistence, undefined);
  });

  it("leaves the class to the cluster's default when none is given", async () => {
    const recorded = useMocks({ stack: "prod" });
    new Observability("observability", args({}));
    await settle();
    const values = recorded.inputs(recorded.one(release, "observability-prometheus-stack"))
      .values as Values;
    for (const spec of [
      values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec,
      values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec,
    ]) {
      assert.equal("storageClassName" in spec, false);
    }
  });
});
