import { standardPolicy } from "./pod-policy";
import { checkRunAsNonRoot } from "./podspec";

/** The kubelet refuses to start a container as root only when runAsNonRoot is true. */
export const podRunAsNonRoot = standardPolicy(
  {
    name: "k8s-pod-run-as-non-root",
    description:
      "Containers must run with runAsNonRoot: true, set on the pod or on each container (restricted profile; from 1.35 not required of a pod with hostUsers: false).",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkRunAsNonRoot,
);
