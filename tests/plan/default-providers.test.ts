import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { disabledDefaultProviders } from "../../tools/plan/recorder";
import { repoRoot, runPlanCli } from "../support/run";

interface PlanJson {
  resources: {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    provider: string;
    retainOnDelete: boolean;
    dependencies: string[];
    inputs: Record<string, unknown>;
  }[];
  errors: string[];
}

/** The packages whose provider reads settings from the deployer's environment. */
const ambientPackages = ["aws", "cloudflare", "gcp", "kubernetes"];

interface PlanRun {
  status: number | null;
  stderr: string;
  json: PlanJson;
}

/** Each stack is planned once per run and shared by the suites below. */
const planned = new Map<string, PlanRun>();
function planOnce(dir: string, stack: string): PlanRun {
  const key = `${dir}/${stack}`;
  if (!planned.has(key)) planned.set(key, plan(dir, stack));
  return planned.get(key)!;
}

function plan(dir: string, stack: string): PlanRun {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), `${stack}.json`);
  const run = runPlanCli(["--dir", dir, "--stack", stack, "--quiet", "--json", json]);
  return {
    status: run.status,
    stderr: run.stderr + run.stdout,
    json: JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson,
  };
}

function projectFiles(): string[] {
  const examples = fs
    .readdirSync(path.join(repoRoot, "examples"))
    .map((name) => path.join("examples", name, "Pulumi.yaml"))
    .filter((file) => fs.existsSync(path.join(repoRoot, file)));
  return ["Pulumi.yaml", ...examples];
}

describe("Default providers", function () {
  this.timeout(240_000);

  for (const file of projectFiles()) {
    it(`${file} disables the default provider of aws, cloudflare, gcp and kubernetes`, () => {
      const project = parse(fs.readFileSync(path.join(repoRoot, file), "utf8")) as {
        config: Record<string, { value: string[] }>;
      };
      // Provider settings in Pulumi.yaml take the `value:` form; a schema is only for the
      // project's own keys.
      const value = project.config["pulumi:disable-default-providers"]?.value;
      assert.deepEqual([...(value ?? [])].sort(), ambientPackages);
    });
  }

  it("reads the setting as the CLI passes a list-valued key", () => {
    const read = disabledDefaultProviders({
      "pulumi:disable-default-providers": '["aws","kubernetes"]',
    });
    assert.deepEqual([...read].sort(), ["aws", "kubernetes"]);
    assert.deepEqual([...disabledDefaultProviders({})], []);
    assert.deepEqual(
      [...disabledDefaultProviders({ "pulumi:disable-default-providers": "*" })],
      ["*"],
    );
  });

  it("refuses, as the engine does, each resource and invoke on a disabled default provider", () => {
    const run = plan("tests/fixtures/default-provider", "prod");
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.json.errors, [
      "Default provider for 'aws' disabled. 'aws:index/getCallerIdentity:getCallerIdentity' must use an explicit provider.",
      "Default provider for 'aws' disabled. 'urn:pulumi:prod::default-provider::aws:sns/topic:Topic::ambient' must use an explicit provider.",
      "Default provider for 'kubernetes' disabled. 'urn:pulumi:prod::default-provider::kubernetes:core/v1:Namespace::ambient' must use an explicit provider.",
    ]);
    assert.match(run.stderr, /The program failed/);
  });

  for (const stack of ["staging", "prod"]) {
    it(`plans ${stack} with every resource of aws, cloudflare, gcp and kubernetes on an explicit provider`, () => {
      const run = planOnce(".", stack);
      assert.equal(run.status, 0, run.stderr);
      const defaults = run.json.resources.filter(
        (r) => r.type.startsWith("pulumi:providers:") && r.name.startsWith("default"),
      );
      // random has no settings an environment could supply; its default provider is the one left.
      assert.deepEqual(
        defaults.map((r) => r.type),
        ["pulumi:providers:random"],
      );
      const onDefault = run.json.resources.filter(
        (r) =>
          r.custom &&
          ambientPackages.includes(r.type.split(":")[0]!) &&
          /::default/.test(r.provider),
      );
      assert.deepEqual(
        onDefault.map((r) => r.urn),
        [],
      );
      const observabilityAws = run.json.resources.filter(
        (r) => r.type.startsWith("aws:") && r.urn.includes("platform:index:Observability$"),
      );
      assert.ok(observabilityAws.length > 0, "the observability component has AWS resources");
      for (const r of observabilityAws) {
        assert.match(
          r.provider,
          /::pulumi:providers:aws::aws::/,
          `${r.urn} on the stack's aws provider`,
        );
      }
    });
  }
});

describe("Search in the prod plan", function () {
  this.timeout(240_000);

  it("creates OpenSearch's service-linked role, kept on delete, before the domain", () => {
    const run = planOnce(".", "prod");
    assert.equal(run.status, 0, run.stderr);
    const role = run.json.resources.find(
      (r) => r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    );
    assert.ok(role, "a service-linked role in the plan");
    assert.equal(role.name, "search-service-role");
    assert.equal(role.inputs.awsServiceName, "opensearchservice.amazonaws.com");
    assert.equal(role.retainOnDelete, true);
    assert.match(role.provider, /::pulumi:providers:aws::aws::/);
    const domain = run.json.resources.find((r) => r.type === "aws:opensearch/domain:Domain");
    assert.ok(domain?.dependencies.includes(role.urn), "the domain waits for the role");
  });
});
