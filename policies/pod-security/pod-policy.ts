import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyMeta, Props } from "../lib";
import { podSpecOf, type PodCheck } from "./podspec";

/** A resource policy applying one pod check to every pod-bearing kind. */
export function podPolicy(meta: PolicyMeta, check: PodCheck): ResourceValidationPolicy {
  return {
    ...meta,
    validateResource: (args, reportViolation) => {
      const site = podSpecOf(args.type, args.name, args.props as Props);
      if (!site) return;
      for (const message of check(site)) reportViolation(message);
    },
  };
}
