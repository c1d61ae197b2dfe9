import { isSet, isTrue, read, resourcePolicy } from "../lib";

/** Redis holds sessions and tokens: it must be encrypted on disk and on the wire, and ask for AUTH. */
export const elasticacheEncrypted = resourcePolicy(
  {
    name: "aws-elasticache-encrypted",
    description:
      "ElastiCache replication groups must encrypt at rest and in transit and require an AUTH token; set atRestEncryptionEnabled: true, transitEncryptionEnabled: true and authToken (a secret from @pulumi/random).",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  ["aws:elasticache/replicationGroup:ReplicationGroup"],
  (props, args) => [
    ...(isTrue(read(props, "atRestEncryptionEnabled"))
      ? []
      : [`${args.name}: data at rest is not encrypted; set atRestEncryptionEnabled: true.`]),
    ...(isTrue(read(props, "transitEncryptionEnabled"))
      ? []
      : [`${args.name}: traffic is not encrypted in transit; set transitEncryptionEnabled: true.`]),
    ...(isSet(read(props, "authToken"))
      ? []
      : [`${args.name}: no AUTH token; set authToken so clients must authenticate.`]),
  ],
);
