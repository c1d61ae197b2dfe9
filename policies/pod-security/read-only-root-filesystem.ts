import { podPolicy } from "./pod-policy";
import { checkReadOnlyRootFilesystem } from "./podspec";

/** Hardening beyond the profile: an attacker cannot drop tools or modify binaries in the image. */
export const podReadOnlyRootFilesystem = podPolicy(
  {
    name: "k8s-container-read-only-root-filesystem",
    description:
      "Containers must set securityContext.readOnlyRootFilesystem to true; mount an emptyDir where the process must write.",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  checkReadOnlyRootFilesystem,
);
