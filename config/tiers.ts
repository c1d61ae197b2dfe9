/** Environment tiers; sizing defaults follow seed 001's environment strategy. */
export const tiers = ["dev", "staging", "prod"] as const;
export type Tier = (typeof tiers)[number];

/**
 * Where the primary environment runs. `local` is any kubeconfig (kind, minikube, Docker
 * Desktop) with data services in-cluster; `aws` and `gcp` use the clouds' managed services.
 */
export const targets = ["local", "aws", "gcp"] as const;
export type Target = (typeof targets)[number];

/** A value chosen per tier; used for every default that differs between environments. */
export type PerTier<T> = Readonly<Record<Tier, T>>;
