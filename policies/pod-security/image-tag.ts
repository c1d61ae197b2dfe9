import { podPolicy } from "./pod-policy";
import { checkImageTag } from "./podspec";

/** Hardening beyond the profile: latest changes under a running deployment and cannot be rolled back. */
export const podImageTag = podPolicy(
  {
    name: "k8s-container-image-pinned",
    description:
      "Container images must be pinned to a version tag or a digest, never latest or untagged; set image to name:version or name@sha256:digest.",
    enforcementLevel: "mandatory",
    severity: "medium",
  },
  checkImageTag,
);
