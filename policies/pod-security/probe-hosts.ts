import { standardPolicy } from "./pod-policy";
import { checkProbeHosts } from "./podspec";

/**
 * A probe or lifecycle hook with a host makes the kubelet send requests from the node to any
 * address, past the pod's network policy (Baseline since Kubernetes 1.34).
 */
export const podProbeHosts = standardPolicy(
  {
    name: "k8s-pod-no-probe-hosts",
    description:
      "Probes (liveness, readiness, startup) and lifecycle handlers (postStart, preStop) must not set httpGet.host or tcpSocket.host (baseline profile since 1.34); remove host so the kubelet targets the pod's own IP.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkProbeHosts,
);
