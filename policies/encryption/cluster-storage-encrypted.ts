import { read, resourcePolicy } from "../lib";

/** The input that turns storage encryption on, per engine, and whether it defaults to on. */
const encryptionInputs: Record<string, { key: string; onByDefault: boolean }> = {
  "aws:docdb/cluster:Cluster": { key: "storageEncrypted", onByDefault: false },
  "aws:neptune/cluster:Cluster": { key: "storageEncrypted", onByDefault: false },
  // Provider v7 types Redshift's flag as a string and defaults it to "true".
  "aws:redshift/cluster:Cluster": { key: "encrypted", onByDefault: true },
};

/** The RDS-family engines beside RDS itself: unencrypted storage cannot be encrypted in place. */
export const clusterStorageEncrypted = resourcePolicy(
  {
    name: "aws-cluster-storage-encrypted",
    description:
      "DocumentDB and Neptune clusters must set storageEncrypted: true, and Redshift clusters must not set encrypted to false (aws:docdb/cluster:Cluster, aws:neptune/cluster:Cluster, aws:redshift/cluster:Cluster); add kmsKeyId for a customer key.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  Object.keys(encryptionInputs),
  (props, args) => {
    const { key, onByDefault } = encryptionInputs[args.type] as {
      key: string;
      onByDefault: boolean;
    };
    const value = read(props, key);
    const on = value === true || value === "true" || (onByDefault && value === undefined);
    return on ? [] : [`${args.name}: storage is not encrypted; set ${key}: true.`];
  },
);
