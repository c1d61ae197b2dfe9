import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { PolicyPackConfig } from "../../tools/plan/analyzer";
import { repoRoot, runPlanCli } from "../support/run";

interface PlanJson {
  violations: { policyName: string; enforcementLevel: string; message: string }[];
}

/** Policies whose rule depends on the stack's environment (prod-only guards). */
const environmentPolicies = [
  "prod-stateful-resources-protected",
  "prod-deletion-protection",
  "prod-backup-retention",
  "prod-final-snapshot",
  "prod-backup-bucket-versioned",
  "aws-eks-endpoint-restricted",
  "gcp-gke-private-cluster",
];

const stacks = fs
  .readdirSync(repoRoot)
  .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

function policyConfigOf(stack: string): PolicyPackConfig {
  const file = path.join(repoRoot, `Pulumi.${stack}.policy.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
}

function tierOf(stack: string): string {
  const doc = parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  return doc.config["platform:tier"] as string;
}

function levelOf(entry: PolicyPackConfig[string]): unknown {
  return typeof entry === "string" ? entry : entry.enforcementLevel;
}

/** Plans a fixture project with a policy config of the repo, as CI passes it. */
function plan(dir: string, stack: string, policyConfig: string) {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
  const run = runPlanCli([
    "--dir",
    `tests/fixtures/${dir}`,
    "--stack",
    stack,
    "--policy-config",
    policyConfig,
    "--json",
    json,
    "--quiet",
  ]);
  const report = fs.existsSync(json)
    ? (JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson)
    : undefined;
  const verdicts = (report?.violations ?? [])
    .map((v) => `${v.enforcementLevel} ${v.policyName}`)
    .sort();
  return { ...run, verdicts, violations: report?.violations ?? [] };
}

describe("Policy config per stack", () => {
  it("gives every stack of the repo a Pulumi.<stack>.policy.json", () => {
    assert.deepEqual(stacks, ["dev", "prod", "staging"]);
    for (const stack of stacks)
      assert.ok(fs.existsSync(path.join(repoRoot, `Pulumi.${stack}.policy.json`)), stack);
  });

  it("makes every policy mandatory in the prod tier", () => {
    for (const stack of stacks.filter((s) => tierOf(s) === "prod")) {
      const config = policyConfigOf(stack);
      assert.equal(config.all, "mandatory", stack);
      for (const [name, entry] of Object.entries(config))
        assert.equal(levelOf(entry), "mandatory", `${stack}: ${name}`);
    }
  });

  it("lets a lower tier lower a policy to advisory, never disable it", () => {
    for (const stack of stacks.filter((s) => tierOf(s) !== "prod")) {
      for (const [name, entry] of Object.entries(policyConfigOf(stack)))
        assert.ok(
          ["mandatory", "advisory"].includes(levelOf(entry) as string),
          `${stack}: ${name} is ${String(levelOf(entry))}`,
        );
    }
    const dev = policyConfigOf("dev");
    assert.equal(dev["k8s-container-image-pinned"], "advisory");
    assert.equal(dev["k8s-container-read-only-root-filesystem"], "advisory");
  });

  it("tells the environment-dependent policies the stack's tier", () => {
    for (const stack of stacks) {
      const config = policyConfigOf(stack);
      const withEnvironment = Object.entries(config)
        .filter(([, entry]) => typeof entry === "object" && "environment" in entry)
        .map(([name, entry]) => [name, (entry as Record<string, unknown>).environment]);
      assert.deepEqual(
        withEnvironment,
        environmentPolicies.map((name) => [name, tierOf(stack)]),
        stack,
      );
    }
  });
});

describe("The plan with a stack's policy config", function () {
  this.timeout(240_000);

  it("refuses the prod program whose config switches the database guards off", () => {
    const run = plan("weakened-prod", "prod", "Pulumi.prod.policy.json");
    assert.equal(run.status, 2, run.stderr + run.stdout);
    assert.match(run.stderr, /mandatory policy violation\(s\): the plan is refused/);
    assert.deepEqual(run.verdicts, [
      "mandatory prod-backup-retention",
      "mandatory prod-deletion-protection",
      "mandatory prod-deletion-protection",
      "mandatory prod-stateful-resources-protected",
      "mandatory prod-stateful-resources-protected",
    ]);
    const messages = run.violations.map((v) => v.message.split("\n").pop());
    assert.ok(
      messages.includes(
        "database-instance: backups are kept 3 days; set backupRetentionPeriod to at least 7.",
      ),
      JSON.stringify(messages),
    );
    assert.ok(
      messages.includes(
        "database-instance: deletion protection is off; set deletionProtection: true.",
      ),
      JSON.stringify(messages),
    );
  });

  it("refuses an unencrypted database and a container running as root in prod", () => {
    const run = plan("insecure-program", "prod", "Pulumi.prod.policy.json");
    assert.equal(run.status, 2, run.stderr + run.stdout);
    assert.deepEqual(run.verdicts, [
      "mandatory aws-rds-storage-encrypted",
      "mandatory k8s-pod-run-as-user-not-root",
    ]);
    assert.deepEqual(run.violations.map((v) => v.message.split("\n").pop()).sort(), [
      'Deployment shop: container "shop" sets runAsUser 0 (root); use a non-zero user id.',
      "orders: storage is not encrypted; set storageEncrypted: true.",
    ]);
  });

  it("reports the hardening beyond the restricted profile as advisory in dev", () => {
    const run = plan("unhardened-program", "dev", "Pulumi.dev.policy.json");
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.deepEqual(run.verdicts, [
      "advisory k8s-container-image-pinned",
      "advisory k8s-container-read-only-root-filesystem",
    ]);
  });

  it("refuses the same hardening gaps in prod", () => {
    const run = plan("unhardened-program", "prod", "Pulumi.prod.policy.json");
    assert.equal(run.status, 2, run.stderr + run.stdout);
    assert.deepEqual(run.verdicts, [
      "mandatory k8s-container-image-pinned",
      "mandatory k8s-container-read-only-root-filesystem",
    ]);
    assert.ok(
      run.violations.some((v) =>
        v.message.endsWith(
          'Deployment web: container "web" uses image nginx:latest; pin a version tag or a digest instead of latest.',
        ),
      ),
    );
  });
});
