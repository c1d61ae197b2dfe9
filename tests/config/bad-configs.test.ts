import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { ConfigError, configSourceOf, parseStackConfig } from "../../config";
import { plainLeavesOf, stackFilePath } from "../../config/stack-file";
import { readStackSettings } from "../../tools/plan/project";
import { stackFileSource } from "../support/config";
import { repoRoot, runPlanCli } from "../support/run";
import { badConfigs, type BadConfig } from "./bad-configs";

/** The one problem a refused stack is refused with; fails on acceptance or on several. */
function refusal(config: Readonly<Record<string, unknown>>): string {
  let error: unknown;
  try {
    parseStackConfig(stackFileSource(config));
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  assert.equal(error.problems.length, 1, `expected one problem, got:\n${error.message}`);
  assert.doesNotMatch(error.message, /^\s+at /m, "the message carries a stack trace");
  return error.problems[0]!;
}

function expectKeyed(line: string, c: BadConfig) {
  assert.ok(line.startsWith(`${c.key}: `), `expected the line to name ${c.key}:\n${line}`);
  const rest = line.slice(c.key.length + 2);
  assert.ok(rest.startsWith(c.shows), `expected the value ${c.shows} after the key:\n${line}`);
  if (c.says) assert.match(line, c.says);
}

describe("Bad stack configs", () => {
  const categories = [...new Set(badConfigs.map((c) => c.category))];
  it("number at least 120, in every category", () => {
    assert.ok(badConfigs.length >= 120, `only ${badConfigs.length} cases`);
    assert.deepEqual(categories, [
      "regions",
      "namespaces",
      "secrets",
      "cidr",
      "kubernetes names",
      "hosts",
      "time zones",
      "images",
      "quantities",
      "consistency",
      "readable values",
      "earlier refusals",
    ]);
  });

  for (const category of categories) {
    describe(`refuses ${category} with one line naming the key, the value and what is allowed`, () => {
      for (const c of badConfigs.filter((b) => b.category === category)) {
        it(c.what, () => expectKeyed(refusal(c.config), c));
      }
    });
  }
});

/** Every stack file in the repository: the root project's and each example's. */
function repoStacks(): { dir: string; stack: string }[] {
  const dirs = [
    repoRoot,
    ...fs
      .readdirSync(path.join(repoRoot, "examples"))
      .map((d) => path.join(repoRoot, "examples", d))
      .filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml"))),
  ];
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .map((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map((stack) => ({ dir, stack })),
  );
}

describe("Every stack in the repository", () => {
  const stacks = repoStacks();
  it("includes the root dev, staging and prod stacks and the examples'", () => {
    const names = stacks.map((s) => `${path.relative(repoRoot, s.dir) || "."}:${s.stack}`);
    for (const root of [".:dev", ".:staging", ".:prod"]) assert.ok(names.includes(root), root);
    assert.ok(names.some((n) => n.startsWith("examples/")));
  });
  for (const { dir, stack } of stacks) {
    it(`validates ${path.relative(repoRoot, dir) || "."}/Pulumi.${stack}.yaml`, () => {
      const settings = readStackSettings(dir, stack);
      const file = stackFilePath(dir, stack);
      assert.ok(file);
      const source = configSourceOf({
        project: settings.project,
        stack,
        config: settings.config,
        isSecret: (k) => settings.secretKeys.includes(k),
        plainLeaves: plainLeavesOf(file, "platform", settings.project) ?? [],
      });
      assert.doesNotThrow(() => parseStackConfig(source));
    });
  }
});

/** A project folder whose stack `bad` holds the case's config, running the repository's program. */
function projectFor(c: BadConfig): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-config-"));
  const project = {
    name: "platform",
    runtime: { name: "nodejs", options: { typescript: true } },
    main: path.join(repoRoot, "index.ts"),
  };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), stringify({ config: c.config }));
  return dir;
}

describe("The offline plan of a bad stack", function () {
  this.timeout(600_000);
  const sample = badConfigs.filter((c) => c.planned === true);
  it("is tried on a sample of the table", () => assert.ok(sample.length >= 4));
  for (const c of sample) {
    it(`exits 1 with the one keyed line and registers nothing: ${c.what}`, () => {
      const dir = projectFor(c);
      try {
        const run = runPlanCli(["--dir", dir, "--stack", "bad", "--no-policy", "--quiet"]);
        assert.equal(run.status, 1, run.stdout + run.stderr);
        assert.match(run.stdout, /: 0 resources/);
        assert.doesNotMatch(run.stderr, /^\s+at /m, "a stack trace was printed");
        const lines = run.stderr.split("\n").filter((l) => l.startsWith("  - "));
        assert.equal(lines.length, 1, run.stderr);
        expectKeyed(lines[0]!.slice(4), c);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
