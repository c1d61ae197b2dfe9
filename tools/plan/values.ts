/**
 * The wire encoding of special property values, as the engine and the SDK use it: secrets,
 * unknowns, resource references and assets travel as marked objects or sentinel strings.
 */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const sigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
export const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
export const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export const redactedSecret = "[secret]";
export const unknownMarker = "[unknown]";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Turns wire-encoded values into what a person may read: secrets redacted, unknowns marked. */
export function toDisplay(value: unknown): Json {
  if (value === unknownValue) return unknownMarker;
  if (Array.isArray(value)) return value.map(toDisplay);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[sigKey];
    if (sig === secretSig) return redactedSecret;
    if (sig === resourceSig) return `[resource ${String(obj.urn)}]`;
    if (sig === outputSig) {
      if (obj.secret === true) return redactedSecret;
      return "value" in obj ? toDisplay(obj.value) : unknownMarker;
    }
    if (typeof sig === "string") return "[asset]";
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = toDisplay(v);
    return out;
  }
  if (value === undefined) return null;
  return value as Json;
}

/** Unwraps secrets to their plain value (for mocks computing outputs), keeps unknowns. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return unwrapSecrets(obj.value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = unwrapSecrets(v);
    return out;
  }
  return value;
}

/** Paths (a.b[0].c) where the value is unknown. */
export function unknownPaths(value: unknown, prefix = ""): string[] {
  if (value === unknownValue) return [prefix || "(root)"];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${prefix}[${i}]`));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return unknownPaths(obj.value, prefix);
    if (typeof obj[sigKey] === "string") return [];
    return Object.entries(obj).flatMap(([k, v]) => unknownPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

export function wrapSecret(value: unknown): Record<string, unknown> {
  return { [sigKey]: secretSig, value };
}

/** Whether a secret is marked anywhere inside the value. */
export function containsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) return true;
    return Object.values(obj).some(containsSecret);
  }
  return false;
}

/**
 * Properties as the engine sends them to a policy pack: it marshals without keeping resource
 * references, so a reference to a custom resource arrives as that resource's id (unknown
 * while the id is) and one to a component as its URN. Secrets and unknowns stay as they are.
 */
export function forAnalyzer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forAnalyzer);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === resourceSig) {
      if (!("id" in obj)) return String(obj.urn);
      return obj.id === "" || obj.id === undefined ? unknownValue : obj.id;
    }
    if (typeof obj[sigKey] === "string" && obj[sigKey] !== secretSig) return obj;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = forAnalyzer(v);
    return out;
  }
  return value;
}
