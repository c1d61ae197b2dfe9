import { block, isTrue, list, read, resourcePolicy, type Props } from "../lib";

function launchTemplateFindings(props: Props, name: string): string[] {
  return list(props, "blockDeviceMappings")
    .filter((m) => read(m, "ebs") !== undefined && !isTrue(read(block(m, "ebs"), "encrypted")))
    .map(
      (m) =>
        `${name}: block device ${String(read(m, "deviceName"))} is not encrypted; set ebs.encrypted: "true".`,
    );
}

function findings(type: string, props: Props, name: string): string[] {
  if (type === "aws:ebs/volume:Volume") {
    return isTrue(read(props, "encrypted"))
      ? []
      : [`${name}: the volume is not encrypted; set encrypted: true.`];
  }
  if (type === "aws:ebs/encryptionByDefault:EncryptionByDefault") {
    return read(props, "enabled") === false
      ? [`${name}: new volumes of the region would be unencrypted; set enabled: true.`]
      : [];
  }
  return launchTemplateFindings(props, name);
}

/** An unencrypted volume's data, and every snapshot of it, is readable by anyone who gets it. */
export const ebsEncrypted = resourcePolicy(
  {
    name: "aws-ebs-encrypted",
    description:
      'EBS volumes and every EBS block device of a launch template must be encrypted, and default encryption of the region must stay on; set encrypted: true on the volume, ebs.encrypted: "true" on each blockDeviceMappings entry, and leave EncryptionByDefault enabled.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  [
    "aws:ebs/volume:Volume",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
  ],
  (props, args) => findings(args.type, props, args.name),
);
