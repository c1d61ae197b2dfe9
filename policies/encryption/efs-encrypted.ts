import { isTrue, read, resourcePolicy } from "../lib";

/** EFS leaves a file system unencrypted unless asked, and encryption cannot be added later. */
export const efsEncrypted = resourcePolicy(
  {
    name: "aws-efs-encrypted",
    description:
      "EFS file systems (aws:efs/fileSystem:FileSystem) must be encrypted at rest; set encrypted: true (and kmsKeyId for a customer key). A file system cannot be encrypted after creation.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:efs/fileSystem:FileSystem"],
  (props, args) =>
    isTrue(read(props, "encrypted"))
      ? []
      : [`${args.name}: the file system is not encrypted; set encrypted: true.`],
);
