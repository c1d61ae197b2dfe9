import * as pulumi from "@pulumi/pulumi";
import { baseNameProblems } from "../components/naming";
import { networkDefaults } from "../components/network";
import {
  appNamespaceDefaults,
  containerLimitDefaults,
  quotaDefaults,
  type NamespaceSettings,
  type ServiceSettings,
} from "../components/workloads";
import { vpcCidr, gkeVersionProblems } from "./cluster";
import { gcpSiteProblems } from "./component-problems";
import { configNamespace } from "./config-namespace";
import { consistencyProblems } from "./consistency";
import { resolveDataServices, type DataServices } from "./data-services";
import { edgeProblems, ingressOrigins, resolveEdge } from "./edge";
import { ConfigError, formatIssues } from "./errors";
import { failoverHostProblems } from "./failover";
import { namespaceProblems } from "./namespaces";
import { resolveObservability } from "./observability";
import type { AcmeDns01, ConfigSource, PlatformConfig } from "./platform-config";
import { rtoProblems } from "./recovery";
import { replicationContext, resolveReplication } from "./replication";
import { rpoProblems } from "./rpo";
import { stackConfigSchema, type StackConfig } from "./schema";
import { keysAt } from "./schema-walk";
import { plainTextCredentialProblems } from "./secrets";
import { resolveClusterSettings } from "./sections/cluster";
import { edgeIngressProblems } from "./sections/edge";
import { alertingProblems } from "./sections/observability";
import { replicationProblems } from "./sections/replication";
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
import type { Target } from "./tiers";

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
    ...gcpSiteProblems(data, { tier, target: cfg.target, standby: cfg.standby }),
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
