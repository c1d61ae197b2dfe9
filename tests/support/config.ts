import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig, type ConfigSource } from "../../config";

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
