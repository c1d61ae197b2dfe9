import * as pulumi from "@pulumi/pulumi";
import { networkDefaults } from "../components/network";
import { gcpNetworkDefaults } from "../components/network/gcp";
import { defaultTransferIntervalMinutes } from "../components/objectstore/transfer";
import { defaultReplicationLagAlertSeconds } from "../components/replication";
import { resolveDataServices } from "./data-services";
import type { ConfigSource, ReplicationConfig } from "./platform-config";
import { computeRpo } from "./rpo";
import type { StackConfig } from "./schema";

export function replicationContext(cfg: StackConfig, source: ConfigSource) {
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
export function resolveReplication(
  cfg: StackConfig,
  source: ConfigSource,
): ReplicationConfig | undefined {
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
