/**
 * The data path from the AWS primary to the GCP standby: a site-to-site HA VPN between the two
 * networks (`CrossCloudVpn`), and continuous replication of the RDS database into the standby's
 * Cloud SQL instance over it (`DatabaseReplication`). The buckets travel separately, by
 * Storage Transfer Service (`../objectstore/transfer`).
 */
export {
  DatabaseReplication,
  defaultReplicationLagAlertSeconds,
  instanceOfDatabaseId,
  lagAlertAlignmentSeconds,
  lagAlertDurationSeconds,
  type DatabaseReplicationArgs,
} from "./database";
export { replicationUser, setupImage, sourceSetupScript, sourceSetupSql } from "./source-setup";
export {
  CrossCloudVpn,
  servicePeeringName,
  tunnelCrypto,
  tunnelInsideCidrs,
  vpnAsns,
  type CrossCloudVpnArgs,
} from "./vpn";
