import { standardPolicy } from "./pod-policy";
import { checkPrivilegeEscalation } from "./podspec";

/** Without it, setuid binaries can raise a process above the privileges it started with. */
export const podPrivilegeEscalation = standardPolicy(
  {
    name: "k8s-pod-no-privilege-escalation",
    description:
      "Containers must set securityContext.allowPrivilegeEscalation to false (restricted profile; Windows pods exempt from 1.25).",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkPrivilegeEscalation,
);
