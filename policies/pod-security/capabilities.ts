import { podPolicy } from "./pod-policy";
import { checkCapabilities } from "./podspec";

/** Capabilities are root's powers in slices; most workloads need none. */
export const podCapabilities = podPolicy(
  {
    name: "k8s-pod-capabilities-restricted",
    description:
      'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE (restricted profile); set securityContext.capabilities.drop to ["ALL"].',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkCapabilities,
);
