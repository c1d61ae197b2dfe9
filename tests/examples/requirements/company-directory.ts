import { r, suite, type ExampleRequirements } from "./registry";

const prod = suite("Seed 004, the Company Directory (examples/company-directory, prod)");
const cacheAndEdge = suite("Seed 004 Redis persistence and CSP (examples/company-directory, prod)");
const uses = suite(
  "examples/company-directory (prod): each service that uses a bucket, queue, topic or search backend:",
);

/** Seed 004 against examples/company-directory. Columns: id, status, requirement, plan, test, note. */
// prettier-ignore
const rows = [
  r("004-01", "met", "Load balancer with TLS", "`edge-ssl` (strict), `edge-min-tls-version`, `edge-always-use-https`; `workloads-<service>-ingress` `spec.tls`", prod("terminates TLS 1.2 or later and redirects plain HTTP"), "Cloudflare and ingress-nginx with cert-manager"),
  r("004-02", "met", "Rate limit 100 req/min per IP", "`edge-ratelimit` `rules[0].ratelimit`", prod("limits each client IP to 100 requests per minute"), "Cloudflare rate limit, preset `per-ip-100-per-minute`"),
  r("004-03", "met", "Security headers (HSTS, CSP, X-Frame-Options)", "`edge-security-header`; `edge-headers` `rules[0].actionParameters.headers` (`Content-Security-Policy`)", cacheAndEdge("sets the seed's Content-Security-Policy on every response at the edge"), "HSTS, X-Frame-Options, nosniff, referrer policy and the seed's CSP"),
  r("004-04", "met", "Tenant subdomain routing", "`workloads-<service>-ingress` host `*.directory.example.com`; the wildcard record `edge-dns-wildcard`", prod("routes every tenant's subdomain to the frontend and the backend, over TLS"), "a wildcard certificate by DNS-01 through Cloudflare"),
  r("004-05", "met", "Wildcard certificate for the tenants", "ClusterIssuer `ingress-letsencrypt-prod` (DNS-01 solver); Secret `ingress-cloudflare-api-token`", prod("gets the wildcard certificate by DNS-01 through Cloudflare, its token kept secret"), "token as a Pulumi secret"),
  r("004-06", "met", "React frontend + Node backend", "`workloads-frontend-ingress` (/), `workloads-backend-ingress` (/api)", prod("serves the React frontend at / and the Node backend at /api"), "services `frontend` and `backend`"),
  r("004-07", "met", "PostgreSQL with read replicas and TLS", "`database-instance`, `database-replica`; `database-params` `rds.force_ssl`", prod("builds PostgreSQL with a read replica and refuses connections without TLS"), "RDS"),
  r("004-08", "partial", "Redis with TLS and persistence (RDB + AOF)", "`cache-redis` `transitEncryptionEnabled`, `authToken`, `snapshotRetentionLimit`, `finalSnapshotIdentifier`, `automaticFailoverEnabled`", cacheAndEdge("persists Redis as ElastiCache allows: daily snapshots kept 7 days, a final snapshot, replicas in other zones with automatic failover"), "TLS and daily RDB snapshots: met. AOF: ElastiCache for Redis 7 offers no append-only file; replicas in other zones stand in for it"),
  r("004-09", "met", "Object storage: encryption, versioning", "`objects-uploads-encryption`, `objects-uploads-versioning`", prod("encrypts and versions the uploads bucket"), "S3 with KMS"),
  r("004-10", "met", "Object storage: lifecycle", "`objects-uploads-lifecycle` `rules`", prod("moves uploads to infrequent access after 90 days and expires old versions after 30"), "infrequent access after 90 days, old versions expire after 30"),
  r("004-11", "met", "Object storage: cross-region replication", "`objects-uploads-replication`", prod("replicates the uploads to us-west-2"), "to us-west-2"),
  r("004-12", "met", "The backend stores profile photos and uploads", "`identity-backend-role`; `workloads-backend-connection-data` `data`", uses("is allowed exactly what it uses, on those ARNs and their keys"), "prod: an IRSA role allowed the uploads bucket and its key; staging: the MinIO bucket's name as `BUCKET_UPLOADS`"),
  r("004-13", "met", "Prometheus, Grafana, Alertmanager", "Release `observability-prometheus-stack`", prod("runs Prometheus, Grafana and Alertmanager in production"), "Observability component"),
  r("004-14", "met", "Daily backups", "Release `observability-velero` `values.schedules`", prod("backs up the directory namespace with Velero every day"), "Velero daily; AWS Backup hourly for PostgreSQL"),
  r("004-15", "partial", "RTO 4 h / RPO 1 h", "`backups-plan` `rules[0].schedule` (hourly)", prod("backs PostgreSQL up every hour for a 1-hour recovery point"), "RPO: the hourly AWS Backup rule for PostgreSQL (a job's own duration comes on top). RTO: the plan computes none for this stack, and no restore was measured"),
];

export const companyDirectory: ExampleRequirements = {
  example: "company-directory",
  seed: "004",
  rows,
};
