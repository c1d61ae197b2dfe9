import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";

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
