import { showValue } from "./errors";
import { closest } from "./hint";

/**
 * Config namespaces a stack may set: the program's own (`platform:`), the providers' (read by
 * the providers themselves) and the engine's (`pulumi:`). A key in any other namespace is
 * read by nobody, so a typo there (`platfom:network`) would silently drop a setting.
 */
export const knownNamespaces = [
  "platform",
  "aws",
  "gcp",
  "cloudflare",
  "kubernetes",
  "random",
  "pulumi",
] as const;

/** A config key outside `platform:`, namespaced, with its value and whether it is a secret. */
export interface OtherKey {
  readonly key: string;
  readonly value: unknown;
  readonly secret: boolean;
}

/** One problem per key whose namespace the program and its providers do not read. */
export function namespaceProblems(keys: readonly OtherKey[]): string[] {
  const allowed = knownNamespaces.map((n) => `${n}:`).join(", ");
  return keys.flatMap(({ key, value, secret }) => {
    const colon = key.indexOf(":");
    const namespace = colon < 0 ? key : key.slice(0, colon);
    if ((knownNamespaces as readonly string[]).includes(namespace)) return [];
    const near = closest(namespace, knownNamespaces);
    const meant = near === undefined ? "" : ` (did you mean "${near}${key.slice(colon)}"?)`;
    return [
      `${key}: ${showValue(value, secret)} is in config namespace "${namespace}", which nothing reads${meant}; ` +
        `expected a key in ${allowed}`,
    ];
  });
}
