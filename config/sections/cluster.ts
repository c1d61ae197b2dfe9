import { z } from "zod";
import {
  apiAccessModes,
  clusterDefaults,
  instanceTypePattern,
  kubernetesVersions,
  type ClusterSettings,
} from "../../components/cluster";
import {
  eksVersionProblem,
  isoDay,
  type KubernetesVersion,
} from "../../components/cluster/versions";
import type { Target, Tier } from "../tiers";
import { ipv4Cidr } from "../cidr";
import { logRetention } from "./network";

const nodeCount = (what: string) =>
  z
    .number({ error: `is not a number; expected the ${what} as a whole number` })
    .int({ error: `is not a whole number; expected the ${what} as a whole number` })
    .min(1, { error: `is below 1; expected the ${what} to be at least 1` })
    .max(100, { error: `is above 100; expected the ${what} to be at most 100` });

const deployerCidr = ipv4Cidr({ minPrefix: 0, maxPrefix: 32, example: "203.0.113.0/24" });

/** An IAM role's ARN, in any partition; paths allowed. */
const iamRoleArn = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** `platform:cluster.apiAccess`: `{ mode: private | public, cidrs: [...] }`. */
const apiAccess = z
  .object(
    {
      mode: z.enum(apiAccessModes, {
        error: `is not an API access mode; expected one of ${apiAccessModes.join(", ")}`,
      }),
      cidrs: z
        .array(deployerCidr, {
          error: "is not a list; expected the CIDR blocks the deployer connects from",
        })
        .default([]),
    },
    { error: 'is not an object; expected { mode: "private" | "public", cidrs: [CIDR, ...] }' },
  )
  .strict();

export const clusterSection = z
  .object({
    version: z
      .string({
        error: `is not a Kubernetes version; expected one of ${kubernetesVersions.join(", ")}`,
      })
      .superRefine((version, ctx) => {
        const problem = eksVersionProblem(version, isoDay(new Date()));
        if (problem !== undefined)
          ctx.addIssue({ code: "custom", message: problem, input: version });
      })
      .transform((version) => version as KubernetesVersion)
      .optional(),
    instanceTypes: z
      .array(
        z.string().regex(instanceTypePattern, {
          error: 'is not an EC2 instance type; expected e.g. "m6i.large" or "c7g.2xlarge"',
        }),
      )
      .min(1, { error: "is empty; expected at least one EC2 instance type" })
      .optional(),
    minNodes: nodeCount("fewest nodes").optional(),
    desiredNodes: nodeCount("nodes at creation").optional(),
    maxNodes: nodeCount("most nodes").optional(),
    nodeDiskGb: z
      .number({ error: "is not a number; expected the node root volume in GiB" })
      .int()
      .min(20, { error: "is too small for a node's images; expected 20 to 1000 GiB" })
      .max(1000, { error: "is larger than a node root volume needs; expected 20 to 1000 GiB" })
      .optional(),
    apiAccess: apiAccess.optional(),
    adminRoleArns: z
      .array(
        z.string().regex(iamRoleArn, {
          error:
            "is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>, e.g. the CI deploy role",
        }),
      )
      .optional(),
    logRetentionDays: logRetention.optional(),
  })
  .strict();

export type ClusterSection = z.infer<typeof clusterSection>;

/**
 * The tier's defaults under what the stack states. On AWS, private API access that names no
 * range admits the VPC's CIDR block, where the self-hosted deploy runner lives.
 */
export function resolveClusterSettings(
  tier: Tier,
  target: Target,
  section: ClusterSection | undefined,
  vpcCidr: string,
): ClusterSettings {
  const settings: ClusterSettings = { ...clusterDefaults[tier], ...section };
  const access = settings.apiAccess;
  if (target !== "aws" || access.mode !== "private" || access.cidrs.length > 0) return settings;
  return { ...settings, apiAccess: { ...access, cidrs: [vpcCidr] } };
}
