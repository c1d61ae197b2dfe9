import { PolicyPack } from "@pulumi/policy";
import { namespaceEnforcesRestricted } from "./pod-security/namespace-enforces-restricted";
import { namespaceHasQuotaAndLimits } from "./quotas/namespace-has-quota-and-limits";

export const policies = [namespaceEnforcesRestricted, namespaceHasQuotaAndLimits];

new PolicyPack("platform-policies", {
  description:
    "Guardrails for the platform program: encryption, pod security, quotas, exposure, data protection",
  enforcementLevel: "mandatory",
  policies,
});
