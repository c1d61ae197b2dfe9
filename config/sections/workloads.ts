import { z } from "zod";

/** A Kubernetes resource quantity such as "500m", "2", "1.5Gi". */
export const quantity = z
  .string({ error: 'is not a Kubernetes quantity; expected a string such as "500m" or "2Gi"' })
  .regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, {
    error: 'is not a Kubernetes quantity; expected e.g. "500m", "2", "512Mi" or "4Gi"',
  });

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  error: "is not a DNS label; expected lowercase letters, digits and hyphens (max 63)",
});

export const quotaSection = z
  .object({
    requestsCpu: quantity.optional(),
    requestsMemory: quantity.optional(),
    limitsCpu: quantity.optional(),
    limitsMemory: quantity.optional(),
    pods: z.number().int().min(1).optional(),
    persistentVolumeClaims: z.number().int().min(0).optional(),
  })
  .strict();

export const containerLimitsSection = z
  .object({
    defaultRequestCpu: quantity.optional(),
    defaultRequestMemory: quantity.optional(),
    defaultLimitCpu: quantity.optional(),
    defaultLimitMemory: quantity.optional(),
    maxCpu: quantity.optional(),
    maxMemory: quantity.optional(),
  })
  .strict();

export const workloadsSection = z
  .object({
    /** The application namespace. */
    namespace: dnsLabel.optional(),
    quota: quotaSection.optional(),
    containerLimits: containerLimitsSection.optional(),
  })
  .strict();

export { dnsLabel };
