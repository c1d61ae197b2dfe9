import { standardPolicy } from "./pod-policy";
import { checkSeLinux } from "./podspec";

/** A custom SELinux type, user or role can lift the label that confines the container. */
export const podSeLinux = standardPolicy(
  {
    name: "k8s-pod-selinux-restricted",
    description:
      "Pods must not set a custom SELinux user or role, and only the container_t, container_init_t, container_kvm_t or (from 1.31) container_engine_t type (baseline profile); remove seLinuxOptions overrides.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  checkSeLinux,
);
