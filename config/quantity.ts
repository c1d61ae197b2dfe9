import { z } from "zod";

/**
 * Kubernetes resource quantities as the API server parses them (apimachinery
 * `resource.Quantity`): a decimal number, then a binary suffix (Ki ... Ei), a decimal suffix
 * (n, u, m, k, M, G, T, P, E) or a decimal exponent (`1e3`, `2E-3`).
 */
const pattern = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

const multipliers: Readonly<Record<string, number>> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Whether the text is a quantity the API server accepts. */
export function isQuantity(text: string): boolean {
  return pattern.test(text);
}

/** The quantity's value in base units (cores, bytes); throws on anything else. */
export function parseQuantity(text: string): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`"${text}" is not a Kubernetes quantity`);
  const [, number, suffix = ""] = match;
  // "1E" is exa; "1E3" and "1e3" are exponents.
  const exponent = suffix.length > 1 && /^[eE][+-]?\d/.test(suffix);
  const multiplier = exponent ? 10 ** Number(suffix.slice(1)) : multipliers[suffix]!;
  return Number(number) * multiplier;
}

/** A Kubernetes resource quantity such as "500m", "2", "1.5Gi" or "1e3". */
export const quantity = z
  .string({ error: 'is not a Kubernetes quantity; expected a string such as "500m" or "2Gi"' })
  .regex(pattern, {
    error:
      'is not a Kubernetes quantity; expected e.g. "500m", "2", "512Mi", "1e3" (a number, then m, k, M, G, T, Ki, Mi, Gi, Ti or an exponent)',
  });
