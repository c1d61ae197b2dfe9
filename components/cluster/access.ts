import type { Tier } from "../../config/tiers";

/** How the deployer (`pulumi up` in CI) reaches the cluster's Kubernetes API. */
export const apiAccessModes = ["private", "public"] as const;
export type ApiAccessMode = (typeof apiAccessModes)[number];

/**
 * The deployer's path to the Kubernetes API.
 *
 * - `private`: the API endpoint has only a private address in the cluster's network. The
 *   deployer is a self-hosted CI runner inside that network; `cidrs` are the ranges it lives
 *   in, admitted to the control plane on 443 (on EKS by a rule on the cluster security group,
 *   which otherwise admits only itself; on GKE as master authorized networks).
 * - `public`: the endpoint also has a public address, reachable only from `cidrs` (offices,
 *   a hosted runner's egress address); the private endpoint stays on for the nodes.
 */
export interface ApiAccess {
  /** Private endpoint only, or public limited to `cidrs`. @default "private" on every tier */
  readonly mode: ApiAccessMode;
  /**
   * IPv4 CIDR blocks the deployer lives in. In `public` mode at least one, never a /0 in prod.
   * In `private` mode an empty list stands for the cluster's own network: the stack config
   * resolves it to the VPC's CIDR block (`platform:network.cidrBlock`) on AWS.
   * @default [] (private: the VPC's CIDR block)
   */
  readonly cidrs: readonly string[];
}

/** The API is private on every tier: the deploy runs from a runner inside the network. */
export const apiAccessDefaults: Readonly<Record<Tier, ApiAccess>> = {
  dev: { mode: "private", cidrs: [] },
  staging: { mode: "private", cidrs: [] },
  prod: { mode: "private", cidrs: [] },
};

/** HTTPS port of the Kubernetes API on EKS and GKE. */
export const apiPort = 443;

/** One problem with `apiAccess`: the value and what is allowed. */
export interface ApiAccessProblem {
  readonly value: unknown;
  readonly message: string;
}

/** The rules `apiAccess` must keep, per tier. */
export function apiAccessProblems(access: ApiAccess, tier: Tier): ApiAccessProblem[] {
  const problems: ApiAccessProblem[] = [];
  if (access.mode === "public" && access.cidrs.length === 0) {
    problems.push({
      value: access.cidrs,
      message:
        'lists no CIDR block while mode is "public", which would open the API to 0.0.0.0/0; list the ranges the deployer connects from',
    });
  }
  if (tier === "prod") {
    for (const cidr of access.cidrs.filter((c) => /\/0$/.test(c))) {
      problems.push({
        value: cidr,
        message:
          "admits the whole internet to the prod API; expected the CIDR blocks of your offices or CI runners",
      });
    }
  }
  return problems;
}

/**
 * The ranges admitted in private mode: the stated ones, or the cluster's network when none
 * is stated.
 */
export function privateAccessCidrs(access: ApiAccess, networkCidr: string): string[] {
  return access.cidrs.length > 0 ? [...access.cidrs] : [networkCidr];
}
