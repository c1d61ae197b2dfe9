import { environmentProperty, isProd, isRdsReadReplica, isSet, read, resourcePolicy } from "../lib";

/** The last state of a deleted database is the backup nobody scheduled. */
export const finalSnapshot = resourcePolicy(
  {
    name: "prod-final-snapshot",
    description:
      "In prod, deleting a database or cache must leave a final snapshot: set skipFinalSnapshot: false with a finalSnapshotIdentifier (RDS), or finalSnapshotIdentifier (ElastiCache). RDS read replicas are covered by their source.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: { properties: { ...environmentProperty } },
  },
  [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
  ],
  (props, args) => {
    if (!isProd(args) || isRdsReadReplica(args.type, props)) return [];
    const found: string[] = [];
    if (read(props, "skipFinalSnapshot") === true) {
      found.push(`${args.name}: deletion skips the final snapshot; set skipFinalSnapshot: false.`);
    }
    if (!isSet(read(props, "finalSnapshotIdentifier"))) {
      found.push(`${args.name}: no finalSnapshotIdentifier; name the snapshot taken on deletion.`);
    }
    return found;
  },
);
