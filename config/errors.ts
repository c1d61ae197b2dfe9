import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { didYouMean } from "./hint";

/**
 * Thrown when stack config is invalid. It is a `RunError`, so the Pulumi CLI prints the
 * message alone, without a stack trace, and the program stops before registering anything.
 */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** How a value is shown in a message; secret keys never show their value. */
export function showValue(value: unknown, secret: boolean): string {
  if (secret) return "[secret]";
  if (value === undefined) return "(missing)";
  // YAML's spellings: JSON would print null for these.
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  if (typeof value === "number" && Number.isNaN(value)) return ".nan";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `platform:database.instanceClass`, `platform:workloads.services[2].port` */
export function keyPath(namespace: string, path: readonly PropertyKey[]): string {
  let out = namespace;
  path.forEach((part, index) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += index === 0 ? `:${String(part)}` : `.${String(part)}`;
  });
  return out;
}

/** A credential found in plain text in the stack file, named by its key. */
export function plainTextCredentialProblem(
  namespace: string,
  path: readonly PropertyKey[],
): string {
  const key = keyPath(namespace, path);
  return (
    `${key}: [plain text] is a credential stored as plain text; set it with ` +
    `\`pulumi config set --secret --path '${key}' <value>\``
  );
}

function allowed(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "too_small":
      return issue.origin === "array" || issue.origin === "string"
        ? `expected at least ${String(issue.minimum)} ${issue.origin === "array" ? "item(s)" : "character(s)"}`
        : `expected a value ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array" || issue.origin === "string"
        ? `expected at most ${String(issue.maximum)} ${issue.origin === "array" ? "item(s)" : "character(s)"}`
        : `expected a value ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_format":
      return `expected ${issue.format === "regex" ? `a value matching ${issue.pattern ?? "the pattern"}` : `a valid ${issue.format}`}`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return "";
  }
}

/**
 * One line per problem: the key path, the bad value and what is allowed. Custom messages
 * (set with `error:` in a schema or by a refinement) are used as the explanation.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  namespace: string,
  isSecret: (topLevelKey: string) => boolean,
  keysAt: (path: readonly PropertyKey[]) => readonly string[] = () => [],
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const secret = issue.path.length > 0 && isSecret(String(issue.path[0]));
    if (issue.code === "unrecognized_keys") {
      const allowedKeys = keysAt(issue.path);
      for (const key of issue.keys) {
        lines.push(
          `${keyPath(namespace, [...issue.path, key])}: unknown key${didYouMean(key, allowedKeys)}; ` +
            `check the spelling, or remove it (allowed here: ${allowedKeys.join(", ") || "none"})`,
        );
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key failed its own schema: name the record, show the key, explain with
      // the key schema's message.
      const reason = issue.issues.map((inner) => inner.message).join("; ");
      lines.push(
        `${keyPath(namespace, issue.path.slice(0, -1))}: ${showValue(issue.input, false)} ${reason}`,
      );
      continue;
    }
    const value = showValue(inputAt(issue), secret);
    const custom = isCustom(issue) ? issue.message : "";
    const what = custom || allowed(issue) || issue.message;
    lines.push(
      `${keyPath(namespace, issue.path)}: ${value} ${custom ? what : `is not allowed; ${what}`}`,
    );
  }
  return lines;
}

/**
 * The value at the issue's key: a union refused by its discriminator reports the whole object
 * at the discriminator's path (`exposure.kind`), where the key's own value is what to show.
 */
function inputAt(issue: z.core.$ZodIssue): unknown {
  const last = issue.path[issue.path.length - 1];
  const input = issue.input;
  if (issue.code !== "invalid_union" || typeof last !== "string") return input;
  if (input === null || typeof input !== "object" || Array.isArray(input)) return input;
  return last in input ? (input as Record<string, unknown>)[last] : input;
}

const zodDefaultPrefixes = [
  "Invalid",
  "Too small",
  "Too big",
  "Unrecognized",
  "Expected",
  "Required",
];
function isCustom(issue: z.core.$ZodIssue): boolean {
  return !zodDefaultPrefixes.some((p) => issue.message.startsWith(p));
}
