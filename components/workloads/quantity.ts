import { ComponentError } from "../errors";
/**
 * Kubernetes resource quantities as the API server parses them (apimachinery
 * `resource.Quantity`): a decimal number, then a binary suffix (Ki ... Ei), a decimal suffix
 * (n, u, m, k, M, G, T, P, E) or a decimal exponent (`1e3`, `2E-3`). As plain numbers: CPU in
 * cores, memory in bytes.
 */
export const quantityPattern =
  /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

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
  return quantityPattern.test(text);
}

/** The quantity's value in base units (cores, bytes); throws on anything else. */
export function parseQuantity(text: string): number {
  const match = quantityPattern.exec(text);
  if (!match) {
    throw new ComponentError("parseQuantity", JSON.stringify(text), [
      `"${text}" is not a Kubernetes quantity`,
    ]);
  }
  const [, number, suffix = ""] = match;
  // "1E" is exa; "1E3" and "1e3" are exponents.
  const exponent = suffix.length > 1 && /^[eE][+-]?\d/.test(suffix);
  const multiplier = exponent ? 10 ** Number(suffix.slice(1)) : multipliers[suffix]!;
  return Number(number) * multiplier;
}

/** CPU cores shown as Kubernetes writes them: "1.5" or "750m". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes shown in the largest binary unit that keeps two decimals: "1.5Gi", "640Mi". */
export function formatMemory(bytes: number): string {
  for (const [suffix, size] of [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${suffix}`;
  }
  return String(bytes);
}
