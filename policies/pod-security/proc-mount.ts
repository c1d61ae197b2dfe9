import { standardPolicy } from "./pod-policy";
import { checkProcMount } from "./podspec";

/** An unmasked /proc exposes kernel settings and other processes' information. */
export const podProcMount = standardPolicy(
  {
    name: "k8s-pod-default-proc-mount",
    description:
      "Containers must keep the default /proc mount (restricted profile); remove securityContext.procMount or set it to Default.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkProcMount,
);
