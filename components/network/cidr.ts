import { ComponentError } from "../errors";

/** What `subnetCidr` throws for a block or a split it cannot make. */
function cidrError(block: string, problem: string): ComponentError {
  return new ComponentError("subnetCidr", JSON.stringify(block), [problem]);
}

/**
 * Splits an IPv4 CIDR block into equal subnets. `subnetCidr("10.0.0.0/16", 4, 3)` is the
 * fourth /20 of the block: "10.0.48.0/20".
 */
export function subnetCidr(block: string, newBits: number, index: number): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!match) throw cidrError(block, `"${block}" is not an IPv4 CIDR block`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  const newPrefix = prefix + newBits;
  if (octets.some((o) => o > 255) || prefix > 32) {
    throw cidrError(block, `"${block}" is not an IPv4 CIDR block`);
  }
  if (newPrefix > 32) throw cidrError(block, `cannot split /${prefix} by ${newBits} bits`);
  if (index < 0 || index >= 2 ** newBits) {
    throw cidrError(block, `subnet ${index} does not exist in ${block} split into ${2 ** newBits}`);
  }
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - newPrefix);
  const network = base - (base % 2 ** (32 - prefix)) + index * size;
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${parts.join(".")}/${newPrefix}`;
}
