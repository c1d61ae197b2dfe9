import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { configNamespace } from "./config-namespace";
import type { OtherKey } from "./namespaces";
import { parseStackConfig } from "./parse";
import type { ConfigSource, PlatformConfig } from "./platform-config";
import { plainLeavesOf, stackFilePath } from "./stack-file";

/** A stack's config as the CLI hands it to the program. */
export interface RawStackConfig {
  readonly project: string;
  readonly stack: string;
  /** Every key, namespaced (`platform:tier`, `aws:region`): text, or JSON text. */
  readonly config: Readonly<Record<string, string>>;
  /** Whether a namespaced key is stored as a secret. */
  readonly isSecret: (key: string) => boolean;
  /** Paths of the plain-text values inside `platform:` keys, from the stack file. */
  readonly plainLeaves?: readonly string[];
}

/** The program's view of a stack's config: its `platform:` keys and every other key. */
export function configSourceOf(raw: RawStackConfig): ConfigSource {
  const prefix = `${configNamespace}:`;
  const values: Record<string, unknown> = {};
  const otherKeys: OtherKey[] = [];
  for (const [key, text] of Object.entries(raw.config)) {
    if (key.startsWith(prefix)) values[key.slice(prefix.length)] = parseValue(text);
    else otherKeys.push({ key, value: parseValue(text), secret: raw.isSecret(key) });
  }
  return {
    project: raw.project,
    stack: raw.stack,
    values,
    isSecret: (key) => raw.isSecret(`${prefix}${key}`),
    ...(raw.plainLeaves !== undefined && { plainLeaves: raw.plainLeaves }),
    otherKeys,
  };
}

/**
 * Reads the keys of the running stack. Structured values arrive as JSON text, as the Pulumi
 * CLI passes them; which values inside a secret key are plain text is read from the stack
 * file, since the CLI marks only whole top-level keys secret.
 */
export function readConfigSource(): ConfigSource {
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  const file = stackFilePath(process.cwd(), stack);
  const plainLeaves =
    file === undefined ? undefined : plainLeavesOf(file, configNamespace, project);
  return configSourceOf({
    project,
    stack,
    config: pulumi.runtime.allConfig(),
    isSecret: isConfigSecret,
    ...(plainLeaves !== undefined && { plainLeaves }),
  });
}

/**
 * The SDK knows which keys the CLI passed as secrets but keeps the check internal; the
 * runtime module exports it all the same.
 */
function isConfigSecret(key: string): boolean {
  const internal = runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean };
  return internal.isConfigSecret?.(key) ?? false;
}

/** YAML's spellings of the special floats, which a scalar key passes as text. */
const yamlFloats: Readonly<Record<string, number>> = {
  ".inf": Infinity,
  "+.inf": Infinity,
  "-.inf": -Infinity,
  ".nan": NaN,
};

/**
 * A value as the CLI passes it: text, or JSON text. JSON has no infinities: inside structured
 * values they travel as YAML's spelling (".inf"), turned back into numbers here.
 */
function parseValue(text: string): unknown {
  const special = yamlFloats[text.toLowerCase()];
  if (special !== undefined) return special;
  try {
    return JSON.parse(text, (_key, value: unknown) =>
      typeof value === "string" ? (yamlFloats[value.toLowerCase()] ?? value) : value,
    ) as unknown;
  } catch {
    return text;
  }
}

/** Reads and validates the running stack's config. */
export function loadConfig(): PlatformConfig {
  return parseStackConfig(readConfigSource());
}
