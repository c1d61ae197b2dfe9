import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../support/run";
import { stackConfig } from "../support/stacks";

interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Job {
  "runs-on": string | string[];
  strategy?: { matrix: { include: Record<string, unknown>[] } };
  steps: Step[];
}

const workflow = parse(
  fs.readFileSync(path.join(repoRoot, ".github", "workflows", "infrastructure.yml"), "utf8"),
) as { jobs: Record<string, Job> };

/** A runner reaches one stack's VPC: each stack has its own label. */
const selfHosted = (stack: string) => ["self-hosted", `platform-deployer-${stack}`];

/** Each job run that previews or deploys a stack: the runner labels and the steps it runs. */
function runsOf(stack: string): { job: string; runner: unknown; steps: Step[]; cloud?: string }[] {
  const preview = workflow.jobs.preview!;
  const entry = preview.strategy!.matrix.include.find((m) => m.stack === stack)!;
  const found = [
    {
      job: "preview",
      runner: preview["runs-on"] === "${{ matrix.runner }}" ? entry.runner : preview["runs-on"],
      steps: preview.steps.filter(
        (s) =>
          s.if === undefined || s.if.includes(`'${String(entry.cloud)}'`) !== s.if.includes("!="),
      ),
      cloud: String(entry.cloud),
    },
  ];
  const deploy = workflow.jobs[`deploy-${stack}`];
  if (deploy)
    found.push({
      job: `deploy-${stack}`,
      runner: deploy["runs-on"],
      steps: deploy.steps,
      cloud: undefined!,
    });
  return found;
}

describe("The infrastructure workflow reaches each cluster's API", () => {
  for (const stack of ["staging", "prod"]) {
    const config = stackConfig(stack);
    if (config.cluster.apiAccess.mode !== "private") continue;
    it(`previews and deploys ${stack}, whose API is private, on the self-hosted runner in its VPC`, () => {
      for (const run of runsOf(stack)) assert.deepEqual(run.runner, selfHosted(stack), run.job);
    });
  }

  it("previews dev on a hosted runner with its own kind cluster", () => {
    assert.deepEqual(runsOf("dev")[0]!.runner, ["ubuntu-24.04"]);
  });

  it("creates dev's kind cluster from kind-cluster.yaml with a kind that runs its node image", () => {
    const kind = runsOf("dev")[0]!.steps.find((s) => s.uses?.startsWith("helm/kind-action@"));
    assert.ok(kind, "the dev preview creates no kind cluster");
    // kindest/node v1.36.1 is kind v0.32.0's image; older kinds cannot run it.
    assert.deepEqual(kind.with, {
      version: "v0.32.0",
      config: "kind-cluster.yaml",
      cluster_name: "platform",
    });
    const kindConfig = fs.readFileSync(path.join(repoRoot, "kind-cluster.yaml"), "utf8");
    assert.match(kindConfig, /kindest\/node:v1\.36\.1@sha256:/);
  });

  for (const stack of ["staging", "prod"]) {
    const touchesGke = stackConfig(stack).standby === "gcp" || stackConfig(stack).target === "gcp";
    if (!touchesGke) continue;
    it(`installs gke-gcloud-auth-plugin in every ${stack} job, as its GKE kubeconfig needs`, () => {
      for (const run of runsOf(stack)) {
        const gcloud = run.steps.find((s) =>
          s.uses?.startsWith("google-github-actions/setup-gcloud@"),
        );
        assert.ok(gcloud, `${run.job} has no setup-gcloud step`);
        assert.match(gcloud.uses!, /@v\d+\.\d+\.\d+$/);
        assert.equal(gcloud.with?.install_components, "gke-gcloud-auth-plugin");
      }
    });
  }
});
