import { z } from "zod";
import { instanceTypePattern, kubernetesVersions } from "../../components/cluster";
import { logRetention } from "./network";

const nodeCount = (what: string) =>
  z
    .number({ error: `is not a number; expected the ${what} as a whole number` })
    .int({ error: `is not a whole number; expected the ${what} as a whole number` })
    .min(1, { error: `is below 1; expected the ${what} to be at least 1` })
    .max(100, { error: `is above 100; expected the ${what} to be at most 100` });

const publicCidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/([0-9]|[12]\d|3[0-2])$/, {
  error: "is not an IPv4 CIDR block; expected e.g. 203.0.113.0/24",
});

export const clusterSection = z
  .object({
    version: z
      .enum(kubernetesVersions, {
        error: `is not a Kubernetes version with pinned add-ons; expected one of ${kubernetesVersions.join(", ")}`,
      })
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
    endpointPublicAccess: z
      .boolean({ error: "is not a boolean; expected true or false" })
      .optional(),
    publicAccessCidrs: z.array(publicCidr).optional(),
    logRetentionDays: logRetention.optional(),
  })
  .strict();
