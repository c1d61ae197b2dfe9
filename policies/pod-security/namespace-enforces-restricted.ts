import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { ObjectMeta } from "../lib";

/**
 * The admission controller only enforces the Pod Security Standards where a namespace asks
 * for it; without the label, a privileged pod is admitted whatever the manifests intend.
 */
export const namespaceEnforcesRestricted: ResourceValidationPolicy = {
  name: "k8s-namespace-enforces-restricted",
  description:
    'Namespaces must enforce the "restricted" Pod Security Standard: set the label ' +
    "pod-security.kubernetes.io/enforce=restricted on the namespace.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return;
    const metadata = (args.props.metadata ?? {}) as ObjectMeta;
    const level = metadata.labels?.["pod-security.kubernetes.io/enforce"];
    if (level !== "restricted") {
      reportViolation(
        `Namespace ${metadata.name ?? args.name} enforces ${level ? `"${level}"` : "no"} Pod Security ` +
          "level; label it pod-security.kubernetes.io/enforce=restricted.",
      );
    }
  },
};
