import { podPolicy } from "./pod-policy";
import { checkSysctls } from "./podspec";

/** Unsafe sysctls change kernel behaviour for every pod on the node. */
export const podSysctls = podPolicy(
  {
    name: "k8s-pod-safe-sysctls",
    description:
      "Pods may only set the safe namespaced sysctls (restricted profile); remove any other securityContext.sysctls entry.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkSysctls,
);
