/**
 * The stack config: read (`loader.ts`), validated and resolved over the tier's defaults
 * (`parse.ts`) into one `PlatformConfig` (`platform-config.ts`), by concern: the cluster
 * (`cluster.ts`), the data services (`data-services.ts`, and the GCP site's components' own
 * rules in `component-problems.ts`), the edge (`edge.ts`), observability
 * (`observability.ts`), the standby's data path (`replication.ts`), the workloads
 * (`services.ts`).
 */
export { configNamespace } from "./config-namespace";
export { ConfigError } from "./errors";
export type { Target, Tier } from "./tiers";
export type { DataServices, Switched } from "./data-services";
export { ingressOrigins, type EdgeConfig, type IngressOrigin } from "./edge";
export { configSourceOf, loadConfig, readConfigSource, type RawStackConfig } from "./loader";
export { parseStackConfig } from "./parse";
export type {
  AcmeDns01,
  ConfigSource,
  FailoverSettings,
  PlatformConfig,
  ReplicationConfig,
} from "./platform-config";
