import { standardPolicy } from "./pod-policy";
import { checkAppArmor } from "./podspec";

/** AppArmor confines what a compromised process may touch; Unconfined removes that. */
export const podAppArmor = standardPolicy(
  {
    name: "k8s-pod-apparmor-restricted",
    description:
      "Pods must not override AppArmor to anything but RuntimeDefault or a Localhost profile (restricted profile); remove Unconfined profiles and annotations.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkAppArmor,
);
