import {
  UnknownValueError,
  type EnforcementLevel,
  type PolicyConfigSchema,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** What every policy carries next to its code: what, why, how to fix, default level. */
export interface PolicyMeta {
  readonly name: string;
  /** One sentence: what is checked and how to fix it. */
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: "low" | "medium" | "high" | "critical";
  readonly configSchema?: PolicyConfigSchema;
}

/** A Kubernetes object's metadata, as policies read it. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A resource's properties, or a nested block of them, read without assumptions. */
export type Props = Record<string, unknown>;

/**
 * Reads `key` of a block, treating a value the engine cannot know yet (a computed ARN or id
 * during a first preview) as set: `undefined` is returned only when the key is really absent.
 */
export function read(block: unknown, key: string): unknown {
  if (typeof block !== "object" || block === null) return undefined;
  try {
    return (block as Props)[key];
  } catch (err) {
    if (isUnknownValue(err)) return unknownValue;
    throw err;
  }
}

/** Stands for a value that will be set but is not known during preview. */
export const unknownValue = "<computed>";

function isUnknownValue(err: unknown): boolean {
  return err instanceof UnknownValueError;
}

/** The nested block at `key`, or an empty one; lists of one block are unwrapped. */
export function block(parent: unknown, key: string): Props {
  const value = read(parent, key);
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === "object" && first !== null ? (first as Props) : {};
}

/** The list at `key`, or an empty list. */
export function list(parent: unknown, key: string): unknown[] {
  const value = read(parent, key);
  return Array.isArray(value) ? value : [];
}

/** True for `true` and for the provider's string form `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** A value is set when it is present and not empty; a computed value counts as set. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * An RDS read replica copies its source continuously: the source's backups and final snapshot
 * cover its data, and RDS takes neither automated backups nor a final snapshot of a replica.
 */
export function isRdsReadReplica(type: string, props: Props): boolean {
  return type === "aws:rds/instance:Instance" && isSet(read(props, "replicateSourceDb"));
}

/** How a value is shown in a message: absent values say so. */
export function shown(value: unknown): string {
  return value === undefined || value === null ? "unset" : JSON.stringify(value);
}

/** The environment a data-protection or endpoint policy is configured for. */
export type Environment = "dev" | "staging" | "prod";

export interface EnvironmentConfig {
  /** Set by the stack's policy config; the pack applies prod-only rules only when "prod". */
  environment?: Environment;
}

export const environmentProperty: Record<string, PolicyConfigJSONSchema> = {
  environment: {
    type: "string",
    enum: ["dev", "staging", "prod"],
    default: "dev",
    description:
      'The environment of the stack; the rule applies only when "prod" (set it in Pulumi.prod.policy.json).',
  },
};

export function isProd(args: { getConfig<T extends object>(): T }): boolean {
  return args.getConfig<EnvironmentConfig>().environment === "prod";
}

/** A resource policy for some resource types, reporting every message `check` returns. */
export function resourcePolicy(
  meta: PolicyMeta,
  types: readonly string[],
  check: (props: Props, args: ResourceValidationArgs) => string[],
): ResourceValidationPolicy {
  return {
    ...meta,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!types.includes(args.type)) return;
      for (const message of check(args.props as Props, args)) reportViolation(message);
    },
  };
}

/**
 * The resources of `types` that `companion` points at through its `bucket` (or other) input:
 * by the engine's property dependencies when present, else by the referenced name.
 */
export function relatedBy(
  companion: PolicyResource,
  key: string,
  candidates: readonly PolicyResource[],
  identity: (r: PolicyResource) => unknown[],
): PolicyResource[] {
  const deps = companion.propertyDependencies?.[key] ?? [];
  const byDeps = candidates.filter((c) => deps.some((d) => d.urn === c.urn));
  if (byDeps.length > 0) return byDeps;
  const ref = read(companion.props, key);
  if (!isSet(ref) || ref === unknownValue) return [];
  return candidates.filter((c) => identity(c).some((id) => isSet(id) && id === ref));
}
