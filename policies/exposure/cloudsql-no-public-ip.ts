import { block, read, resourcePolicy } from "../lib";

/** Cloud SQL gets a public IPv4 address unless told otherwise. */
export const cloudsqlNoPublicIp = resourcePolicy(
  {
    name: "gcp-cloudsql-no-public-ip",
    description:
      "Cloud SQL instances must have no public IP; set settings.ipConfiguration.ipv4Enabled: false and connect over privateNetwork.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  ["gcp:sql/databaseInstance:DatabaseInstance"],
  (props, args) =>
    read(block(block(props, "settings"), "ipConfiguration"), "ipv4Enabled") === false
      ? []
      : [
          `${args.name}: the instance has a public IP; set settings.ipConfiguration.ipv4Enabled: false.`,
        ],
);
