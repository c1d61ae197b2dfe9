import { standardPolicy } from "./pod-policy";
import { checkSysctls } from "./podspec";

/** Unsafe sysctls change kernel behaviour for every pod on the node. */
export const podSysctls = standardPolicy(
  {
    name: "k8s-pod-safe-sysctls",
    description:
      "Pods may only set the safe namespaced sysctls the standard of the configured version lists (baseline profile); remove any other securityContext.sysctls entry.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkSysctls,
);
