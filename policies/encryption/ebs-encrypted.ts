import { block, isTrue, list, read, resourcePolicy } from "../lib";

/** An unencrypted volume's data, and every snapshot of it, is readable by anyone who gets it. */
export const ebsEncrypted = resourcePolicy(
  {
    name: "aws-ebs-encrypted",
    description:
      'EBS volumes and every EBS block device of a launch template must be encrypted; set encrypted: true on the volume, or ebs.encrypted: "true" on each blockDeviceMappings entry.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:ebs/volume:Volume", "aws:ec2/launchTemplate:LaunchTemplate"],
  (props, args) =>
    args.type === "aws:ebs/volume:Volume"
      ? isTrue(read(props, "encrypted"))
        ? []
        : [`${args.name}: the volume is not encrypted; set encrypted: true.`]
      : list(props, "blockDeviceMappings")
          .filter(
            (m) => read(m, "ebs") !== undefined && !isTrue(read(block(m, "ebs"), "encrypted")),
          )
          .map(
            (m) =>
              `${args.name}: block device ${String(read(m, "deviceName"))} is not encrypted; set ebs.encrypted: "true".`,
          ),
);
