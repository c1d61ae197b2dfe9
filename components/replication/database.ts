import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createSourceSetup, replicationUser } from "./source-setup";
import { ComponentError } from "../errors";

/** How far behind the primary the standby's database may fall before an alert opens, seconds. */
export const defaultReplicationLagAlertSeconds = 60;
/** How long the lag must stay past the threshold before the alert opens, seconds. */
export const lagAlertDurationSeconds = 60;
/** The lag alert's alignment period (each sample the maximum over it), seconds. */
export const lagAlertAlignmentSeconds = 60;

export interface DatabaseReplicationArgs {
  /** The RDS primary: address, master credentials, application database. */
  readonly source: {
    readonly host: pulumi.Input<string>;
    readonly masterUser: pulumi.Input<string>;
    /** Secret. */
    readonly masterPassword: pulumi.Input<string>;
    readonly databaseName: string;
    /** The primary VPC's range, where RDS lives. */
    readonly cidr: string;
    /**
     * PEM bundle of the CA that signs the RDS server certificate (the region's bundle from
     * https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem): Database
     * Migration Service connects with TLS (RDS requires it) and verifies the server with it.
     */
    readonly caCertificate: pulumi.Input<string>;
  };
  /**
   * Where the source is prepared from: a namespace on the primary's cluster (the component's
   * `kubernetes` provider), once `dependsOn` (the namespace and its policies) exist.
   */
  readonly setup: {
    readonly namespace: pulumi.Input<string>;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  };
  /** The standby's Cloud SQL instance: `<project>:<instance>`, Cloud Monitoring's database_id. */
  readonly destinationDatabaseId: pulumi.Input<string>;
  /** The standby's VPC network (id), which reaches RDS over the VPN. */
  readonly networkId: pulumi.Input<string>;
  /** Region of the connection profiles and the migration job (the standby's). */
  readonly region: string;
  /** Prefix of the connection profile and migration job ids, unique in the project. */
  readonly idPrefix: string;
  /** Resources the job waits for: the VPN's BGP sessions, the RDS rule admitting the standby. */
  readonly pathReady: pulumi.Input<pulumi.Resource>[];
  /** The replication lag that opens an alert, seconds. @default 60 */
  readonly lagAlertSeconds?: number;
  /**
   * Run the migration job. It copies the tables that exist when it starts and no later DDL,
   * so it starts after the application's schema is on RDS. @default false (created stopped)
   */
  readonly start?: boolean;
  /** Labels put on the profiles, the job, the alert and the Kubernetes objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The Cloud SQL instance name in a `<project>:<instance>` database id. */
export function instanceOfDatabaseId(databaseId: string): string {
  const instance = databaseId.split(":")[1];
  if (!instance) {
    throw new ComponentError("instanceOfDatabaseId", JSON.stringify(databaseId), [
      `"${databaseId}" is not a <project>:<instance> database id`,
    ]);
  }
  return instance;
}

/**
 * Continuous replication of the RDS primary into the standby's Cloud SQL instance with
 * Database Migration Service: the source prepared on the primary's cluster, a source profile
 * (TLS, the dedicated role), a destination profile naming the existing Cloud SQL instance,
 * and a CONTINUOUS migration job over VPC peering (the standby's network reaches RDS over the
 * VPN), started once the path is up. An alert opens when the standby falls behind.
 */
export class DatabaseReplication extends pulumi.ComponentResource {
  readonly migrationJobName: pulumi.Output<string>;
  readonly lagAlertSeconds: number;

  constructor(name: string, args: DatabaseReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:replication:DatabaseReplication", name, {}, opts);
    this.lagAlertSeconds = args.lagAlertSeconds ?? defaultReplicationLagAlertSeconds;
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 32, special: false },
      { parent: this, additionalSecretOutputs: ["result"] },
    );
    const setup = createSourceSetup(
      `${name}-source-setup`,
      {
        namespace: args.setup.namespace,
        sourceCidr: args.source.cidr,
        host: args.source.host,
        masterUser: args.source.masterUser,
        masterPassword: args.source.masterPassword,
        databaseName: args.source.databaseName,
        replicationPassword: password.result,
        labels: args.labels,
      },
      this,
      args.setup.dependsOn,
    );
    const job = createMigrationJob(name, args, pulumi.secret(password.result), [setup], this);
    createLagAlert(name, args, this.lagAlertSeconds, this);
    this.migrationJobName = job.name;
    this.registerOutputs({ migrationJobName: this.migrationJobName });
  }
}

function createMigrationJob(
  name: string,
  args: DatabaseReplicationArgs,
  password: pulumi.Output<string>,
  setup: pulumi.Resource[],
  parent: pulumi.Resource,
): gcp.databasemigrationservice.MigrationJob {
  const opts = { parent };
  const source = new gcp.databasemigrationservice.ConnectionProfile(
    `${name}-source-profile`,
    {
      location: args.region,
      connectionProfileId: `${args.idPrefix}-rds-source`,
      displayName: `${args.idPrefix}: RDS primary`,
      role: "SOURCE",
      postgresql: {
        host: args.source.host,
        port: 5432,
        username: replicationUser,
        password,
        ssl: { caCertificate: pulumi.secret(args.source.caCertificate) },
      },
      labels: { ...args.labels },
    },
    { parent, dependsOn: setup },
  );
  const destination = new gcp.databasemigrationservice.ConnectionProfile(
    `${name}-destination-profile`,
    {
      location: args.region,
      connectionProfileId: `${args.idPrefix}-cloudsql-standby`,
      displayName: `${args.idPrefix}: Cloud SQL standby`,
      role: "DESTINATION",
      postgresql: {
        cloudSqlId: pulumi.output(args.destinationDatabaseId).apply(instanceOfDatabaseId),
      },
      labels: { ...args.labels },
    },
    opts,
  );
  return new gcp.databasemigrationservice.MigrationJob(
    `${name}-job`,
    {
      location: args.region,
      migrationJobId: `${args.idPrefix}-rds-to-cloudsql`,
      displayName: `${args.idPrefix}: RDS to the Cloud SQL standby`,
      type: "CONTINUOUS",
      source: source.name,
      destination: destination.name,
      vpcPeeringConnectivity: { vpc: args.networkId },
      desiredState: args.start === true ? "RUNNING" : "NOT_STARTED",
      labels: { ...args.labels },
    },
    { parent, dependsOn: args.pathReady },
  );
}

/**
 * Cloud Monitoring alert: the standby's Cloud SQL instance, a replica of the external RDS
 * primary, more than `lagAlertSeconds` behind for a minute.
 */
function createLagAlert(
  name: string,
  args: DatabaseReplicationArgs,
  lagAlertSeconds: number,
  parent: pulumi.Resource,
): gcp.monitoring.AlertPolicy {
  return new gcp.monitoring.AlertPolicy(
    `${name}-lag`,
    {
      displayName: `${args.idPrefix}: standby database more than ${lagAlertSeconds}s behind`,
      combiner: "OR",
      conditions: [
        {
          displayName: "Cloud SQL replica lag",
          conditionThreshold: {
            filter: pulumi.interpolate`resource.type = "cloudsql_database" AND resource.labels.database_id = "${args.destinationDatabaseId}" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"`,
            comparison: "COMPARISON_GT",
            thresholdValue: lagAlertSeconds,
            duration: `${lagAlertDurationSeconds}s`,
            aggregations: [
              { alignmentPeriod: `${lagAlertAlignmentSeconds}s`, perSeriesAligner: "ALIGN_MAX" },
            ],
          },
        },
      ],
      documentation: {
        content:
          "The standby's copy of the primary database is behind by more than the RPO the stack states. Check the Database Migration Service job and the AWS-GCP VPN tunnels.",
        mimeType: "text/markdown",
      },
      userLabels: { ...args.labels },
    },
    { parent },
  );
}
