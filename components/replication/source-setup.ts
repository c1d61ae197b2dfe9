import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { localPostgresImages } from "../database/local";
import { dnsEgress } from "../workloads/network-policy";
import {
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "../workloads/security";

/** Name of the PostgreSQL role Database Migration Service connects to the source as. */
export const replicationUser = "dms_replicator";

/** The psql client the setup runs: the platform's pinned PostgreSQL 16 image. */
export const setupImage = localPostgresImages["16"]!;

/**
 * What Database Migration Service needs inside an RDS source, per database it migrates
 * (`postgres` and the application's): the pglogical extension, a login role holding
 * `rds_replication` and `rds_superuser`, and read access to every schema, pglogical's
 * included. Idempotent: a rerun changes only the password. psql variables `user` and `pw`.
 */
export const sourceSetupSql = `CREATE EXTENSION IF NOT EXISTS pglogical;
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \\gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'pw';
GRANT rds_replication, rds_superuser TO :"user";
GRANT USAGE ON SCHEMA pglogical TO PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA %1$I TO %2$I; GRANT SELECT ON ALL TABLES IN SCHEMA %1$I TO %2$I; GRANT SELECT ON ALL SEQUENCES IN SCHEMA %1$I TO %2$I', nspname, :'user') FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' \\gexec
`;

/** The Job's shell script: the SQL above in `postgres` and in the application's database. */
export function sourceSetupScript(): string {
  return [
    "set -eu",
    'for db in postgres "$APP_DATABASE"; do',
    '  psql -v ON_ERROR_STOP=1 -d "$db" -v user="$REPLICATION_USER" -v pw="$REPLICATION_PASSWORD" <<\'SQL\'',
    sourceSetupSql.trimEnd(),
    "SQL",
    "done",
  ].join("\n");
}

export interface SourceSetupArgs {
  /** Namespace on the primary's cluster the Job runs in (default-deny applies: its own policy opens PostgreSQL). */
  readonly namespace: pulumi.Input<string>;
  /** The primary's VPC range, where RDS lives. */
  readonly sourceCidr: string;
  /** RDS's address. */
  readonly host: pulumi.Input<string>;
  /** RDS's master user, who creates the replication role. */
  readonly masterUser: pulumi.Input<string>;
  /** Secret. */
  readonly masterPassword: pulumi.Input<string>;
  /** The application's database, prepared beside `postgres`. */
  readonly databaseName: string;
  /** The replication role's password. Secret. */
  readonly replicationPassword: pulumi.Input<string>;
  /** Labels of the Secret, the NetworkPolicy and the Job (its pods are selected by name). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A one-shot Job on the primary's cluster (the only place inside the VPC that reaches RDS)
 * that prepares the source as above, with its credentials in a Secret and a NetworkPolicy
 * letting it reach only DNS and PostgreSQL in the VPC. Pulumi waits for it to complete.
 */
export function createSourceSetup(
  name: string,
  args: SourceSetupArgs,
  parent: pulumi.Resource,
  dependsOn: pulumi.Input<pulumi.Resource>[] = [],
): k8s.batch.v1.Job {
  const labels = { ...args.labels, "app.kubernetes.io/name": name };
  const metadata = { namespace: args.namespace, labels };
  const secret = new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata,
      stringData: {
        PGHOST: args.host,
        PGUSER: args.masterUser,
        PGPASSWORD: pulumi.secret(args.masterPassword),
        REPLICATION_PASSWORD: pulumi.secret(args.replicationPassword),
      },
    },
    { parent, dependsOn },
  );
  const policy = new k8s.networking.v1.NetworkPolicy(
    `${name}-egress`,
    {
      metadata,
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
        policyTypes: ["Ingress", "Egress"],
        egress: [
          dnsEgress,
          {
            to: [{ ipBlock: { cidr: args.sourceCidr } }],
            ports: [{ protocol: "TCP", port: 5432 }],
          },
        ],
      },
    },
    { parent, dependsOn },
  );
  return new k8s.batch.v1.Job(
    name,
    { metadata, spec: sourceSetupJobSpec(args, labels, secret) },
    { parent, dependsOn: [policy] },
  );
}

function sourceSetupJobSpec(
  args: SourceSetupArgs,
  labels: Record<string, string>,
  secret: k8s.core.v1.Secret,
): k8s.types.input.batch.v1.JobSpec {
  return {
    backoffLimit: 6,
    activeDeadlineSeconds: 900,
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: "Never",
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(),
        containers: [
          {
            name: "psql",
            image: setupImage,
            command: ["sh", "-c", sourceSetupScript()],
            envFrom: [{ secretRef: { name: secret.metadata.name } }],
            env: [
              { name: "PGSSLMODE", value: "require" },
              { name: "APP_DATABASE", value: args.databaseName },
              { name: "REPLICATION_USER", value: replicationUser },
            ],
            resources: {
              requests: { cpu: "50m", memory: "64Mi" },
              limits: { cpu: "200m", memory: "128Mi" },
            },
            securityContext: restrictedContainerSecurityContext(),
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          },
        ],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
      },
    },
  };
}
