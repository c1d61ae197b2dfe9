import { podPolicy } from "./pod-policy";
import { checkRunAsNonRoot } from "./podspec";

/** The kubelet refuses to start a container as root only when runAsNonRoot is true. */
export const podRunAsNonRoot = podPolicy(
  {
    name: "k8s-pod-run-as-non-root",
    description:
      "Containers must run with runAsNonRoot: true, set on the pod or on each container (restricted profile).",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkRunAsNonRoot,
);
