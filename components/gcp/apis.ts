import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Google APIs a GCP site calls, each with what calls it. A new project has none of them
 * on (only Service Usage, which enabling the others needs, is on by default).
 */
export const gcpApiUses = {
  "cloudresourcemanager.googleapis.com": "project IAM grants and reading the project number",
  "compute.googleapis.com": "the VPC, subnet, Cloud Router and NAT, addresses, firewall rules",
  "servicenetworking.googleapis.com": "private service access for Cloud SQL and Memorystore",
  "iam.googleapis.com": "service accounts, custom roles and service-account IAM",
  "iamcredentials.googleapis.com": "Workload Identity: pods acting as Google service accounts",
  "cloudkms.googleapis.com": "key rings and keys (GKE Secrets, buckets)",
  "container.googleapis.com": "the GKE cluster and its node pool",
  "logging.googleapis.com": "GKE's system and workload logs",
  "monitoring.googleapis.com": "GKE's system metrics, notification channels, alert policies",
  "sqladmin.googleapis.com": "Cloud SQL for PostgreSQL",
  "redis.googleapis.com": "Memorystore for Redis",
  "storage.googleapis.com": "buckets, bucket IAM and the Cloud Storage service agent",
  "storagetransfer.googleapis.com": "the jobs copying the primary's buckets into the standby",
  "datamigration.googleapis.com":
    "Database Migration Service: the primary's database replicated into the standby's Cloud SQL",
  "pubsub.googleapis.com": "the notification queue: topics, subscriptions and their IAM",
} as const;

export type GcpApi = keyof typeof gcpApiUses;

/** The API a GCP resource type is served by (`gcp:<module>/<resource>:<Type>`); none for unknown modules. */
export function apiOfResourceType(type: string): GcpApi | undefined {
  const [pkg, member] = type.split(":");
  if (pkg !== "gcp" || member === undefined) return undefined;
  const [module, resource] = member.split("/");
  if (module === "storage" && resource === "transferJob") return "storagetransfer.googleapis.com";
  if (module === "projects") {
    // Enabling an API is Service Usage's job, on before anything else.
    if (resource === "service") return undefined;
    return resource === "iAMCustomRole"
      ? "iam.googleapis.com"
      : "cloudresourcemanager.googleapis.com";
  }
  const byModule: Readonly<Record<string, GcpApi>> = {
    compute: "compute.googleapis.com",
    servicenetworking: "servicenetworking.googleapis.com",
    serviceaccount: "iam.googleapis.com",
    kms: "cloudkms.googleapis.com",
    container: "container.googleapis.com",
    monitoring: "monitoring.googleapis.com",
    sql: "sqladmin.googleapis.com",
    redis: "redis.googleapis.com",
    storage: "storage.googleapis.com",
    databasemigrationservice: "datamigration.googleapis.com",
    pubsub: "pubsub.googleapis.com",
  };
  return byModule[module ?? ""];
}

/** What a GCP site builds, which decides the APIs it needs. */
export interface GcpSiteServices {
  /** Cloud SQL. */
  readonly database: boolean;
  /** Memorystore. */
  readonly cache: boolean;
  /** Cloud Storage buckets. */
  readonly objectStore: boolean;
  /** A Storage Transfer job copies the primary's backups into this site's bucket. */
  readonly backupTransfer: boolean;
  /** Database Migration Service replicates the primary's database into this site's Cloud SQL. */
  readonly databaseReplication?: boolean;
  /** Pub/Sub: the notification queue. */
  readonly queue?: boolean;
}

/**
 * The APIs a site needs: the network, GKE (with its keys, service accounts, Workload Identity,
 * logs and metrics) always; Cloud SQL, Memorystore, Cloud Storage, Storage Transfer and Pub/Sub
 * when the site builds them.
 */
export function gcpApisFor(site: GcpSiteServices): GcpApi[] {
  const always: GcpApi[] = [
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "servicenetworking.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "cloudkms.googleapis.com",
    "container.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
  ];
  return [
    ...always,
    ...(site.database ? (["sqladmin.googleapis.com"] as const) : []),
    ...(site.cache ? (["redis.googleapis.com"] as const) : []),
    ...(site.objectStore ? (["storage.googleapis.com"] as const) : []),
    ...(site.objectStore && site.backupTransfer
      ? (["storagetransfer.googleapis.com"] as const)
      : []),
    ...(site.database && site.databaseReplication === true
      ? (["datamigration.googleapis.com"] as const)
      : []),
    ...(site.queue === true ? (["pubsub.googleapis.com"] as const) : []),
  ];
}

export interface GcpApisArgs {
  /** GCP project id the APIs are enabled in. */
  readonly project: string;
  /** The APIs to enable. */
  readonly apis: readonly GcpApi[];
}

/**
 * The project's APIs, enabled once per stack. Destroying the stack leaves them on: other
 * users of the project may rely on them, and disabling one breaks their resources.
 */
export class GcpApis extends pulumi.ComponentResource {
  /** The enablement of each API, by API name. */
  readonly services: Readonly<Partial<Record<GcpApi, gcp.projects.Service>>>;

  constructor(name: string, args: GcpApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:gcp:Apis", name, {}, opts);
    this.services = Object.fromEntries(
      args.apis.map((api) => [
        api,
        new gcp.projects.Service(
          `${name}-${api.split(".")[0]}`,
          { project: args.project, service: api, disableOnDestroy: false },
          { parent: this },
        ),
      ]),
    );
    this.registerOutputs({});
  }
}

export interface GcpSiteProviderArgs {
  readonly project: string;
  readonly region: string;
  /** Labels put on every labelable resource. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A provider that is ready only once the APIs are enabled. Every resource and every lookup
 * made through it waits for the enablement, so nothing calls an API that is still off.
 */
export function providerAfterApis(
  name: string,
  args: GcpSiteProviderArgs,
  apis: GcpApis,
): gcp.Provider {
  return new gcp.Provider(
    name,
    { project: args.project, region: args.region, defaultLabels: { ...args.labels } },
    { dependsOn: Object.values(apis.services) },
  );
}
