import { z } from "zod";
import { targets, tiers } from "../tiers";

const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "is not an AWS region; expected e.g. us-east-1" });
const gcpRegion = z
  .string()
  .regex(/^[a-z]+-[a-z]+\d$/, { error: "is not a GCP region; expected e.g. europe-west1" });

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
