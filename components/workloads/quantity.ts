/**
 * Kubernetes resource quantities ("500m", "2", "1.5Gi", "512M") as plain numbers: CPU in
 * cores, memory in bytes. Only the suffixes Kubernetes accepts are understood.
 */
const suffixes: Readonly<Record<string, number>> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

const pattern = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** The quantity's value in base units; throws on anything that is not a quantity. */
export function parseQuantity(text: string): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`"${text}" is not a Kubernetes quantity`);
  const [, number, suffix] = match;
  return Number(number) * suffixes[suffix ?? ""]!;
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
