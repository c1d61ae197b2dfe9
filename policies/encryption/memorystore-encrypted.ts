import { isTrue, read, resourcePolicy, shown } from "../lib";

/** Memorystore's defaults are plain-text and unauthenticated inside the VPC. */
export const memorystoreEncrypted = resourcePolicy(
  {
    name: "gcp-memorystore-encrypted",
    description:
      "Memorystore Redis instances must encrypt in transit and require AUTH; set transitEncryptionMode: SERVER_AUTHENTICATION and authEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["gcp:redis/instance:Instance"],
  (props, args) => [
    ...(read(props, "transitEncryptionMode") === "SERVER_AUTHENTICATION"
      ? []
      : [
          `${args.name}: transitEncryptionMode is ${shown(read(props, "transitEncryptionMode"))}; set it to SERVER_AUTHENTICATION.`,
        ]),
    ...(isTrue(read(props, "authEnabled"))
      ? []
      : [`${args.name}: AUTH is off; set authEnabled: true.`]),
  ],
);
