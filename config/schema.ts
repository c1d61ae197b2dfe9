import { z } from "zod";
import { coreShape } from "./sections/core";
import { edgeSection } from "./sections/edge";
import { networkSection } from "./sections/network";
import { workloadsSection } from "./sections/workloads";

/**
 * Every `platform:` key a stack may set. Each key's own schema lives in `sections/`; the
 * cross-key rules (what a target requires) are refinements here.
 */
export const stackConfigSchema = z
  .object({
    ...coreShape,
    network: networkSection.optional(),
    workloads: workloadsSection.optional(),
    edge: edgeSection.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
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
    if (cfg.target === "local" && cfg.tier === "prod") {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        input: cfg.target,
        message: 'cannot run the prod tier; prod needs a managed target, expected "aws" or "gcp"',
      });
    }
  });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
