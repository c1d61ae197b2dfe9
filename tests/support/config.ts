import { strict as assert } from "node:assert";
import { ConfigError, configSourceOf, parseStackConfig, type ConfigSource } from "../../config";

/**
 * The team e-mail receiver a prod or gcp stack in these tests has when it states none: the
 * program refuses a prod stack whose critical alerts reach nobody, and gcp alert policies with
 * no notification channel (tests/config/alerting-config.test.ts), which is not what most tests
 * are about.
 */
export const teamEmailReceiver = {
  emailTo: "oncall@example.com",
  emailFrom: "alerts@example.com",
  emailSmarthost: "smtp.example.com:587",
} as const;

/**
 * A stack's `platform:` values as the program reads them; `secretKeys` are stored as secrets.
 * A prod or gcp stack without `observability.alerting` gets `teamEmailReceiver`.
 */
export function source(values: Record<string, unknown>, secretKeys: string[] = []): ConfigSource {
  return rawSource(withTeamReceiver(values), secretKeys);
}

/** The values exactly as given, with no receiver added. */
export function rawSource(
  values: Record<string, unknown>,
  secretKeys: string[] = [],
): ConfigSource {
  return { project: "platform", stack: "test", values, isSecret: (k) => secretKeys.includes(k) };
}

function withTeamReceiver(values: Record<string, unknown>): Record<string, unknown> {
  const observability = (values.observability ?? {}) as Record<string, unknown>;
  const needsReceiver = values.tier === "prod" || values.target === "gcp";
  if (!needsReceiver || observability.alerting !== undefined) return values;
  return { ...values, observability: { ...observability, alerting: teamEmailReceiver } };
}

/** The problems a refused config is refused with; fails the test when it is accepted. */
export function problems(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parseStackConfig(source(values, secretKeys));
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail("the config was accepted");
}

/**
 * A stack as the CLI hands it to the program, from the `config:` block of its stack file:
 * `{ secure: ... }` values become placeholders marked secret (the whole top-level key, as the
 * CLI marks it), and the program learns which values inside `platform:` keys were plain text,
 * as it does from the stack file.
 */
export function stackFileSource(
  config: Readonly<Record<string, unknown>>,
  project = "platform",
  stack = "test",
): ConfigSource {
  const texts: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const plainLeaves: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const leaves: Leaves = { secure: [], plain: [] };
    const plain = reveal(value, key.slice(key.indexOf(":") + 1), leaves);
    texts[key] = typeof plain === "string" ? plain : JSON.stringify(plain, yamlFloats);
    if (leaves.secure.length > 0) secretKeys.add(key);
    if (key.startsWith("platform:")) plainLeaves.push(...leaves.plain);
  }
  return configSourceOf({
    project,
    stack,
    config: texts,
    isSecret: (key) => secretKeys.has(key),
    plainLeaves,
  });
}

/** JSON has no infinities: they travel in YAML's spelling, as the program reads them. */
function yamlFloats(_key: string, value: unknown): unknown {
  if (typeof value !== "number" || Number.isFinite(value)) return value;
  return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
}

interface Leaves {
  readonly secure: string[];
  readonly plain: string[];
}

function reveal(value: unknown, at: string, leaves: Leaves): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reveal(v, `${at}[${i}]`, leaves));
  if (value === null || typeof value !== "object") {
    leaves.plain.push(at);
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0]![0] === "secure") {
    leaves.secure.push(at);
    return `offline-secret-placeholder-for-${at}`;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, reveal(v, `${at}.${k}`, leaves)]));
}
