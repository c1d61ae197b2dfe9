import { z } from "zod";
import { quantityPattern as pattern } from "../components/workloads/quantity";

export { isQuantity, parseQuantity } from "../components/workloads/quantity";

/** A Kubernetes resource quantity such as "500m", "2", "1.5Gi" or "1e3". */
export const quantity = z
  .string({ error: 'is not a Kubernetes quantity; expected a string such as "500m" or "2Gi"' })
  .regex(pattern, {
    error:
      'is not a Kubernetes quantity; expected e.g. "500m", "2", "512Mi", "1e3" (a number, then m, k, M, G, T, Ki, Mi, Gi, Ti or an exponent)',
  });
