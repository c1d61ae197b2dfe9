import { z } from "zod";
import { clusterDefaults, clusterSettingsProblems } from "../components/cluster";
import { clusterSection } from "./sections/cluster";
import { networkDefaults } from "../components/network";
import { checkDataServices, resolveDataServices } from "./data-services";
import { coreShape } from "./sections/core";
import {
  backupSection,
  cacheSection,
  databaseSection,
  objectStoreSection,
  queueSection,
  searchSection,
} from "./sections/data";
import { edgeSection } from "./sections/edge";
import { ingressSection } from "./sections/ingress";
import { networkSection } from "./sections/network";
import { observabilitySection } from "./sections/observability";
import { workloadsSection } from "./sections/workloads";
import { replicationSection } from "./sections/replication";
import { tiers } from "./tiers";

/**
 * Every `platform:` key a stack may set. Each key's own schema lives in `sections/`; the
 * cross-key rules (what a target requires) are refinements here.
 */
export const stackConfigSchema = z
  .object({
    ...coreShape,
    network: networkSection.optional(),
    cluster: clusterSection.optional(),
    workloads: workloadsSection.optional(),
    ingress: ingressSection.optional(),
    database: databaseSection.optional(),
    cache: cacheSection.optional(),
    objectStore: objectStoreSection.optional(),
    search: searchSection.optional(),
    queue: queueSection.optional(),
    backup: backupSection.optional(),
    observability: observabilitySection.optional(),
    edge: edgeSection.optional(),
    replication: replicationSection.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.cluster) {
      // Rules across keys judge the resolved settings: a stack may set only one of them.
      const resolved = { ...clusterDefaults[cfg.tier], ...cfg.cluster };
      // minNodes above maxNodes is one mistake, said plainly, not two about desiredNodes.
      const inverted = resolved.minNodes > resolved.maxNodes;
      if (inverted) {
        ctx.addIssue({
          code: "custom",
          path: ["cluster", "minNodes"],
          input: resolved.minNodes,
          message: `is more than maxNodes ${resolved.maxNodes}; expected minNodes <= desiredNodes <= maxNodes`,
        });
      }
      for (const problem of clusterSettingsProblems(resolved, cfg.tier)) {
        if (inverted && (problem.key === "minNodes" || problem.key === "desiredNodes")) continue;
        // The section's schema already refused each stated instance type, by its index.
        if (problem.key === "instanceTypes") continue;
        ctx.addIssue({
          code: "custom",
          path: ["cluster", problem.key],
          input: problem.value,
          message: problem.message,
        });
      }
    }
    if (cfg.target === "aws" && !cfg.aws) {
      ctx.addIssue({
        code: "custom",
        path: ["aws"],
        input: undefined,
        message: 'is required when platform:target is "aws"; set platform:aws.region',
      });
    }
    if ((cfg.target === "gcp" || cfg.standby === "gcp") && !cfg.gcp) {
      ctx.addIssue({
        code: "custom",
        path: ["gcp"],
        input: undefined,
        message:
          "is required when GCP is the target or the standby; set platform:gcp.project and platform:gcp.region",
      });
    }
    if (cfg.standby === "gcp" && cfg.target !== "aws") {
      ctx.addIssue({
        code: "custom",
        path: ["standby"],
        input: cfg.standby,
        message:
          'is only supported with platform:target "aws"; the GCP standby backs an AWS primary',
      });
    }
    if (cfg.standby === "gcp" && cfg.database?.engine === "timescaledb") {
      ctx.addIssue({
        code: "custom",
        path: ["database", "engine"],
        input: "timescaledb",
        message:
          'cannot be replicated to the GCP standby, whose Cloud SQL replicates from RDS; expected "managed" with platform:standby',
      });
    }
    if (cfg.database?.engine === "timescaledb" && cfg.workloads?.acmeEmail === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["database", "engine"],
        input: "timescaledb",
        message:
          "needs cert-manager, which the ingress installs, for its backup plugin's certificates; set platform:workloads.acmeEmail",
      });
    }
    if (cfg.target === "local" && cfg.tier === "prod") {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        input: cfg.target,
        message: 'cannot run the prod tier; prod needs a managed target, expected "aws" or "gcp"',
      });
    }
    if (cfg.observability?.inClusterExporters === true && cfg.target !== "local") {
      ctx.addIssue({
        code: "custom",
        path: ["observability", "inClusterExporters"],
        input: true,
        message:
          `is for target "local" only, whose PostgreSQL and Redis run in the cluster; on "${cfg.target}" ` +
          "the managed database and cache publish their metrics to " +
          (cfg.target === "gcp" ? "Cloud Monitoring" : "CloudWatch") +
          ", which managedAlarms watches; remove the key",
      });
    }
    if (tiers.includes(cfg.tier)) {
      const problems = checkDataServices(resolveDataServices(cfg.tier, cfg), {
        target: cfg.target,
        azCount: cfg.network?.azCount ?? networkDefaults[cfg.tier].azCount,
        aws: cfg.aws,
      });
      for (const problem of problems) ctx.addIssue({ code: "custom", ...problem });
    }
  });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
