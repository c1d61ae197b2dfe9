import { block, environmentProperty, isProd, read, resourcePolicy } from "../lib";

/** The cloud's own guard: it holds even when someone deletes outside Pulumi. */
export const deletionProtection = resourcePolicy(
  {
    name: "prod-deletion-protection",
    description:
      "In prod, databases must have the cloud's deletion protection on: RDS deletionProtection: true; Cloud SQL deletionProtection: true and settings.deletionProtectionEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentProperty } },
  },
  [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "gcp:sql/databaseInstance:DatabaseInstance",
  ],
  (props, args) => {
    if (!isProd(args)) return [];
    if (args.type !== "gcp:sql/databaseInstance:DatabaseInstance") {
      return read(props, "deletionProtection") === true
        ? []
        : [`${args.name}: deletion protection is off; set deletionProtection: true.`];
    }
    return [
      // The provider's own guard is on unless switched off.
      ...(read(props, "deletionProtection") === false
        ? [`${args.name}: the provider's deletion guard is off; set deletionProtection: true.`]
        : []),
      ...(read(block(props, "settings"), "deletionProtectionEnabled") === true
        ? []
        : [
            `${args.name}: Cloud SQL deletion protection is off; set settings.deletionProtectionEnabled: true.`,
          ]),
    ];
  },
);
