import type * as k8s from "@pulumi/kubernetes";

/** The non-root user and group every platform pod runs as (seed 000's Dockerfiles: 1001). */
export const runAsId = 1001;

/**
 * Pod-level security context meeting the "restricted" Pod Security Standard: non-root user
 * 1001, group 1001 owning mounted volumes, RuntimeDefault seccomp.
 */
export function restrictedPodSecurityContext(): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: runAsId,
    runAsGroup: runAsId,
    fsGroup: runAsId,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * Container-level security context: no privilege escalation, read-only root filesystem
 * (writable paths are emptyDir or PVC mounts), every capability dropped.
 */
export function restrictedContainerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: runAsId,
    runAsGroup: runAsId,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
}
