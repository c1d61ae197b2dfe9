import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { ObjectMeta } from "../lib";

const namespaceType = "kubernetes:core/v1:Namespace";
const quotaType = "kubernetes:core/v1:ResourceQuota";
const limitRangeType = "kubernetes:core/v1:LimitRange";

function metadataOf(r: PolicyResource): ObjectMeta {
  return (r.props.metadata ?? {}) as ObjectMeta;
}

/**
 * A namespace without a ResourceQuota lets one runaway deployment starve the cluster; one
 * without a LimitRange admits containers with no requests, which the scheduler cannot place well.
 */
export const namespaceHasQuotaAndLimits: StackValidationPolicy = {
  name: "k8s-namespace-has-quota-and-limits",
  description:
    "Every namespace the stack creates must have a ResourceQuota and a LimitRange in it; " +
    "add both to the namespace.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateStack: (args, reportViolation) => {
    const covered = (type: string) =>
      new Set(
        args.resources
          .filter((r) => r.type === type)
          .map((r) => metadataOf(r).namespace ?? "default"),
      );
    const withQuota = covered(quotaType);
    const withLimits = covered(limitRangeType);
    for (const ns of args.resources.filter((r) => r.type === namespaceType)) {
      const name = metadataOf(ns).name ?? ns.name;
      const missing = [
        withQuota.has(name) ? undefined : "ResourceQuota",
        withLimits.has(name) ? undefined : "LimitRange",
      ].filter((m): m is string => m !== undefined);
      if (missing.length > 0) {
        reportViolation(`Namespace ${name} has no ${missing.join(" and no ")}.`, ns.urn);
      }
    }
  },
};
