import { standardPolicy } from "./pod-policy";
import { checkPrivileged } from "./podspec";

/** A privileged container has every device and capability of the node: one escape owns the host. */
export const podPrivileged = standardPolicy(
  {
    name: "k8s-pod-not-privileged",
    description:
      "Pods must not run privileged or Windows HostProcess containers (restricted profile); set securityContext.privileged to false and remove windowsOptions.hostProcess.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  checkPrivileged,
);
