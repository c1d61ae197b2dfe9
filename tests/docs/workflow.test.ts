import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../support/run";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: Record<string, string>[] } };
  steps: Step[];
}

const file = path.join(repoRoot, ".github", "workflows", "infrastructure.yml");
const text = fs.readFileSync(file, "utf8");
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const job = (name: string): Job => {
  const found = workflow.jobs[name];
  assert.ok(found, `job ${name}`);
  return found;
};
const runs = (j: Job) => j.steps.flatMap((s) => (s.run ? [s.run.replace(/\s+/g, " ")] : []));

describe("The infrastructure workflow for users of the project", () => {
  it("runs on pull requests and on pushes to main", () => {
    assert.deepEqual(Object.keys(workflow.on).sort(), ["pull_request", "push"]);
    assert.deepEqual(workflow.on.push, { branches: ["main"] });
  });

  it("installs from the lockfile and runs the tests before anything else", () => {
    assert.deepEqual(runs(job("test")), ["npm ci", "npm test"]);
    for (const name of ["preview", "deploy-staging"]) assert.equal(job(name).needs, "test");
    assert.equal(job("deploy-prod").needs, "deploy-staging");
  });

  it("previews dev, staging and prod with the policy pack and each stack's policy config", () => {
    const preview = job("preview");
    assert.equal(preview.if, "github.event_name == 'pull_request'");
    assert.deepEqual(
      preview.strategy?.matrix.include.map((m) => m.stack),
      ["dev", "staging", "prod"],
    );
    assert.ok(
      runs(preview).includes(
        "pulumi preview --stack ${{ matrix.stack }} --diff --policy-pack policies --policy-pack-config Pulumi.${{ matrix.stack }}.policy.json",
      ),
    );
  });

  it("deploys staging, then prod behind the prod environment, on main only", () => {
    for (const stack of ["staging", "prod"]) {
      const deploy = job(`deploy-${stack}`);
      assert.equal(deploy.environment, stack);
      assert.equal(deploy.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
      assert.ok(
        runs(deploy).includes(
          `pulumi up --stack ${stack} --yes --diff --policy-pack policies --policy-pack-config Pulumi.${stack}.policy.json`,
        ),
      );
    }
  });

  it("takes cloud credentials from OIDC, never from stored keys", () => {
    assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|credentials_json/);
    assert.doesNotMatch(text, /secrets\./);
    for (const name of ["preview", "deploy-staging", "deploy-prod"]) {
      const j = job(name);
      assert.equal(j.permissions?.["id-token"], "write", name);
      const aws = j.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      assert.match(aws?.with?.["role-to-assume"] ?? "", /^\$\{\{ vars[.[]/, name);
      const pulumi = j.steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
      assert.equal(
        pulumi?.with?.["requested-token-type"],
        "urn:pulumi:token-type:access_token:organization",
      );
    }
    const gcp = job("deploy-prod").steps.find((s) =>
      s.uses?.startsWith("google-github-actions/auth@"),
    );
    assert.deepEqual(Object.keys(gcp?.with ?? {}).sort(), [
      "service_account",
      "workload_identity_provider",
    ]);
    assert.equal(job("test").permissions, undefined);
  });

  it("pins every action to an exact release", () => {
    const uses = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.flatMap((s) => (s.uses ? [s.uses] : [])),
    );
    assert.ok(uses.length > 10);
    for (const action of uses)
      assert.match(action, /^[\w.-]+\/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });
});
