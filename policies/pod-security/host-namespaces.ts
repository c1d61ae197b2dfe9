import { standardPolicy } from "./pod-policy";
import { checkHostNamespaces } from "./podspec";

/** Host namespaces let a pod see and signal host processes and sniff host traffic. */
export const podHostNamespaces = standardPolicy(
  {
    name: "k8s-pod-no-host-namespaces",
    description:
      "Pods must not share the host network, PID or IPC namespace (restricted profile); remove hostNetwork, hostPID and hostIPC.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  checkHostNamespaces,
);
