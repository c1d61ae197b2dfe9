import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyMeta, Props } from "../lib";
import { podSpecOf, type PodCheck, type PodSite } from "./podspec";
import { latestStandard, standardConfigSchema, standardOf, type StandardConfig } from "./standard";

/** Runs `check` on the pod a resource carries, with the policy's args. */
function validate(
  check: (site: PodSite, args: { getConfig<T extends object>(): T }) => string[],
): ResourceValidationPolicy["validateResource"] {
  return (args, reportViolation) => {
    const site = podSpecOf(args.type, args.name, args.props as Props);
    if (!site) return;
    for (const message of check(site, args)) reportViolation(message);
  };
}

/** A resource policy applying one pod check to every pod-bearing kind. */
export function podPolicy(meta: PolicyMeta, check: PodCheck): ResourceValidationPolicy {
  return { ...meta, validateResource: validate((site) => check(site, latestStandard)) };
}

/**
 * A control of the Pod Security Standards on every pod-bearing kind, held to the release the
 * stack's policy config names in `version` (latest when unset).
 */
export function standardPolicy(meta: PolicyMeta, check: PodCheck): ResourceValidationPolicy {
  return {
    ...meta,
    configSchema: standardConfigSchema,
    validateResource: validate((site, args) =>
      check(site, standardOf(args.getConfig<StandardConfig>().version)),
    ),
  };
}
