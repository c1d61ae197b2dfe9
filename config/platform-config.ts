import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../components/cluster";
import type { NetworkSettings } from "../components/network";
import type { AlertReceivers, ObservabilitySettings } from "../components/observability";
import type {
  NamespaceSettings,
  ScheduledJobSettings,
  ServiceSettings,
} from "../components/workloads";
import type { DataServices } from "./data-services";
import type { EdgeConfig } from "./edge";
import type { OtherKey } from "./namespaces";
import type { RecoveryPointObjective } from "./rpo";
import type { Target, Tier } from "./tiers";

/**
 * The validated, fully resolved configuration of one stack. The data services
 * (`database`, `cache`, `objectStore`, `search`, `queue`, `backup`) each carry `enabled`.
 */
export interface PlatformConfig extends DataServices {
  readonly project: string;
  readonly stack: string;
  /** `<project>-<stack>`: the base of physical names (cluster name, tags). */
  readonly baseName: string;
  readonly tier: Tier;
  readonly target: Target;
  readonly standby: "none" | "gcp";
  readonly aws?: { readonly region: string; readonly replicaRegion?: string };
  readonly gcp?: { readonly project: string; readonly region: string };
  readonly local?: { readonly kubeContext?: string };
  readonly network: NetworkSettings;
  /** The Kubernetes cluster of a cloud target (unused by the local target). */
  readonly cluster: ClusterSettings;
  /** Namespaces to create: `appNamespace`, then `monitoringNamespace`. */
  readonly namespaces: readonly NamespaceSettings[];
  /** The application's namespace: its services and jobs run there. */
  readonly appNamespace: NamespaceSettings;
  /** The monitoring namespace: Prometheus, Alertmanager, Grafana, the exporters. */
  readonly monitoringNamespace: NamespaceSettings;
  /** Application services, run in the first namespace. */
  readonly services: readonly ServiceSettings[];
  /** Scheduled jobs (CronJobs), run in the first namespace; the standby runs none. */
  readonly jobs: readonly ScheduledJobSettings[];
  /** Let's Encrypt account e-mail for the ClusterIssuer; set when a service uses ingress. */
  readonly acmeEmail?: string;
  /** DNS-01 through Cloudflare for the wildcard ingress hosts; set when there are any. */
  readonly acmeDns01?: AcmeDns01;
  readonly observability: {
    readonly settings: ObservabilitySettings;
    /** postgres/redis exporters for in-cluster data services (local by default). */
    readonly inClusterExporters: boolean;
    /** Alert receivers; credentials are Pulumi secrets. */
    readonly receivers: AlertReceivers;
  };
  /** Tags/labels put on every resource that takes them. */
  readonly tags: Readonly<Record<string, string>>;
  /** The Cloudflare edge; absent unless `platform:edge.enabled` is true. */
  readonly edge?: EdgeConfig;
  /** Failover beyond the monitor: the RTO target and what the standby's services run without. */
  readonly failover: FailoverSettings;
  /** The data path to the GCP standby and the RPO it gives; present with a GCP standby. */
  readonly replication?: ReplicationConfig;
}

/** `platform:edge.failover` keys that are not the monitor's timing. */
export interface FailoverSettings {
  /** RTO the stack must meet, seconds. @default none (the RTO is computed and printed only) */
  readonly rtoTargetSeconds?: number;
  /** Connection keys the standby's services start without. @default none */
  readonly standbyRunsWithout: readonly string[];
}

/** The data path from the primary to the GCP standby (`platform:replication`). */
export interface ReplicationConfig {
  /** Replication lag that opens the standby's lag alert, seconds. */
  readonly lagAlertSeconds: number;
  /**
   * RDS's CA bundle for Database Migration Service; a Pulumi secret when the key is one.
   * The database is replicated only with it.
   */
  readonly sourceCaCertificate?: pulumi.Input<string>;
  /** Minutes between Storage Transfer runs copying the buckets. */
  readonly transferIntervalMinutes: number;
  /** Whether the migration job runs; created stopped until the stack says so. */
  readonly startMigration: boolean;
  /** What a failover can lose, computed from the settings above. */
  readonly rpo: RecoveryPointObjective;
}

/** How cert-manager proves control of the zones of wildcard hosts. */
export interface AcmeDns01 {
  /** Zones the DNS-01 solver is chosen for (`dnsZones`), e.g. `directory.example.com`. */
  readonly zones: readonly string[];
  /** Cloudflare API token with Zone:DNS:Edit on those zones. */
  readonly cloudflareApiToken: pulumi.Output<string>;
}

export interface ConfigSource {
  readonly project: string;
  readonly stack: string;
  /** Every `platform:` key the stack sets, keyed without the namespace. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Whether the stack stores this key as a secret. */
  readonly isSecret: (key: string) => boolean;
  /**
   * Paths (`observability.alerting.slackWebhookUrl`) of the values the stack file holds in
   * plain text. @default unknown: a value counts as secret when its top-level key is one
   */
  readonly plainLeaves?: readonly string[];
  /** The keys the stack sets outside `platform:` (`aws:region`). @default none */
  readonly otherKeys?: readonly OtherKey[];
}
