import { z } from "zod";
import { interfaceEndpointServices } from "../../components/network";
import { ipv4Cidr } from "../cidr";

export const cidrBlock = ipv4Cidr({ minPrefix: 16, maxPrefix: 24, example: "10.0.0.0/16" });

/** The retention periods CloudWatch Logs accepts, in days. */
export const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const logRetention = z
  .number({ error: "is not a number of days" })
  .refine((d) => (logRetentionDays as readonly number[]).includes(d), {
    error: `is not a retention CloudWatch Logs accepts; expected one of ${logRetentionDays.join(", ")} days`,
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
    natGateways: z
      .enum(["single", "perAz"], {
        error: 'is not a NAT gateway layout; expected "single" or "perAz"',
      })
      .optional(),
    flowLogRetentionDays: logRetention.optional(),
    interfaceEndpoints: z
      .array(
        z.enum(interfaceEndpointServices, {
          error: `is not a service with an interface endpoint here; expected one of ${interfaceEndpointServices.join(", ")}`,
        }),
      )
      .refine((list) => new Set(list).size === list.length, {
        error: "lists a service twice; name each once",
      })
      .optional(),
  })
  .strict();
