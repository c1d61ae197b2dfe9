import { block, read, resourcePolicy, shown } from "../lib";

/** Application-layer encryption keeps Secrets in etcd sealed with a key the project controls. */
export const gkeSecretsEncrypted = resourcePolicy(
  {
    name: "gcp-gke-secrets-encrypted",
    description:
      'GKE clusters must encrypt Kubernetes Secrets at the application layer; set databaseEncryption: { state: "ENCRYPTED", keyName: <Cloud KMS key> }.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["gcp:container/cluster:Cluster"],
  (props, args) => {
    const state = read(block(props, "databaseEncryption"), "state");
    return state === "ENCRYPTED"
      ? []
      : [
          `${args.name}: databaseEncryption.state is ${shown(state)}; set it to ENCRYPTED with a keyName.`,
        ];
  },
);
