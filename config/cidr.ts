import { z } from "zod";

/** An IPv4 CIDR block as numbers: its first address and its prefix length. */
export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

const shape = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The block, or why the text is not one (as the VPC and NetworkPolicy APIs refuse it). */
export function parseCidr(text: string): Ipv4Block | string {
  const match = shape.exec(text);
  if (!match) return "is not an IPv4 CIDR block (a.b.c.d/n)";
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  const prefix = Number(match[5]);
  if (prefix > 32) return `has prefix /${prefix}; an IPv4 prefix is /0 to /32`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  if (base !== address) return `has host bits set; the network is ${formatCidr({ base, prefix })}`;
  return { base, prefix };
}

export function formatCidr(block: Ipv4Block): string {
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(block.base / 2 ** shift) % 256);
  return `${parts.join(".")}/${block.prefix}`;
}

/** Whether `outer` holds every address of `inner`. */
export function cidrCovers(outer: Ipv4Block, inner: Ipv4Block): boolean {
  if (outer.prefix > inner.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return inner.base - (inner.base % size) === outer.base;
}

/** Whether two blocks share an address. */
export function cidrsOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return cidrCovers(a, b) || cidrCovers(b, a);
}

/**
 * A CIDR block schema: the address's octets, the prefix between `minPrefix` and `maxPrefix`,
 * no host bits (EC2 refuses `10.0.0.1/16` for a VPC; a NetworkPolicy `ipBlock` must be a network).
 */
export function ipv4Cidr(options: {
  readonly minPrefix: number;
  readonly maxPrefix: number;
  readonly example: string;
}) {
  const { minPrefix, maxPrefix, example } = options;
  const range =
    minPrefix === 0 && maxPrefix === 32 ? "" : ` between /${minPrefix} and /${maxPrefix}`;
  return z
    .string({ error: `is not a string; expected an IPv4 CIDR block${range}, e.g. ${example}` })
    .superRefine((text, ctx) => {
      const block = parseCidr(text);
      const problem =
        typeof block === "string"
          ? block
          : block.prefix < minPrefix || block.prefix > maxPrefix
            ? `has prefix /${block.prefix}`
            : undefined;
      if (problem === undefined) return;
      ctx.addIssue({
        code: "custom",
        input: text,
        message: `${problem}; expected an IPv4 CIDR block${range}, e.g. ${example}`,
      });
    });
}
