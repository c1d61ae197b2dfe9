import { z } from "zod";

export const cidrBlock = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/, {
  error: "is not an IPv4 CIDR block between /16 and /24; expected e.g. 10.0.0.0/16",
});

export const networkSection = z
  .object({
    cidrBlock: cidrBlock.optional(),
    azCount: z
      .number({ error: "is not a number; expected 2 or 3 availability zones" })
      .int()
      .min(2, { error: "is too few availability zones for HA; expected 2 or 3" })
      .max(3, { error: "is more zones than the address plan holds; expected 2 or 3" })
      .optional(),
  })
  .strict();
