import { z } from "zod";
import { awsRegions } from "../catalog/aws-regions";
import { gcpRegions } from "../catalog/gcp-regions";
import { didYouMean } from "../hint";
import { targets, tiers } from "../tiers";

/** A value from a catalog, refused with the closest entry as a hint and the list allowed. */
const catalogValue = (what: string, allowed: readonly string[]) =>
  z
    .string({ error: `is not ${what}; expected one of ${allowed.join(", ")}` })
    .superRefine((value, ctx) => {
      if (allowed.includes(value)) return;
      ctx.addIssue({
        code: "custom",
        input: value,
        message: `is not ${what}${didYouMean(value, allowed)}; expected one of ${allowed.join(", ")}`,
      });
    });

const awsRegion = catalogValue("an AWS region", awsRegions);
const gcpRegion = catalogValue("a Google Cloud region", Object.keys(gcpRegions));

export const awsSection = z
  .object({
    /** Primary region of every AWS resource. */
    region: awsRegion,
    /** Region that receives cross-region copies (S3 replication, backup copies). */
    replicaRegion: awsRegion.optional(),
  })
  .strict();

export const gcpSection = z
  .object({
    /** GCP project id. */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      error: "is not a GCP project id; expected 6-30 lowercase letters, digits or hyphens",
    }),
    region: gcpRegion,
  })
  .strict();

export const localSection = z
  .object({
    /** kubeconfig context to deploy into; the current context when absent. */
    kubeContext: z.string().min(1).optional(),
  })
  .strict();

export const coreShape = {
  tier: z.enum(tiers, { error: `is not a tier; expected one of ${tiers.join(", ")}` }),
  target: z.enum(targets, { error: `is not a target; expected one of ${targets.join(", ")}` }),
  /** Warm standby on a second cloud (prod). */
  standby: z
    .enum(["none", "gcp"], { error: 'is not a standby; expected "none" or "gcp"' })
    .default("none"),
  aws: awsSection.optional(),
  gcp: gcpSection.optional(),
  local: localSection.optional(),
};
