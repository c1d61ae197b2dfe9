import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig, type ConfigSource } from "../../config";

/** A stack's `platform:` values as the program reads them; `secretKeys` are stored as secrets. */
export function source(values: Record<string, unknown>, secretKeys: string[] = []): ConfigSource {
  return { project: "platform", stack: "test", values, isSecret: (k) => secretKeys.includes(k) };
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
