import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyMeta, Props } from "../lib";
import { podSpecOf, type PodCheck } from "./podspec";
import {
  latestStandard,
  standardConfigSchema,
  standardOf,
  type Standard,
  type StandardConfig,
} from "./standard";

function validate(
  check: PodCheck,
  standardFor: (args: { getConfig<T extends object>(): T }) => Standard,
): ResourceValidationPolicy["validateResource"] {
  return (args, reportViolation) => {
    const site = podSpecOf(args.type, args.name, args.props as Props);
    if (!site) return;
    for (const message of check(site, standardFor(args))) reportViolation(message);
  };
}

/** A resource policy applying one pod check to every pod-bearing kind. */
export function podPolicy(meta: PolicyMeta, check: PodCheck): ResourceValidationPolicy {
  return { ...meta, validateResource: validate(check, () => latestStandard) };
}

/**
 * A control of the Pod Security Standards on every pod-bearing kind, held to the release the
 * stack's policy config names in `version` (latest when unset).
 */
export function standardPolicy(meta: PolicyMeta, check: PodCheck): ResourceValidationPolicy {
  return {
    ...meta,
    configSchema: standardConfigSchema,
    validateResource: validate(check, (args) =>
      standardOf(args.getConfig<StandardConfig>().version),
    ),
  };
}
