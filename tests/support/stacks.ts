import { parseStackConfig, type PlatformConfig } from "../../config";
import { readStackSettings } from "../../tools/plan/project";
import { repoRoot } from "./run";

/** The project's stacks. */
export const stackNames = ["dev", "staging", "prod"] as const;

/** A stack's validated config, read from its Pulumi.<stack>.yaml as the CLI would. */
export function stackConfig(stack: string): PlatformConfig {
  const settings = readStackSettings(repoRoot, stack);
  const prefix = "platform:";
  const values: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(settings.config)) {
    if (!key.startsWith(prefix)) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    values[key.slice(prefix.length)] = value;
  }
  return parseStackConfig({
    project: settings.project,
    stack,
    values,
    isSecret: (k) => settings.secretKeys.includes(`${prefix}${k}`),
  });
}
