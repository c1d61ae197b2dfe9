import { block, list, read, resourcePolicy } from "../lib";

/** Without envelope encryption, Kubernetes Secrets sit in etcd readable by anyone with a backup. */
export const eksSecretsEncrypted = resourcePolicy(
  {
    name: "aws-eks-secrets-encrypted",
    description:
      'EKS clusters must encrypt Kubernetes Secrets with a KMS key; set encryptionConfig: { resources: ["secrets"], provider: { keyArn } }.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:eks/cluster:Cluster"],
  (props, args) =>
    list(block(props, "encryptionConfig"), "resources").includes("secrets")
      ? []
      : [
          `${args.name}: Secrets are not envelope-encrypted (encryptionConfig.resources is ${JSON.stringify(
            read(block(props, "encryptionConfig"), "resources") ?? [],
          )}); add "secrets" with a KMS key.`,
        ],
);
