import { standardPolicy } from "./pod-policy";
import { checkRunAsUser } from "./podspec";

/** runAsUser 0 runs the process as root whatever the image says. */
export const podRunAsUser = standardPolicy(
  {
    name: "k8s-pod-run-as-user-not-root",
    description:
      "Pods and containers must not set runAsUser to 0 (restricted profile; from 1.35 allowed in a pod with hostUsers: false); use a non-zero user id such as 1001.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkRunAsUser,
);
