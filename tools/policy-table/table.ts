import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyInfo } from "../plan/analyzer";

export const tableStart = "<!-- policy-table:start (npm run policy-table) -->";
export const tableEnd = "<!-- policy-table:end -->";

/**
 * Why each policy exists: the doc comment on the export that declares it, keyed by the
 * policy's name. Every policy file carries one, next to its code.
 */
export function policyReasons(packDir: string): Map<string, string> {
  const reasons = new Map<string, string>();
  // The comment body may not contain "*/": else a doc comment earlier in the file (on a
  // config interface, say) would run on through code up to the policy's own.
  const declaration =
    /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export const \w+[^=]*=[^]*?\bname: "([a-z0-9-]+)"/g;
  for (const file of tsFiles(packDir)) {
    const text = fs.readFileSync(file, "utf8");
    for (const match of text.matchAll(declaration)) {
      const comment = (match[1] ?? "")
        .split("\n")
        .map((line) => line.replace(/^\s*\*\s?/, "").trim())
        .filter((line) => line !== "")
        .join(" ");
      reasons.set(match[2] ?? "", comment);
    }
  }
  return reasons;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

function configCell(info: PolicyInfo): string {
  const settings = Object.entries(info.configSchema).map(([key, property]) =>
    key === "environment"
      ? "`environment`: the stack's tier; applies only when `prod`"
      : `\`${key}\` (default \`${JSON.stringify(property.default)}\`): ${property.description ?? ""}`,
  );
  return cell(["level", ...settings].join("; "));
}

/** The README's table of every policy, in the pack's order, from what the pack declares. */
export function renderPolicyTable(
  infos: readonly PolicyInfo[],
  reasons: ReadonlyMap<string, string>,
): string {
  const rows = infos.map((info) => {
    const why = reasons.get(info.name);
    if (why === undefined) {
      throw new Error(`policy ${info.name} has no doc comment saying why it exists`);
    }
    return `| \`${info.name}\` | ${info.tags.join(", ")} | ${cell(info.description)} | ${cell(why)} | ${info.enforcementLevel} | ${info.severity} | ${configCell(info)} |`;
  });
  return [
    "| policy | concern | checks, and how to fix | why | default level | severity | configure |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The README with the text between the table markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the markers ${tableStart} and ${tableEnd}`);
  }
  return `${readme.slice(0, start + tableStart.length)}\n${table}\n${readme.slice(end)}`;
}

/** The rows of the README's table, cell by cell, without the header. */
export function readmeRows(readme: string): string[][] {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) return [];
  return readme
    .slice(start + tableStart.length, end)
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

/** The README's "why" cell of each policy, keyed by the policy's name. */
export function readmeReasons(readme: string): Map<string, string> {
  return new Map(
    readmeRows(readme).map((cells) => [
      (cells[0] ?? "").replace(/`/g, ""),
      (cells[3] ?? "").replace(/\\\|/g, "|"),
    ]),
  );
}
