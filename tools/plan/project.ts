import * as fs from "node:fs";
import * as path from "node:path";
import { parse, YAMLError } from "yaml";

/** A project and one stack's config, read the way the Pulumi CLI reads them. */
export interface StackSettings {
  readonly projectDir: string;
  readonly project: string;
  readonly stack: string;
  /** Absolute path of the program's entry module. */
  readonly main: string;
  /** Every config value, namespaced (`platform:tier`), as the CLI passes them: text or JSON text. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export class ProjectError extends Error {}

/** The folder or stack named on the command line does not exist: bad usage, not bad config. */
export class ProjectUsageError extends ProjectError {}

/** Parses a YAML file; a syntax error names the file, line and column. */
function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    if (err instanceof YAMLError) {
      const pos = err.linePos?.[0];
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      const first = (err.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      throw new ProjectError(`${where}: YAML syntax error: ${first}`);
    }
    throw err;
  }
}

/**
 * Project config in `Pulumi.yaml` supplies defaults (keys without a namespace belong to the
 * project); the stack file's values override them; `secure:` values are secrets. Offline,
 * nothing can decrypt them, so the program receives a placeholder marked secret.
 */
export function readStackSettings(projectDir: string, stack: string): StackSettings {
  const dir = path.resolve(projectDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ProjectUsageError(`--dir ${projectDir}: no such folder`);
  }
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"]
    .map((f) => path.join(dir, f))
    .find(fs.existsSync);
  if (!projectFile) throw new ProjectUsageError(`--dir ${projectDir}: no Pulumi.yaml in ${dir}`);
  const project = (readYaml(projectFile) ?? {}) as Record<string, unknown>;
  const projectName = String(project.name ?? "");
  if (!projectName) throw new ProjectError(`${projectFile} has no name`);
  const runtime = project.runtime;
  const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: string })?.name;
  if (runtimeName !== "nodejs") {
    throw new ProjectError(
      `${projectFile}: runtime is ${String(runtimeName)}; the offline plan runs nodejs programs`,
    );
  }

  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const declared = (project.config ?? {}) as Record<string, unknown>;
  for (const [rawKey, spec] of Object.entries(declared)) {
    const key = namespaced(rawKey, projectName);
    const isSpec = spec !== null && typeof spec === "object" && !Array.isArray(spec);
    const s = isSpec ? (spec as Record<string, unknown>) : undefined;
    const value = s ? (s.value ?? s.default) : spec;
    if (value !== undefined) config[key] = encode(value);
  }

  const stackFile = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`]
    .map((f) => path.join(dir, f))
    .find(fs.existsSync);
  if (!stackFile) {
    const known = fs
      .readdirSync(dir)
      .map((f) => /^Pulumi\.([^.]+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined);
    throw new ProjectUsageError(
      `--stack ${stack}: no Pulumi.${stack}.yaml in ${dir}` +
        (known.length > 0 ? ` (stacks there: ${known.sort().join(", ")})` : ""),
    );
  }
  const stackDoc = (readYaml(stackFile) ?? {}) as Record<string, unknown>;
  for (const [rawKey, value] of Object.entries(
    (stackDoc.config ?? {}) as Record<string, unknown>,
  )) {
    const key = namespaced(rawKey, projectName);
    const { plain, secret } = revealSecure(value, key);
    config[key] = encode(plain);
    if (secret) secretKeys.add(key);
  }

  const main = resolveMain(dir, project.main);
  return {
    projectDir: dir,
    project: projectName,
    stack,
    main,
    config,
    secretKeys: [...secretKeys],
  };
}

function namespaced(key: string, projectName: string): string {
  return key.includes(":") ? key : `${projectName}:${key}`;
}

function encode(value: unknown): string {
  if (typeof value === "string") return value;
  // JSON has no infinities: YAML's spelling travels instead, as config/index.ts reads it back.
  const special = (v: unknown): unknown =>
    typeof v !== "number" || Number.isFinite(v)
      ? v
      : Number.isNaN(v)
        ? ".nan"
        : v > 0
          ? ".inf"
          : "-.inf";
  const top = special(value);
  if (typeof top === "string") return top;
  return JSON.stringify(value, (_key, v: unknown) => special(v));
}

/** Replaces `{secure: ...}` leaves with a placeholder and says whether any was found. */
function revealSecure(value: unknown, key: string): { plain: unknown; secret: boolean } {
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => revealSecure(v, `${key}[${i}]`));
    return { plain: parts.map((p) => p.plain), secret: parts.some((p) => p.secret) };
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === "secure") {
      return { plain: `offline-secret-placeholder-for-${key}`, secret: true };
    }
    let secret = false;
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const part = revealSecure(v, `${key}.${k}`);
      plain[k] = part.plain;
      secret ||= part.secret;
    }
    return { plain, secret };
  }
  return { plain: value, secret: false };
}

function resolveMain(dir: string, main: unknown): string {
  const base = typeof main === "string" ? path.resolve(dir, main) : dir;
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return base;
  const pkgFile = path.join(base, "package.json");
  if (fs.existsSync(pkgFile)) {
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
    if (pkg.main) {
      const candidate = path.resolve(base, pkg.main);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  for (const file of ["index.ts", "index.js"]) {
    const candidate = path.join(base, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new ProjectError(`cannot find the program's entry module under ${base}`);
}
