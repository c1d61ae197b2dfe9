import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { physicalNameRules, type PhysicalNameRule } from "../../components/naming";
import { mockAccountId } from "../../tools/plan/mocks";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { planExample } from "../examples/plan";
import { repoRoot, runPlanCli } from "../support/run";

/** Every example stack: examples/<system>/Pulumi.<stack>.yaml. */
const exampleStacks: [system: string, stack: string][] = fs
  .readdirSync(path.join(repoRoot, "examples"))
  .flatMap((system) =>
    fs
      .readdirSync(path.join(repoRoot, "examples", system))
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((stack): stack is string => stack !== undefined)
      .map((stack): [string, string] => [system, stack]),
  );

/** A resource's own physical name, with where it must be unique. */
interface NamedResource {
  readonly stack: string;
  readonly type: string;
  readonly logical: string;
  readonly name: string;
  readonly scope: string;
  readonly rule: PhysicalNameRule;
}

function planOf(dir: string, stack: string): PlanReport {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "names-")), "plan.json");
  const run = runPlanCli(["--dir", dir, "--stack", stack, "--quiet", "--json", json]);
  assert.ok(run.status === 0 || run.status === 2, `planning ${dir} ${stack}:\n${run.stderr}`);
  return JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
}

/** The named resources of a plan, with the account, region, project or zone they live in. */
function namedResources(label: string, report: PlanReport): NamedResource[] {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const providerInputs = (r: ReportResource) =>
    (byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")))?.inputs ?? {}) as Record<
      string,
      unknown
    >;
  return report.resources.flatMap((r) => {
    const rule = physicalNameRules[r.type];
    const inputs = (r.inputs ?? {}) as Record<string, unknown>;
    const name = rule && inputs[rule.key];
    if (!rule || typeof name !== "string") return [];
    const scopes: Record<PhysicalNameRule["scope"], () => string> = {
      global: () => "worldwide",
      account: () => `aws account ${mockAccountId}`,
      region: () => `aws account ${mockAccountId} ${String(providerInputs(r).region)}`,
      project: () => `gcp project ${String(inputs.project ?? providerInputs(r).project)}`,
      "cloudflare-account": () => `cloudflare account ${String(inputs.accountId)}`,
      zone: () => `cloudflare zone ${String(inputs.zoneId)}`,
    };
    return [
      { stack: label, type: r.type, logical: r.name, name, scope: scopes[rule.scope](), rule },
    ];
  });
}

describe("Physical names of every example stack and the project's own stacks", function () {
  this.timeout(900_000);
  const named: NamedResource[] = [];
  before(() => {
    for (const [system, stack] of exampleStacks) {
      named.push(
        ...namedResources(`examples/${system} ${stack}`, planExample(system, stack).report),
      );
    }
    for (const stack of ["dev", "staging", "prod"]) {
      named.push(...namedResources(`${stack}`, planOf(repoRoot, stack)));
    }
  });

  it("plans every example stack", () => {
    assert.deepEqual(exampleStacks.map(([s, k]) => `${s} ${k}`).sort(), [
      "company-directory prod",
      "company-directory staging",
      "corporate-intel prod",
      "corporate-intel staging",
      "enrichment prod",
      "gcp-standalone staging",
      "microservices prod",
      "microservices staging",
      "microservices testing",
      "travelsense prod",
    ]);
  });

  it("gives each example its own project name, which the names are built from", () => {
    const names = fs.readdirSync(path.join(repoRoot, "examples")).map((system) => {
      const file = path.join(repoRoot, "examples", system, "Pulumi.yaml");
      return [system, (parse(fs.readFileSync(file, "utf8")) as { name: string }).name];
    });
    for (const [system, project] of names) assert.equal(project, system);
    assert.ok(!names.some(([, project]) => project === "platform"));
  });

  it("declares config types in an example's Pulumi.yaml only for its own namespace, as the CLI requires", () => {
    for (const system of fs.readdirSync(path.join(repoRoot, "examples"))) {
      const file = path.join(repoRoot, "examples", system, "Pulumi.yaml");
      const project = parse(fs.readFileSync(file, "utf8")) as {
        name: string;
        config?: Record<string, unknown>;
      };
      for (const [key, spec] of Object.entries(project.config ?? {})) {
        if (!key.includes(":") || key.startsWith(`${project.name}:`)) continue;
        const s = (spec ?? {}) as Record<string, unknown>;
        assert.ok(s.type === undefined && s.default === undefined, `${system}: ${key}`);
      }
    }
  });

  it("finds no physical name two stacks would both create in one account, region, project or zone", () => {
    const owners = new Map<string, Set<string>>();
    for (const n of named) {
      const key = `${n.type} "${n.name}" in ${n.scope}`;
      owners.set(key, (owners.get(key) ?? new Set()).add(n.stack));
    }
    const clashes = [...owners]
      .filter(([, stacks]) => stacks.size > 1)
      .map(([key, stacks]) => `${key}: ${[...stacks].join(", ")}`);
    assert.deepEqual(clashes, []);
  });

  it("keeps every name the platform sets within its service's limit", () => {
    const over = named
      .filter((n) => n.name.length > n.rule.limit)
      .map((n) => `${n.stack}: ${n.type} ${n.logical} "${n.name}" > ${n.rule.limit}`);
    assert.deepEqual(over, []);
    // The checks above saw the names that collided before each example had its own project.
    assert.ok(
      named.some((n) => n.type === "aws:eks/cluster:Cluster" && n.name === "travelsense-prod"),
    );
    assert.ok(named.some((n) => n.type === "aws:rds/instance:Instance"));
  });
});

describe("A prod stack with the longest base name the config accepts (tests/fixtures/long-names)", function () {
  this.timeout(300_000);
  let named: NamedResource[];
  before(() => {
    named = namedResources("long-names prod", planOf("tests/fixtures/long-names", "prod"));
  });

  it("builds names from platform-long-name-limits-prod, 30 characters", () => {
    const cluster = named.find((n) => n.type === "aws:eks/cluster:Cluster");
    assert.equal(cluster?.name, "platform-long-name-limits-prod");
  });

  it("keeps every name within its service's limit, the AWS Backup selection at exactly 50", () => {
    const over = named
      .filter((n) => n.name.length > n.rule.limit)
      .map((n) => `${n.type} ${n.logical} "${n.name}" > ${n.rule.limit}`);
    assert.deepEqual(over, []);
    const selection = named.find((n) => n.type === "aws:backup/selection:Selection");
    assert.equal(selection?.name.length, 50);
    const replica = named.find((n) => n.logical === "database-replica");
    assert.equal(replica?.name, "platform-long-name-limits-prod-database-replica");
  });
});
