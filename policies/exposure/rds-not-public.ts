import { isTrue, read, resourcePolicy } from "../lib";

/** A database with a public address is one leaked password away from the internet. */
export const rdsNotPublic = resourcePolicy(
  {
    name: "aws-rds-not-public",
    description:
      "RDS instances and Aurora cluster instances must not be publicly accessible; set publiclyAccessible: false and reach them from the cluster's security group.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
  (props, args) =>
    isTrue(read(props, "publiclyAccessible"))
      ? [`${args.name}: the database has a public address; set publiclyAccessible: false.`]
      : [],
);
