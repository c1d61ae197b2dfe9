import { podPolicy } from "../pod-security/pod-policy";
import { checkContainerResources } from "../pod-security/podspec";

/**
 * A container without requests is scheduled blind and counts for nothing against the quota;
 * one without limits can take the node's memory from its neighbours.
 */
export const containerResources = podPolicy(
  {
    name: "k8s-container-resources",
    description:
      "Every container and init container must set CPU and memory requests and limits; set resources.requests and resources.limits for cpu and memory.",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  checkContainerResources,
);
