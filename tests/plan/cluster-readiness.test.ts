import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { transitiveWaits, type GraphResource } from "../../tools/plan/chains";
import { runPlanCli } from "../support/run";

/** A prometheus-operator storage spec, as the chart's values carry it. */
interface ClaimSpec {
  readonly volumeClaimTemplate: { readonly spec: { readonly storageClassName?: string } };
}

interface PlanResource extends GraphResource {
  readonly inputs: Record<string, unknown>;
}

function plan(stack: string): PlanResource[] {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), `${stack}.json`);
  const run = runPlanCli(["--stack", stack, "--quiet", "--json", json]);
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: PlanResource[] }).resources;
}

for (const stack of ["staging", "prod"]) {
  describe(`The ${stack} plan on EKS`, () => {
    let resources: PlanResource[];
    before(function () {
      this.timeout(600_000);
      resources = plan(stack);
    });

    it("creates every Kubernetes resource only after the node group and the core add-ons", () => {
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const nodes = resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
      assert.ok(nodes, "no node group in the plan");
      const addons = resources.filter((r) => r.type === "aws:eks/addon:Addon");
      assert.deepEqual(addons.map((a) => a.name).sort(), [
        "cluster-aws-ebs-csi-driver",
        "cluster-coredns",
        "cluster-kube-proxy",
        "cluster-vpc-cni",
      ]);
      const eks = resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
      // What is deployed onto EKS waits for its control plane, through the provider's kubeconfig;
      // the GCP standby's resources live on GKE and are not in this set.
      const onEks = resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => ({ r, waits: transitiveWaits(r, byUrn) }))
        .filter(({ waits }) => waits.has(eks.urn));
      assert.ok(onEks.length > 20, `only ${onEks.length} Kubernetes resources on EKS`);
      const early = onEks
        .filter(({ waits }) => ![nodes, ...addons].every((needed) => waits.has(needed.urn)))
        .map(({ r }) => `${r.type} ${r.name}`);
      assert.deepEqual(early, []);
    });

    it("runs metrics-server and the Cluster Autoscaler on the EKS cluster", () => {
      const releases = resources
        .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
        .map((r) => r.inputs.chart);
      assert.ok(releases.includes("metrics-server"));
      assert.ok(releases.includes("cluster-autoscaler"));
    });

    it("claims Prometheus' and Alertmanager's volumes on the StorageClass the cluster creates", () => {
      const storageClass = resources.find(
        (r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass",
      );
      assert.ok(storageClass, "no StorageClass in the plan");
      const className = (storageClass.inputs.metadata as { name: string }).name;
      const stack = resources.find((r) => r.name === "observability-prometheus-stack");
      assert.ok(stack, "no kube-prometheus-stack release in the plan");
      const values = stack.inputs.values as {
        prometheus: { prometheusSpec: { storageSpec: ClaimSpec } };
        alertmanager: { alertmanagerSpec: { storage: ClaimSpec } };
      };
      const claimed = [
        values.prometheus.prometheusSpec.storageSpec,
        values.alertmanager.alertmanagerSpec.storage,
      ].map((spec) => spec.volumeClaimTemplate.spec.storageClassName);
      assert.deepEqual(claimed, [className, className]);
    });

    it("has a default StorageClass and network policy enforcement on", () => {
      const defaults = resources.filter(
        (r) =>
          r.type === "kubernetes:storage.k8s.io/v1:StorageClass" &&
          (r.inputs.metadata as { annotations?: Record<string, string> }).annotations?.[
            "storageclass.kubernetes.io/is-default-class"
          ] === "true",
      );
      assert.equal(defaults.length, 1);
      const cni = resources.find((r) => r.name === "cluster-vpc-cni")!;
      assert.equal(
        (JSON.parse(String(cni.inputs.configurationValues)) as Record<string, unknown>)
          .enableNetworkPolicy,
        "true",
      );
    });
  });
}
