import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The stack's settings file as the CLI finds it: `Pulumi.<stack>.yaml` (or `.yml`) in the
 * project folder, or in the folder `stackConfigDir` of `Pulumi.yaml` names.
 */
export function stackFilePath(projectDir: string, stack: string): string | undefined {
  let dir = projectDir;
  const project = ["Pulumi.yaml", "Pulumi.yml"]
    .map((f) => path.join(projectDir, f))
    .find(fs.existsSync);
  if (project) {
    const doc = readYaml(project) as { stackConfigDir?: unknown } | undefined;
    if (typeof doc?.stackConfigDir === "string") dir = path.resolve(projectDir, doc.stackConfigDir);
  }
  const name = stack.split("/").pop() ?? stack;
  return [`Pulumi.${name}.yaml`, `Pulumi.${name}.yml`]
    .map((f) => path.join(dir, f))
    .find(fs.existsSync);
}

function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Paths (`observability.alerting.slackWebhookUrl`, `a.list[0].b`) of the values the stack
 * file's keys of `namespace` hold in plain text, not as `secure:`; undefined when the file
 * cannot be read. Keys without a namespace belong to the project, as the CLI reads them.
 */
export function plainLeavesOf(
  file: string,
  namespace: string,
  project: string,
): string[] | undefined {
  const doc = readYaml(file) as { config?: Record<string, unknown> } | undefined;
  if (doc === undefined) return undefined;
  const leaves: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 1 && entries[0]![0] === "secure") return;
      for (const [k, v] of entries) walk(v, `${at}.${k}`);
    } else {
      leaves.push(at);
    }
  };
  const prefix = `${namespace}:`;
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    if (key.startsWith(prefix)) walk(value, key.slice(prefix.length));
    else if (!key.includes(":") && project === namespace) walk(value, key);
  }
  return leaves;
}
