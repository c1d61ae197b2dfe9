import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

/** A test as mocha names it: its full title (suite titles and its own, joined by spaces). */
export interface TestTitle {
  readonly fullTitle: string;
  /** The file, relative to the repository root. */
  readonly file: string;
}

/** A title that is a plain string in the source; a template with `${}` is not known statically. */
function literalTitle(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** `describe(...)`, `it(...)` and their `.only`/`.skip` forms, by the mocha function's name. */
function mochaCall(node: ts.Node): { kind: "describe" | "it"; title?: string } | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = ts.isPropertyAccessExpression(node.expression)
    ? node.expression.expression
    : node.expression;
  if (!ts.isIdentifier(callee)) return undefined;
  if (callee.text !== "describe" && callee.text !== "it") return undefined;
  return { kind: callee.text, title: literalTitle(node.arguments[0]) };
}

/**
 * The full titles of the tests of one file whose suite and test titles are plain strings, read
 * from the source without running it. A test under a suite with a computed title is left out:
 * its full title is known only when mocha runs.
 */
export function testTitlesOfSource(
  source: string,
  file: string,
): { titles: TestTitle[]; computed: boolean } {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const titles: TestTitle[] = [];
  let computed = false;
  const visit = (node: ts.Node, suites: readonly (string | undefined)[]): void => {
    const call = mochaCall(node);
    if (call?.kind === "it") {
      const parts = [...suites, call.title];
      if (parts.every((p) => p !== undefined)) titles.push({ fullTitle: parts.join(" "), file });
      else computed = true;
      return;
    }
    const inner = call?.kind === "describe" ? [...suites, call.title] : suites;
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(sourceFile, []);
  return { titles, computed };
}

/** Every `*.test.ts` under `dir`, recursively, sorted. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(full);
      return entry.name.endsWith(".test.ts") ? [full] : [];
    })
    .sort();
}

/**
 * The full titles of the tests under `tests/` of the repository at `root`: read from the source,
 * and, when a title in `wanted` is not among them, from a `mocha --dry-run` of the files whose
 * titles are computed (a loop's `${...}`), which names each test without running it.
 */
export function testTitles(root: string, wanted: readonly string[] = []): TestTitle[] {
  const scanned = testFiles(path.join(root, "tests")).map((file) => ({
    file: path.relative(root, file),
    ...testTitlesOfSource(fs.readFileSync(file, "utf8"), path.relative(root, file)),
  }));
  const titles = scanned.flatMap((s) => s.titles);
  const known = new Set(titles.map((t) => t.fullTitle));
  if (wanted.every((w) => known.has(w))) return titles;
  const computedFiles = scanned.filter((s) => s.computed).map((s) => s.file);
  return [...titles, ...dryRunTitles(root, computedFiles).filter((t) => !known.has(t.fullTitle))];
}

/** Titles as mocha names them, without running a hook or a test. */
function dryRunTitles(root: string, files: readonly string[]): TestTitle[] {
  if (files.length === 0) return [];
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seed-tables-")), "titles.json");
  const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
  const run = spawnSync(
    process.execPath,
    [mocha, "--dry-run", "--reporter", "json", "--reporter-option", `output=${output}`, ...files],
    { cwd: root, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`mocha --dry-run failed:\n${run.stderr}`);
  const report = JSON.parse(fs.readFileSync(output, "utf8")) as {
    tests: { fullTitle: string; file: string }[];
  };
  return report.tests.map((t) => ({ fullTitle: t.fullTitle, file: path.relative(root, t.file) }));
}
