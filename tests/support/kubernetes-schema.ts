/**
 * Validates Kubernetes objects against the upstream OpenAPI schemas that the
 * `kubernetes-models` packages ship (core kinds, and the CRDs of cert-manager and the
 * Prometheus operator from `@kubernetes-models/cert-manager` and `.../prometheus-operator`): types, required fields, enums, formats.
 *
 * The upstream schemas leave `additionalProperties` open, so on their own they accept a
 * misspelt field. The check is made strict by watching the validator: every object is
 * wrapped in a Proxy that records which properties the validator reads. A property the
 * validator never read is one the schema does not describe, and is reported as unknown.
 * Objects the schema leaves free-form (the validator reads nothing in them) are not judged.
 */

type ModelClass = { prototype: { validate(this: unknown): void } };

/** Pulumi type token -> module of the model class that carries the schema. */
function modelModule(type: string): string | undefined {
  const match = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z]+)$/.exec(type);
  if (!match) return undefined;
  const [, group, version, kind] = match;
  if (group === "cert-manager.io" || group === "acme.cert-manager.io") {
    return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  }
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  if (group === "core") return `kubernetes-models/${version}/${kind}`;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

/** Types that are not Kubernetes objects (Helm releases are the provider's own records). */
export const notKubernetesObjects = new Set(["kubernetes:helm.sh/v3:Release"]);

function modelFor(type: string): ModelClass {
  const module = modelModule(type);
  if (!module) throw new Error(`${type} is not a Kubernetes type token`);
  const kind = type.split(":")[2]!;
  let loaded: Record<string, ModelClass>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(module) as Record<string, ModelClass>;
  } catch {
    throw new Error(`no schema for ${type} (looked for ${module})`);
  }
  const model = loaded[kind];
  if (!model) throw new Error(`no schema for ${type} in ${module}`);
  return model;
}

interface Watched {
  readonly target: object;
  readonly path: string;
  readonly read: Set<PropertyKey>;
  enumerated: boolean;
}

function watch(value: unknown, path: string, all: Watched[]): unknown {
  if (value === null || typeof value !== "object") return value;
  const record: Watched = { target: value, path, read: new Set(), enumerated: false };
  all.push(record);
  const children = new Map<PropertyKey, unknown>();
  const child = (key: PropertyKey) => {
    if (!children.has(key)) {
      const raw = (value as Record<PropertyKey, unknown>)[key];
      const childPath = Array.isArray(value) ? `${path}[${String(key)}]` : `${path}.${String(key)}`;
      children.set(key, watch(raw, childPath, all));
    }
    return children.get(key);
  };
  return new Proxy(value, {
    get(target, key, receiver) {
      record.read.add(key);
      if (typeof key === "symbol" || !Object.prototype.hasOwnProperty.call(target, key)) {
        return Reflect.get(target, key, receiver);
      }
      return child(key);
    },
    has(target, key) {
      record.read.add(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      record.read.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** Every problem with one object: schema errors and unknown fields. Empty when valid. */
export function schemaProblems(type: string, object: unknown): string[] {
  const model = modelFor(type);
  const watched: Watched[] = [];
  const proxy = watch(object, "", watched);
  const problems: string[] = [];
  try {
    model.prototype.validate.call(proxy);
  } catch (err) {
    problems.push((err as Error).message);
  }
  for (const w of watched) {
    if (Array.isArray(w.target) || w.enumerated || w.read.size === 0) continue;
    for (const key of Object.keys(w.target)) {
      if (!w.read.has(key)) problems.push(`${w.path || "(root)"}: unknown field "${key}"`);
    }
  }
  return problems;
}
