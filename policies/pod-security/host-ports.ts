import { standardPolicy } from "./pod-policy";
import { checkHostPorts } from "./podspec";

/** A host port bypasses network policy and pins the pod to nodes where the port is free. */
export const podHostPorts = standardPolicy(
  {
    name: "k8s-pod-no-host-ports",
    description:
      "Containers must not bind host ports (restricted profile); remove hostPort and expose the port through a Service.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkHostPorts,
);
