import type { CostEstimate } from "./estimate";
import type { Footprint } from "./pricing";

/** The footprint a seed states for an example's stack, and where it says so. */
export interface SeedFootprint {
  readonly seed: string;
  /** Only the dimensions the seed states. */
  readonly vcpu?: number;
  readonly memoryGb?: number;
  readonly diskGb?: number;
}

/**
 * Seeds that state sizes, by `project/stack`. Seed 003's cost table totals its services;
 * seed 001 states cores and memory per service for its four services in each environment.
 */
export const seedFootprints: Readonly<Record<string, SeedFootprint>> = {
  "corporate-intel/prod": {
    seed: "003 (Cost Optimization table: 8 CPU cores, 16GB RAM, 370GB disk)",
    vcpu: 8,
    memoryGb: 16,
    diskGb: 370,
  },
  "microservices/prod": {
    seed: "001 (production: 4 cores and 4GB per service, 4 services)",
    vcpu: 16,
    memoryGb: 16,
  },
  "microservices/staging": {
    seed: "001 (staging: 2 cores and 2GB per service, 4 services)",
    vcpu: 8,
    memoryGb: 8,
  },
};

/** How far the plan is above (+) or below (-) each stated dimension, as a percentage. */
export function againstSeed(
  plan: Footprint,
  seed: SeedFootprint,
): { dimension: string; plan: number; seed: number; percent: number }[] {
  const dims: [string, number, number | undefined][] = [
    ["vCPU", plan.vcpu, seed.vcpu],
    ["memory GB", plan.memoryGb, seed.memoryGb],
    ["disk GB", plan.diskGb, seed.diskGb],
  ];
  return dims
    .filter((d): d is [string, number, number] => d[2] !== undefined && d[2] > 0)
    .map(([dimension, p, s]) => ({ dimension, plan: p, seed: s, percent: ((p - s) / s) * 100 }));
}

/**
 * The monthly budget a seed's stated footprint implies for a stack: every charge that comes
 * with the platform whatever its size (control planes, NAT, endpoints, keys, logs, the edge)
 * as planned, and the sized charges (nodes, databases, caches, search, storage) scaled by the
 * largest ratio of the seed's stated size to the plan's, rounded up to $100.
 */
export function seedBudget(estimate: CostEstimate, seed: SeedFootprint): number {
  const sized = estimate.lines.filter((l) => l.footprint !== undefined);
  const sizedUsd = sized.reduce((s, l) => s + l.usd, 0);
  const fixedUsd = estimate.total.usd - sizedUsd;
  const ratio = Math.max(...againstSeed(estimate.footprint, seed).map((d) => d.seed / d.plan));
  return Math.ceil((fixedUsd + sizedUsd * Math.min(ratio, 1)) / 100) * 100;
}
