import { standardPolicy } from "./pod-policy";
import { checkSeccomp } from "./podspec";

/** Seccomp blocks the syscalls container escapes rely on; Unconfined turns it off. */
export const podSeccomp = standardPolicy(
  {
    name: "k8s-pod-seccomp-restricted",
    description:
      "Every container must run with the RuntimeDefault or a Localhost seccomp profile (restricted profile; Windows pods exempt from 1.25); set securityContext.seccompProfile.type to RuntimeDefault on the pod.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkSeccomp,
);
