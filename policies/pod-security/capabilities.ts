import { standardPolicy } from "./pod-policy";
import { checkCapabilities } from "./podspec";

/** Capabilities are root's powers in slices; most workloads need none. */
export const podCapabilities = standardPolicy(
  {
    name: "k8s-pod-capabilities-restricted",
    description:
      'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE (restricted profile; Windows pods exempt from 1.25); set securityContext.capabilities.drop to ["ALL"].',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkCapabilities,
);
