import { standardPolicy } from "./pod-policy";
import { checkVolumeTypes } from "./podspec";

/** hostPath and node-level volume types give a pod the node's filesystem. */
export const podVolumeTypes = standardPolicy(
  {
    name: "k8s-pod-allowed-volume-types",
    description:
      "Pods may only use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes (restricted profile); replace hostPath and other volume types.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  checkVolumeTypes,
);
