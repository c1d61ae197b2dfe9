import * as fs from "node:fs";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { unknownValue } from "./values";

/**
 * Kubernetes manifests the planner renders itself, so their objects register as resources and
 * reach the policy pack: YAML text (`kubernetes:yaml:decode`, which `yaml.ConfigFile` and
 * `yaml.ConfigGroup` call with the text of a local file or inline YAML), and a chart in a local
 * folder (`kubernetes:helm:template`, which `helm.v3.Chart` calls) whose templates only
 * substitute values. Anything else needs Helm itself and is reported, not guessed.
 */

/** The answer to `kubernetes:yaml:decode`: every non-empty document of the text. */
export function decodeYaml(text: string): { result: Record<string, unknown>[] } {
  const docs = parseAllDocuments(text);
  const result: Record<string, unknown>[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0]?.line;
      throw new Error(`YAML manifest${line ? ` line ${line}` : ""}: ${first.message}`);
    }
    const value = doc.toJS() as unknown;
    if (value && typeof value === "object") result.push(value as Record<string, unknown>);
  }
  return { result };
}

/** A chart render: its objects, or why the planner cannot render it without Helm. */
export type ChartRender =
  | { readonly objects: Record<string, unknown>[] }
  | { readonly unrendered: string };

/** Kinds that live outside any namespace; Helm leaves their metadata.namespace unset. */
const clusterScoped = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "APIService",
  "IngressClass",
  "RuntimeClass",
]);

interface TemplateOptions {
  readonly path?: string;
  readonly chart?: string;
  readonly values?: Record<string, unknown>;
  readonly release_name?: string;
  readonly namespace?: string;
}

/** Renders the chart `kubernetes:helm:template` names in its `jsonOpts`, when it can. */
export function renderChart(jsonOpts: string, cwd: string): ChartRender {
  const opts = JSON.parse(jsonOpts) as TemplateOptions;
  if (!opts.path) {
    return { unrendered: `chart ${opts.chart ?? "(unnamed)"} is fetched from a repository` };
  }
  const dir = path.resolve(cwd, opts.path);
  const chartFile = path.join(dir, "Chart.yaml");
  if (!fs.existsSync(chartFile)) return { unrendered: `${dir} has no Chart.yaml` };
  const chart = parse(fs.readFileSync(chartFile, "utf8")) as Record<string, unknown>;
  const valuesFile = path.join(dir, "values.yaml");
  const defaults = fs.existsSync(valuesFile)
    ? ((parse(fs.readFileSync(valuesFile, "utf8")) ?? {}) as Record<string, unknown>)
    : {};
  const scope: Record<string, unknown> = {
    Values: merge(defaults, opts.values ?? {}),
    Release: { Name: opts.release_name ?? "", Namespace: opts.namespace ?? "default" },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  if (fs.existsSync(path.join(dir, "charts"))) {
    return { unrendered: `${opts.path} has subcharts (charts/), which need Helm` };
  }
  const templatesDir = path.join(dir, "templates");
  const files = fs.existsSync(templatesDir)
    ? fs
        .readdirSync(templatesDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  const objects: Record<string, unknown>[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(templatesDir, file), "utf8");
    const rendered = substitute(text, scope);
    if ("unsupported" in rendered) {
      return {
        unrendered: `templates/${file} uses {{ ${rendered.unsupported} }}, which needs Helm`,
      };
    }
    objects.push(...decodeYaml(rendered.text).result);
  }
  return { objects: objects.map((o) => inNamespace(o, opts.namespace)) };
}

/**
 * Replaces `{{ .Values.a.b }}`, `{{ .Release.Name }}`, `{{ .Release.Namespace }}` and
 * `{{ .Chart.Name }}`-style actions that resolve to a scalar; any other action (a pipeline, a
 * function, `if`, `range`, `include`) is unsupported.
 */
function substitute(
  text: string,
  scope: Record<string, unknown>,
): { text: string } | { unsupported: string } {
  let unsupported: string | undefined;
  const out = text.replace(/\{\{\s*(.*?)\s*\}\}/g, (whole, action: string) => {
    const match = /^\.(Values|Release|Chart)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/.exec(action);
    const value = match ? lookup(scope[match[1]!], match[2]!.slice(1).split(".")) : undefined;
    const scalar = ["string", "number", "boolean"].includes(typeof value);
    if (!scalar) unsupported ??= action;
    return scalar ? String(value) : whole;
  });
  return unsupported === undefined ? { text: out } : { unsupported };
}

function lookup(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    const bothObjects =
      prior &&
      typeof prior === "object" &&
      !Array.isArray(prior) &&
      value &&
      typeof value === "object" &&
      !Array.isArray(value);
    out[key] = bothObjects
      ? merge(prior as Record<string, unknown>, value as Record<string, unknown>)
      : value;
  }
  return out;
}

/** Helm puts a namespaced object without a namespace into the release's namespace. */
function inNamespace(obj: Record<string, unknown>, namespace: string | undefined) {
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  if (!namespace || metadata.namespace || clusterScoped.has(String(obj.kind))) return obj;
  return { ...obj, metadata: { ...metadata, namespace } };
}

/** One object of a `yaml.v2` component, as the child resource the provider would register. */
export interface ManifestChild {
  /** `kubernetes:<group>/<version>:<Kind>`, the core group written `core`. */
  readonly type: string;
  /** `<prefix>:<namespace>/<name>`, or `<prefix>:<name>` outside any namespace. */
  readonly name: string;
  readonly object: Record<string, unknown>;
}

/** The `yaml.v2` components the planner expands from their own inputs. */
export const yamlV2Types = ["kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup"];

/**
 * The children of a `yaml.v2.ConfigFile` (`file`) or `ConfigGroup` (`files`, `yaml`, `objs`),
 * read from local files relative to `cwd`; undefined when an input is unknown, a glob or a URL,
 * so the component stays reported as not expanded. Children are named with `resourcePrefix`,
 * which defaults to the component's name.
 */
export function yamlV2Children(
  componentName: string,
  inputs: Record<string, unknown>,
  cwd: string,
): ManifestChild[] | undefined {
  const files = [
    ...(typeof inputs.file === "string" ? [inputs.file] : []),
    ...(Array.isArray(inputs.files) ? inputs.files : []),
  ];
  const texts =
    typeof inputs.yaml === "string" ? [inputs.yaml] : Array.isArray(inputs.yaml) ? inputs.yaml : [];
  const plain = (v: unknown) =>
    typeof v === "string" && !/[*?[]|^https?:\/\//.test(v) && !v.includes(unknownValue);
  if (![...files, ...texts].every(plain)) return undefined;
  const objects: Record<string, unknown>[] = [];
  for (const file of files as string[]) {
    objects.push(...decodeYaml(fs.readFileSync(path.resolve(cwd, file), "utf8")).result);
  }
  for (const text of texts as string[]) objects.push(...decodeYaml(text).result);
  if (Array.isArray(inputs.objs)) objects.push(...(inputs.objs as Record<string, unknown>[]));
  const prefix = typeof inputs.resourcePrefix === "string" ? inputs.resourcePrefix : componentName;
  return objects.map((object) => {
    const apiVersion = String(object.apiVersion ?? "");
    const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const qualified = metadata.namespace
      ? `${String(metadata.namespace)}/${String(metadata.name)}`
      : String(metadata.name);
    return {
      type: `kubernetes:${group}:${String(object.kind)}`,
      name: `${prefix}:${qualified}`,
      object,
    };
  });
}
