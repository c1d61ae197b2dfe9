import { isTrue, read, resourcePolicy } from "../lib";

/** Unencrypted RDS storage leaves data, snapshots and replicas readable on the disks. */
export const rdsStorageEncrypted = resourcePolicy(
  {
    name: "aws-rds-storage-encrypted",
    description:
      "RDS instances and Aurora clusters must encrypt their storage; set storageEncrypted: true (and kmsKeyId for a customer key). Encryption cannot be added later without a snapshot restore.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
  (props, args) =>
    isTrue(read(props, "storageEncrypted"))
      ? []
      : [`${args.name}: storage is not encrypted; set storageEncrypted: true.`],
);
