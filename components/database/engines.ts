/**
 * What serves PostgreSQL: `managed`, the target's managed service (RDS, Cloud SQL); or
 * `timescaledb`, PostgreSQL with the TimescaleDB extension run by the CloudNativePG operator
 * on the stack's own cluster, which neither managed service can load.
 */
export const databaseEngines = ["managed", "timescaledb"] as const;
export type DatabaseEngine = (typeof databaseEngines)[number];

/**
 * CloudNativePG operand images with TimescaleDB, by PostgreSQL major: clevyr/docker-
 * cloudnativepg-timescale at e5d99f8 (August 2026), `.github/workflows/build.yaml` builds
 * ghcr.io/cloudnative-pg/postgresql 15.13-22 with TimescaleDB 2.19.3 and tags it
 * `<cnpg version>-ts<timescale version>`; it runs as uid 26, as CloudNativePG expects.
 */
export const timescaleImages: Readonly<Record<string, string>> = {
  "15": "ghcr.io/clevyr/cloudnativepg-timescale:15.13-22-ts2.19.3",
};
