import { clusterDefaults } from "../components/cluster";
import { gkeVersionProblem, isoDay } from "../components/cluster/versions";
import { networkDefaults } from "../components/network";
import { showValue } from "./errors";
import type { StackConfig } from "./schema";

/** The primary VPC's range: the stack's, or its tier's default. */
export function vpcCidr(cfg: StackConfig): string {
  return cfg.network?.cidrBlock ?? networkDefaults[cfg.tier].cidrBlock;
}

/** A GKE cluster (a GCP target, or prod's GCP standby) runs the stack's version: GKE must serve it. */
export function gkeVersionProblems(cfg: StackConfig): string[] {
  if (cfg.target !== "gcp" && cfg.standby !== "gcp") return [];
  const version = cfg.cluster?.version ?? clusterDefaults[cfg.tier].version;
  const problem = gkeVersionProblem(version, isoDay(new Date()));
  return problem === undefined
    ? []
    : [`platform:cluster.version: ${showValue(version, false)} ${problem}`];
}
