import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { clusterDefaults, type ClusterSettings } from "../components/cluster";
import { gkeVersionProblem, isoDay } from "../components/cluster/versions";
import {
  edgeDefaults,
  failoverProblems,
  formerPresetNames,
  type RateLimitPreset,
  healthRoutes,
  rateLimitPresets,
  type EdgeSettings,
  type RateLimitRule,
  type ZoneRef,
  wildcardLabel,
} from "../components/edge";
import { baseNameProblems } from "../components/naming";
import { networkDefaults, type NetworkSettings } from "../components/network";
import {
  appNamespaceDefaults,
  containerLimitDefaults,
  quotaDefaults,
  type NamespaceSettings,
  type ScheduledJobSettings,
  type ServiceSettings,
} from "../components/workloads";
import { resolveDataServices, type DataServices } from "./data-services";
import {
  observabilityDefaults,
  type AlertReceivers,
  type ObservabilitySettings,
} from "../components/observability";
import { ConfigError, formatIssues, showValue } from "./errors";
import { failoverHostProblems } from "./failover";
import { rtoProblems } from "./recovery";
import { resolveClusterSettings } from "./sections/cluster";
import { edgeIngressProblems } from "./sections/edge";
import { alertingProblems } from "./sections/observability";
import {
  jobProblems,
  quotaProblems,
  resolveJob,
  resolveService,
  serviceProblems,
  usesProblems,
  type UsableResources,
  wildcardHostProblems,
  wildcardZones,
} from "./services";
import { keysAt } from "./schema-walk";
import { consistencyProblems } from "./consistency";
import { namespaceProblems, type OtherKey } from "./namespaces";
import { plainTextCredentialProblems } from "./secrets";
import { plainLeavesOf, stackFilePath } from "./stack-file";
import { computeRpo, rpoProblems, type RecoveryPointObjective } from "./rpo";
import { replicationProblems } from "./sections/replication";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { defaultReplicationLagAlertSeconds } from "../components/replication";
import { defaultTransferIntervalMinutes } from "../components/objectstore/transfer";
import { stackConfigSchema, type StackConfig } from "./schema";
import type { Target, Tier } from "./tiers";

export { ConfigError } from "./errors";
export type { Target, Tier } from "./tiers";
export type { DataServices, Switched } from "./data-services";

export const configNamespace = "platform";

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

/** The edge's settings resolved over the tier's defaults, with the zone and origins. */
export interface EdgeConfig extends EdgeSettings {
  readonly zone: ZoneRef;
  readonly accountId?: string;
  readonly hosts: readonly string[];
  /** Origin hostnames the stack states; where absent, the clouds' ingress gives them. */
  readonly origins: { readonly aws?: string; readonly gcp?: string };
  /** Each host's monitor path: the readiness path of a service the ingress routes there. */
  readonly healthPaths: Readonly<Record<string, string>>;
}

/** Where a cloud's edge origin comes from when the stack does not state it. */
export type IngressOrigin = "primary" | "standby";

/**
 * Which ingress controller gives each cloud's edge origin: the primary's on its own cloud,
 * the GCP standby's on GCP. None without an ingress controller (no `acmeEmail`: no service is
 * exposed by ingress) or on the local target, which has no public load balancer.
 */
export function ingressOrigins(cfg: Pick<PlatformConfig, "target" | "standby" | "acmeEmail">): {
  readonly aws?: IngressOrigin;
  readonly gcp?: IngressOrigin;
} {
  if (cfg.acmeEmail === undefined) return {};
  return {
    ...(cfg.target === "aws" && { aws: "primary" as const }),
    ...(cfg.target === "gcp"
      ? { gcp: "primary" as const }
      : cfg.standby === "gcp" && { gcp: "standby" as const }),
  };
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

/**
 * Validates a stack's config and resolves it over the tier's defaults. Throws one
 * `ConfigError` listing every problem; nothing is registered before this returns.
 */
export function parseStackConfig(source: ConfigSource): PlatformConfig {
  const parsed = stackConfigSchema.safeParse(source.values, { reportInput: true });
  const problems = [
    ...(parsed.success
      ? []
      : formatIssues(parsed.error.issues, configNamespace, source.isSecret, (path) =>
          keysAt(stackConfigSchema, path),
        )),
    ...namespaceProblems(source.otherKeys ?? []),
    ...plainTextCredentialProblems(configNamespace, {
      values: source.values,
      isSecret: source.isSecret,
      plainLeaves: source.plainLeaves,
      otherKeys: source.otherKeys ?? [],
    }),
    ...baseNameProblems(source.project, source.stack),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const resolved = resolve(parsed.data, source);
  // Rules over the resolved config, across keys and the tier's defaults.
  const late = [
    ...edgeProblems(resolved, parsed.data),
    ...failoverHostProblems(resolved, ingressOrigins(resolved)),
    ...rtoProblems(resolved),
    ...alertingProblems({
      tier: resolved.tier,
      target: resolved.target,
      managedAlarms: resolved.observability.settings.managedAlarms,
      alerting: parsed.data.observability?.alerting,
    }),
  ];
  if (late.length > 0) throw new ConfigError(late);
  return resolved;
}

function resolve(cfg: StackConfig, source: ConfigSource): PlatformConfig {
  const tier = cfg.tier;
  const baseName = `${source.project}-${source.stack}`;
  const appNamespace: NamespaceSettings = {
    name: cfg.workloads?.namespace ?? appNamespaceDefaults[tier],
    quota: { ...quotaDefaults[tier], ...cfg.workloads?.quota },
    containerLimits: { ...containerLimitDefaults[tier], ...cfg.workloads?.containerLimits },
  };
  const services = (cfg.workloads?.services ?? []).map((s) => resolveService(s, tier));
  const jobs = (cfg.workloads?.jobs ?? []).map(resolveJob);
  const data = resolveDataServices(tier, cfg);
  const problems = [
    ...consistencyProblems(
      cfg,
      resolveClusterSettings(tier, cfg.target, cfg.cluster, vpcCidr(cfg)),
    ),
    ...serviceProblems(services, cfg.workloads?.acmeEmail),
    ...jobProblems(jobs, services),
    ...quotaProblems(services, appNamespace, jobs),
    ...wildcardHostProblems(services, cfg.ingress?.cloudflareApiToken !== undefined),
    ...edgeIngressProblems(
      cfg.edge,
      ingressHosts(services),
      cfg.ingress?.cloudflareApiToken !== undefined,
    ),
    ...gkeVersionProblems(cfg),
    ...replicationProblems(cfg.replication, replicationContext(cfg, source)),
    ...usesProblems(services, usableResources(cfg.target, data)),
  ];
  const replication = resolveReplication(cfg, source);
  if (replication) problems.push(...rpoProblems(replication.rpo));
  if (problems.length > 0) throw new ConfigError(problems);
  const monitoringNamespace: NamespaceSettings = {
    name: "monitoring",
    quota: quotaDefaults[tier],
    containerLimits: containerLimitDefaults[tier],
  };
  return {
    project: source.project,
    stack: source.stack,
    baseName,
    tier,
    target: cfg.target,
    standby: cfg.standby,
    aws: cfg.aws,
    gcp: cfg.gcp,
    local: cfg.local,
    network: { ...networkDefaults[tier], ...cfg.network },
    cluster: resolveClusterSettings(tier, cfg.target, cfg.cluster, vpcCidr(cfg)),
    ...data,
    namespaces: [appNamespace, monitoringNamespace],
    appNamespace,
    monitoringNamespace,
    services,
    jobs,
    ...(cfg.workloads?.acmeEmail !== undefined && { acmeEmail: cfg.workloads.acmeEmail }),
    ...resolveAcmeDns01(
      services,
      cfg.ingress?.cloudflareApiToken,
      cfg.edge?.enabled === true ? cfg.edge.zoneName : undefined,
    ),
    observability: resolveObservability(cfg),
    tags: { project: source.project, stack: source.stack, tier, "managed-by": "pulumi" },
    edge: cfg.edge?.enabled === true ? resolveEdge(cfg.edge, tier, services) : undefined,
    failover: {
      ...(cfg.edge?.failover?.rtoTargetSeconds !== undefined && {
        rtoTargetSeconds: cfg.edge.failover.rtoTargetSeconds,
      }),
      standbyRunsWithout: cfg.edge?.failover?.standbyRunsWithout ?? [],
    },
    ...(replication && { replication }),
  };
}

/** The primary VPC's range: the stack's, or its tier's default. */
function vpcCidr(cfg: StackConfig): string {
  return cfg.network?.cidrBlock ?? networkDefaults[cfg.tier].cidrBlock;
}

/**
 * What services may use: the configured bucket roles when the object store is on (on a local
 * cluster, the in-cluster MinIO's); the queue on AWS and GCP and search on AWS when on.
 */
function usableResources(target: Target, data: DataServices): UsableResources {
  return {
    buckets: data.objectStore.enabled ? data.objectStore.buckets.map((b) => b.role) : [],
    noBuckets: "platform:objectStore.enabled is false; enable it or remove the use",
    queue: (target === "aws" || target === "gcp") && data.queue.enabled,
    search: target === "aws" && data.search.enabled,
  };
}

function replicationContext(cfg: StackConfig, source: ConfigSource) {
  const g = gcpNetworkDefaults;
  return {
    standby: cfg.standby,
    awsCidr: cfg.network?.cidrBlock ?? networkDefaults[cfg.tier].cidrBlock,
    gcpRanges: {
      subnet: g.subnetCidr,
      pods: g.podsCidr,
      services: g.servicesCidr,
      "private service access": `${g.privateServiceAddress}/${g.privateServicePrefixLength}`,
    },
    secret: source.isSecret("replication"),
  };
}

/** The data path's settings over their defaults, and the RPO they give; only with a GCP standby. */
function resolveReplication(cfg: StackConfig, source: ConfigSource): ReplicationConfig | undefined {
  if (cfg.standby !== "gcp") return undefined;
  const r = cfg.replication;
  const data = resolveDataServices(cfg.tier, cfg);
  const objects = data.objectStore;
  const lagAlertSeconds = r?.lagAlertSeconds ?? defaultReplicationLagAlertSeconds;
  const transferIntervalMinutes = defaultTransferIntervalMinutes;
  const ca = r?.sourceCaCertificate;
  return {
    lagAlertSeconds,
    transferIntervalMinutes,
    startMigration: r?.startMigration ?? false,
    ...(ca !== undefined && {
      sourceCaCertificate: source.isSecret("replication") ? pulumi.secret(ca) : ca,
    }),
    rpo: computeRpo({
      database: {
        enabled: data.database.enabled,
        replicated: ca !== undefined && data.database.enabled,
      },
      cache: data.cache.enabled,
      lagAlertSeconds,
      transferIntervalMinutes,
      buckets: objects.enabled ? objects.buckets.map((b) => b.role) : [],
      ...(r?.rpoTargetSeconds !== undefined && { rpoTargetSeconds: r.rpoTargetSeconds }),
    }),
  };
}

/** Each service's ingress host with its config key. */
function ingressHosts(services: readonly ServiceSettings[]): { key: string; host: string }[] {
  return services.flatMap((s, i) =>
    s.exposure.kind === "ingress"
      ? [{ key: `platform:workloads.services[${i}].exposure.host`, host: s.exposure.host }]
      : [],
  );
}

/**
 * DNS-01 for the wildcard hosts' zones and, behind the edge, for the edge's zone: every
 * proxied host is then issued by DNS-01, on both origins alike.
 */
function resolveAcmeDns01(
  services: readonly ServiceSettings[],
  token: string | undefined,
  edgeZone: string | undefined,
): { acmeDns01?: AcmeDns01 } {
  const zones = [...new Set([...wildcardZones(services), ...(edgeZone ? [edgeZone] : [])])];
  if (token === undefined || zones.length === 0) return {};
  return { acmeDns01: { zones, cloudflareApiToken: pulumi.secret(token) } };
}

function resolveObservability(cfg: StackConfig): PlatformConfig["observability"] {
  const o = cfg.observability;
  const a = o?.alerting;
  const secret = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
  return {
    settings: {
      ...observabilityDefaults[cfg.tier],
      ...(o?.metricsRetention !== undefined && { metricsRetention: o.metricsRetention }),
      ...(o?.logRetentionDays !== undefined && { logRetentionDays: o.logRetentionDays }),
      ...(o?.managedAlarms !== undefined && { managedAlarms: o.managedAlarms }),
      ...(o?.accessLogRetentionDays !== undefined && {
        accessLogRetentionDays: o.accessLogRetentionDays,
      }),
    },
    inClusterExporters: o?.inClusterExporters ?? cfg.target === "local",
    receivers: {
      pagerdutyKey: secret(a?.pagerdutyKey),
      pagerdutyCloudwatchKey: secret(a?.pagerdutyCloudwatchKey),
      slackWebhookUrl: secret(a?.slackWebhookUrl),
      emailPassword: secret(a?.emailPassword),
      slackChannel: a?.slackChannel,
      emailTo: a?.emailTo,
      emailFrom: a?.emailFrom,
      emailSmarthost: a?.emailSmarthost,
      emailUsername: a?.emailUsername,
    },
  };
}

type EdgeInput = NonNullable<StackConfig["edge"]>;
type RateLimitInput = NonNullable<EdgeInput["rateLimits"]>[number];

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A preset by its current name; a former one (`formerPresetNames`) still works, and the plan
 * prints which name replaces it.
 */
function currentPreset(
  preset: RateLimitInput["preset"],
  index: number,
): RateLimitPreset | undefined {
  if (preset === undefined) return undefined;
  if (!(preset in formerPresetNames)) return preset as RateLimitPreset;
  const current = formerPresetNames[preset as keyof typeof formerPresetNames];
  void pulumi.log.warn(
    `platform:edge.rateLimits[${index}].preset: "${preset}" is the former name of "${current}", which it still means; write "${current}"`,
  );
  return current;
}

function resolveRateLimit(entry: RateLimitInput, index: number): RateLimitRule {
  const { preset, ...overrides } = entry;
  const presetName = currentPreset(preset, index);
  const base = presetName === undefined ? undefined : rateLimitPresets[presetName];
  const name = overrides.name ?? base?.name;
  const requestsPerPeriod = overrides.requestsPerPeriod ?? base?.requestsPerPeriod;
  const periodSeconds = overrides.periodSeconds ?? base?.periodSeconds;
  if (name === undefined || requestsPerPeriod === undefined || periodSeconds === undefined) {
    // The schema refuses such an entry before it gets here.
    throw new Error("a rate limit without a preset needs name, requestsPerPeriod, periodSeconds");
  }
  return {
    name,
    requestsPerPeriod,
    periodSeconds,
    // Without a stated timeout, the action lasts one period.
    mitigationTimeoutSeconds:
      overrides.mitigationTimeoutSeconds ?? base?.mitigationTimeoutSeconds ?? periodSeconds,
    action: overrides.action ?? base?.action ?? "block",
    hosts: overrides.hosts ?? base?.hosts ?? [],
  };
}

function resolveEdge(
  edge: EdgeInput,
  tier: Tier,
  services: readonly ServiceSettings[],
): EdgeConfig {
  const defaults = edgeDefaults[tier];
  const zone: ZoneRef =
    edge.zoneId !== undefined
      ? { id: edge.zoneId, name: edge.zoneName }
      : { name: edge.zoneName ?? "" };
  return {
    ...defaults,
    ...defined({
      wafMode: edge.wafMode,
      owaspParanoiaLevel: edge.owaspParanoiaLevel,
      owaspScoreThreshold: edge.owaspScoreThreshold,
      hstsMaxAgeSeconds: edge.hstsMaxAgeSeconds,
      loadBalancer: edge.loadBalancer,
      primaryPool: edge.primaryPool,
      contentSecurityPolicy: edge.contentSecurityPolicy,
      modernCiphersOnly: edge.modernCiphersOnly,
    }),
    rateLimits: edge.rateLimits?.map(resolveRateLimit) ?? defaults.rateLimits,
    cache: { ...defaults.cache, ...defined(edge.cache ?? {}) },
    failover: { ...defaults.failover, ...defined(monitorTiming(edge.failover)) },
    zone,
    accountId: edge.accountId,
    hosts: edge.hosts ?? [],
    origins: defined({ aws: edge.origins?.aws, gcp: edge.origins?.gcp }),
    healthPaths: Object.fromEntries(
      healthRoutes(edge.hosts ?? [], edge.zoneName ?? "", services).routes.map((r) => [
        r.label,
        r.path,
      ]),
    ),
  };
}

/** The monitor's keys of `platform:edge.failover`, without the recovery keys beside them. */
function monitorTiming(failover: EdgeInput["failover"]) {
  const f = failover ?? {};
  return {
    intervalSeconds: f.intervalSeconds,
    timeoutSeconds: f.timeoutSeconds,
    retries: f.retries,
    consecutiveDown: f.consecutiveDown,
    consecutiveUp: f.consecutiveUp,
  };
}

/** Rules across the edge's keys and the tier's defaults, checked once they are merged. */
function edgeProblems(cfg: PlatformConfig, input: StackConfig): string[] {
  const edge = cfg.edge;
  if (!edge) return [];
  const key = (k: string) => `platform:edge.${k}`;
  const problems: string[] = [];
  const missing = (k: string, why: string) => problems.push(`${key(k)}: (missing) ${why}`);
  if (input.edge?.zoneName === undefined && input.edge?.zoneId === undefined) {
    missing("zoneName", `is required when ${key("enabled")} is true; set it (or ${key("zoneId")})`);
  }
  if (edge.hosts.length === 0) {
    missing("hosts", `is required when ${key("enabled")} is true; expected e.g. ["app", "api"]`);
  }
  const derived = ingressOrigins(cfg);
  // Why a cloud's origin cannot come from an ingress controller of this stack.
  const underived = (cloud: "aws" | "gcp") =>
    cfg.acmeEmail === undefined
      ? "no service is exposed by ingress (platform:workloads.acmeEmail is unset), so no ingress controller gives it"
      : cloud === "aws"
        ? `platform:target is ${showValue(cfg.target, false)}, so no ingress controller runs on aws`
        : `neither platform:target nor platform:standby is "gcp", so no ingress controller runs on gcp`;
  const needOrigin = (cloud: "aws" | "gcp", why: string) => {
    if (edge.origins[cloud] === undefined && derived[cloud] === undefined) {
      missing(
        `origins.${cloud}`,
        `${why}; ${underived(cloud)}: set the hostname of the ${cloud.toUpperCase()} load balancer the edge fronts`,
      );
    }
  };
  needOrigin(edge.primaryPool, `is required: ${key("primaryPool")} is "${edge.primaryPool}"`);
  edge.rateLimits.forEach((rule, i) =>
    rule.hosts.forEach((host, j) => {
      if (!edge.hosts.includes(host)) {
        problems.push(
          `${key(`rateLimits[${i}].hosts[${j}]`)}: ${showValue(host, false)} is not a public host; expected one of ${edge.hosts.join(", ")}`,
        );
      }
    }),
  );
  if (edge.loadBalancer && edge.hosts.includes(wildcardLabel)) {
    problems.push(
      `${key("hosts")}: "*" cannot be load balanced (${key("loadBalancer")} is true in ${cfg.tier}); Cloudflare load balancers take named hosts, so set ${key("loadBalancer")} false or name the hosts`,
    );
  }
  if (edge.loadBalancer) {
    const why = `is required for the load balancer (${key("loadBalancer")} is true in ${cfg.tier})`;
    if (edge.accountId === undefined) missing("accountId", why);
    needOrigin(edge.primaryPool === "aws" ? "gcp" : "aws", why);
    if (cfg.standby !== "gcp") {
      problems.push(
        `${key("loadBalancer")}: true needs a standby to fail over to, but platform:standby is ${showValue(cfg.standby, false)}; set platform:standby "gcp" or ${key("loadBalancer")} false`,
      );
    }
    problems.push(...failoverProblems(edge.failover, key("failover")));
  }
  return problems;
}

/** A stack's config as the CLI hands it to the program. */
export interface RawStackConfig {
  readonly project: string;
  readonly stack: string;
  /** Every key, namespaced (`platform:tier`, `aws:region`): text, or JSON text. */
  readonly config: Readonly<Record<string, string>>;
  /** Whether a namespaced key is stored as a secret. */
  readonly isSecret: (key: string) => boolean;
  /** Paths of the plain-text values inside `platform:` keys, from the stack file. */
  readonly plainLeaves?: readonly string[];
}

/** The program's view of a stack's config: its `platform:` keys and every other key. */
export function configSourceOf(raw: RawStackConfig): ConfigSource {
  const prefix = `${configNamespace}:`;
  const values: Record<string, unknown> = {};
  const otherKeys: OtherKey[] = [];
  for (const [key, text] of Object.entries(raw.config)) {
    if (key.startsWith(prefix)) values[key.slice(prefix.length)] = parseValue(text);
    else otherKeys.push({ key, value: parseValue(text), secret: raw.isSecret(key) });
  }
  return {
    project: raw.project,
    stack: raw.stack,
    values,
    isSecret: (key) => raw.isSecret(`${prefix}${key}`),
    ...(raw.plainLeaves !== undefined && { plainLeaves: raw.plainLeaves }),
    otherKeys,
  };
}

/**
 * Reads the keys of the running stack. Structured values arrive as JSON text, as the Pulumi
 * CLI passes them; which values inside a secret key are plain text is read from the stack
 * file, since the CLI marks only whole top-level keys secret.
 */
export function readConfigSource(): ConfigSource {
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  const file = stackFilePath(process.cwd(), stack);
  const plainLeaves =
    file === undefined ? undefined : plainLeavesOf(file, configNamespace, project);
  return configSourceOf({
    project,
    stack,
    config: pulumi.runtime.allConfig(),
    isSecret: isConfigSecret,
    ...(plainLeaves !== undefined && { plainLeaves }),
  });
}

/**
 * The SDK knows which keys the CLI passed as secrets but keeps the check internal; the
 * runtime module exports it all the same.
 */
function isConfigSecret(key: string): boolean {
  const internal = runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean };
  return internal.isConfigSecret?.(key) ?? false;
}

/** YAML's spellings of the special floats, which a scalar key passes as text. */
const yamlFloats: Readonly<Record<string, number>> = {
  ".inf": Infinity,
  "+.inf": Infinity,
  "-.inf": -Infinity,
  ".nan": NaN,
};

/**
 * A value as the CLI passes it: text, or JSON text. JSON has no infinities: inside structured
 * values they travel as YAML's spelling (".inf"), turned back into numbers here.
 */
function parseValue(text: string): unknown {
  const special = yamlFloats[text.toLowerCase()];
  if (special !== undefined) return special;
  try {
    return JSON.parse(text, (_key, value: unknown) =>
      typeof value === "string" ? (yamlFloats[value.toLowerCase()] ?? value) : value,
    ) as unknown;
  } catch {
    return text;
  }
}

/** Reads and validates the running stack's config. */
export function loadConfig(): PlatformConfig {
  return parseStackConfig(readConfigSource());
}

/** A GKE cluster (a GCP target, or prod's GCP standby) runs the stack's version: GKE must serve it. */
function gkeVersionProblems(cfg: StackConfig): string[] {
  if (cfg.target !== "gcp" && cfg.standby !== "gcp") return [];
  const version = cfg.cluster?.version ?? clusterDefaults[cfg.tier].version;
  const problem = gkeVersionProblem(version, isoDay(new Date()));
  return problem === undefined
    ? []
    : [`platform:cluster.version: ${showValue(version, false)} ${problem}`];
}
