import { block, isTrue, read, resourcePolicy, shown } from "../lib";

const encryptedModes = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

/** Without it, Cloud SQL accepts plain-text connections carrying credentials and data. */
export const cloudsqlSsl = resourcePolicy(
  {
    name: "gcp-cloudsql-ssl-required",
    description:
      "Cloud SQL instances must refuse unencrypted connections; set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.",
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["gcp:sql/databaseInstance:DatabaseInstance"],
  (props, args) => {
    const ip = block(block(props, "settings"), "ipConfiguration");
    const mode = read(ip, "sslMode");
    return encryptedModes.includes(mode as string) || isTrue(read(ip, "requireSsl"))
      ? []
      : [
          `${args.name}: sslMode is ${shown(mode)}, which admits unencrypted connections; set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY.`,
        ];
  },
);
