import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cliOptions } from "./cli-options";

/**
 * Results of plan CLI runs, shared by the steps of one `npm test` run so that a stack planned
 * by tools/plan/all-stacks.ts is not planned again by each test that reads it.
 *
 * An entry is keyed by everything its result can depend on: the run's options (the project
 * folder, stack, mode, policy pack and config; not where the JSON goes), the working
 * directory, the Node version, and a digest of the content of every file of the repository
 * and of the installed dependency tree. Any edit gives another key, so a stale result is
 * never read back. The cache lives only where PLAN_CACHE_DIR points, which `npm test` sets to
 * a directory of its own for the run and removes at the end: every plan runs at least once
 * per `npm test`.
 */
export const cacheDirVariable = "PLAN_CACHE_DIR";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** What one CLI run printed and wrote. */
export interface PlanRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run the cache can answer: its key, and the JSON path the caller asked for. */
export interface CacheableRun {
  readonly key: string;
  readonly json: string;
  /** The options the key was made from, kept in the entry to say what it holds. */
  readonly options: Record<string, unknown>;
}

interface Entry extends PlanRun {
  readonly options: Record<string, unknown>;
  /** The JSON report the run wrote; null when it wrote none. */
  readonly report: string | null;
}

/** Folders whose content never reaches a plan: VCS data, outputs and mutation sandboxes. */
const skippedDirs = new Set([".git", "node_modules", "reports", ".stryker-tmp"]);

function listFiles(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skippedDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

/**
 * Digest of every file's path and content under the repository (outside the skipped
 * folders), plus the dependency tree npm installed. Computed on each lookup: a file edited
 * during a run changes the key of the plans that follow.
 */
export function sourceDigest(root = repoRoot): string {
  const files: string[] = [];
  listFiles(root, files);
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(fs.readFileSync(file));
    hash.update("\0");
  }
  const installed = path.join(root, "node_modules", ".package-lock.json");
  hash.update(fs.existsSync(installed) ? fs.readFileSync(installed) : "no installed tree");
  return hash.digest("hex");
}

/**
 * The cache key of a plan CLI run, or undefined when the run cannot be answered from the
 * cache: bad usage, --help, no --json to hand the report back through, or a --mermaid file
 * (a second output the cache does not keep).
 */
export function cacheableRun(args: readonly string[], cwd = repoRoot): CacheableRun | undefined {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: cliOptions }));
  } catch {
    return undefined;
  }
  if (values.help || !values.stack || !values.json || values.mermaid !== undefined) {
    return undefined;
  }
  const resolved = (p: string | undefined) => (p === undefined ? null : path.resolve(cwd, p));
  const options = {
    dir: resolved(values.dir),
    stack: values.stack,
    preview: values.preview,
    quiet: values.quiet,
    noPolicy: values["no-policy"],
    policyPack: resolved(values["policy-pack"]),
    policyConfig: resolved(values["policy-config"]),
    // The estimate is printed, so a run with --cost or --compare is answered only by its like.
    cost: values.cost ?? false,
    compare: values.compare ?? null,
  };
  const key = createHash("sha256")
    .update(JSON.stringify({ options, cwd, node: process.version, sources: sourceDigest() }))
    .digest("hex");
  return { key, json: path.resolve(cwd, values.json), options };
}

/** The cache folder of this run, or undefined when no run has set one. */
export function cacheDir(): string | undefined {
  const dir = process.env[cacheDirVariable];
  return dir === undefined || dir === "" ? undefined : dir;
}

/** A cached run: its report written where the caller asked, and what it printed. */
export function readCached(dir: string, run: CacheableRun): PlanRun | undefined {
  const file = path.join(dir, `${run.key}.json`);
  if (!fs.existsSync(file)) return undefined;
  const entry = JSON.parse(fs.readFileSync(file, "utf8")) as Entry;
  if (entry.report !== null) {
    fs.mkdirSync(path.dirname(run.json), { recursive: true });
    fs.writeFileSync(run.json, entry.report);
  }
  return { status: entry.status, stdout: entry.stdout, stderr: entry.stderr };
}

/** Stores a finished run with the report it wrote; written whole, then renamed into place. */
export function writeCached(dir: string, run: CacheableRun, result: PlanRun): void {
  const report = fs.existsSync(run.json) ? fs.readFileSync(run.json, "utf8") : null;
  const entry: Entry = { ...result, options: run.options, report };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${run.key}.json`);
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(entry));
  fs.renameSync(partial, file);
}

/** Removes a report a former run left where `--json` points; a path the CLI must refuse is left alone. */
export function removeStaleReport(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOTDIR") throw err;
  }
}
