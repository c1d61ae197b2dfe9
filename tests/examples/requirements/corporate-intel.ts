import { none, r, suite, type ExampleRequirements } from "./registry";

const prod = suite(
  "Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, prod)",
);
const staging = suite(
  "Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, staging)",
);
const store = suite(
  "Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, prod) its primary store: PostgreSQL 15 with TimescaleDB on CloudNativePG",
);
const data = suite("Seed 003 data and edge (examples/corporate-intel, prod)");
const alerts = suite("Alerts reach a person in every prod example");
const uses = suite(
  "examples/corporate-intel (prod): each service that uses a bucket, queue, topic or search api:",
);

/** Seed 003 against examples/corporate-intel. Columns: id, status, requirement, plan, test, note. */
// prettier-ignore
const rows = [
  r("003-01", "met", "API on port 8000", "`workloads-api-deployment` `containers[0].ports[0].containerPort`", prod("runs the API on port 8000"), "service `api`"),
  r("003-02", "met", "PostgreSQL 15", "`database-cluster` `spec.imageName` (prod)", prod("builds PostgreSQL 15 and Redis 7"), "PostgreSQL 15 run by CloudNativePG (prod), in-cluster PostgreSQL (staging)"),
  r("003-03", "partial", "TimescaleDB", "`database-cluster` `spec.imageName`, `spec.postgresql.shared_preload_libraries`, `spec.bootstrap.initdb`", store("runs TimescaleDB on the EKS cluster instead of RDS, and the API's connections Secret carries its URL"), "prod: `platform:database.engine: timescaledb`, CloudNativePG with the TimescaleDB image; staging runs on the local target with the stock PostgreSQL image (see \"Not met, and why\")"),
  r("003-04", "met", "PostgreSQL tuning (max_connections 200, shared_buffers 2GB, work_mem 16MB, ...)", "`database-cluster` `spec.postgresql.parameters`", store("tunes PostgreSQL as seed 003 lists"), "prod; staging keeps the stock image's defaults"),
  r("003-05", "met", "Redis 7", "`cache-redis` `engineVersion`", prod("builds PostgreSQL 15 and Redis 7"), "ElastiCache 7.1 (prod), in-cluster Redis (staging)"),
  r("003-06", "partial", "Redis maxmemory 2gb, allkeys-lru, appendonly yes", "`cache-params` `parameters` (`maxmemory-policy allkeys-lru`)", data("tunes Redis as the seed's redis.conf says: maxmemory-policy allkeys-lru, in a redis7 parameter group the cache runs on"), "ElastiCache sizes maxmemory from the node type and has no append-only file on Redis 7; config refuses both keys with that reason"),
  r("003-07", "partial", "Maintenance window Sunday 02:00-04:00 UTC", "`database-daily-backup` `spec.schedule` `0 0 2 * * *`", store("archives WAL and takes a base backup daily at 02:00 UTC to the protected, versioned backups bucket, 7 days of point-in-time recovery"), "CloudNativePG has no maintenance window: it rolls the instances when the Cluster's spec changes, i.e. at `pulumi up`; the base backup runs in the window"),
  r("003-08", "met", "MinIO / S3 object storage", "`objects-documents` and its `-encryption`", prod("stores documents in an encrypted S3 bucket"), "S3 (prod), MinIO (staging)"),
  r("003-09", "met", "The API stores documents", "`identity-api-role`; `workloads-api-connection-data` `data`", uses("is allowed exactly what it uses, on those ARNs and their keys"), "an IRSA role allowed the documents bucket and its key through S3; `BUCKET_DOCUMENTS`, `AWS_REGION` as env"),
  r("003-10", "met", "TLS 1.2 and 1.3 only", "`edge-min-tls-version`, `edge-tls-1-3`", prod("accepts TLS 1.2 and 1.3 only"), "Cloudflare minimum TLS 1.2, TLS 1.3 on"),
  r("003-11", "met", "Modern cipher suites only", "`edge-ciphers` `value`", data("offers only modern TLS 1.2 cipher suites at the edge, with TLS 1.3 on and nothing below 1.2"), "`platform:edge.modernCiphersOnly`: Cloudflare's ECDHE AES-GCM and ChaCha20 suites for TLS 1.2 (TLS 1.3 suites are fixed); the zone needs Advanced Certificate Manager, which Cloudflare requires to restrict ciphers"),
  r("003-12", "met", "HSTS two years", "`edge-security-header` `value.strictTransportSecurity.maxAge`", prod("sends HSTS with a two-year max-age"), "`platform:edge.hstsMaxAgeSeconds: 63072000`"),
  r("003-13", "partial", "10 req/s per IP", "`edge-ratelimit` `rules[0].ratelimit` (100 per 10 s); `workloads-api-ingress` annotation `limit-rps: 10`", prod("limits each client IP to 10 requests per second at the edge"), "both limits average 10 req/s but admit bursts: Cloudflare counts 100 over 10 s, and ingress-nginx lets a burst of 5 x 10 through by its default multiplier"),
  r("003-14", "met", "Prometheus, Grafana, Jaeger", "Releases `observability-prometheus-stack`, `observability-tracing` (staging)", staging("runs Prometheus with Grafana and Alertmanager, Jaeger, and the node, PostgreSQL and Redis exporters"), "Observability component"),
  r("003-15", "partial", "Node, PostgreSQL and Redis exporters", "staging: the postgres and redis exporter releases; prod: `database-metrics` Service scraped on 9187, `observability-cache-*` alarms", prod("watches Redis through CloudWatch metrics of ElastiCache, with no exporter in the cluster, and no RDS it does not build"), "staging runs both exporters; prod scrapes CloudNativePG's own PostgreSQL metrics and watches Redis through CloudWatch instead of a Redis exporter"),
  r("003-16", "partial", "cAdvisor", "Release `observability-prometheus-stack` (kubelet scrape)", staging("runs Prometheus with Grafana and Alertmanager, Jaeger, and the node, PostgreSQL and Redis exporters"), "the kubelet's built-in cAdvisor, scraped by kube-prometheus-stack; no test names the cAdvisor job"),
  r("003-17", "met", "Alerts: API down, error rate > 1 % for 5 min, disk > 85 %, DB p95 > 1 s for 10 min, memory > 90 % for 5 min", "PrometheusRule of `observability-prometheus-stack` (`APIDown`, `HighErrorRate`, `DiskSpaceLow`, `DatabaseSlow`, `MemoryHigh`)", staging("alerts on the seed's table: API down, errors > 1 % for 5 min, disk > 85 %, DB p95 > 1 s for 10 min, memory > 90 % for 5 min"), "critical and warning as the seed ranks them"),
  r("003-18", "met", "Alert: no backup in 25 h", "PrometheusRule `observability-alert-rules` (`BackupMissing`, `DatabaseBackupMissing`); `observability-backup-0-missing`, `observability-backup-0-failed`", prod("alerts in production on all six rules of the seed, the missing backup of the cluster and of the database included"), "Velero's backups, the database's base backups (Barman Cloud) and AWS Backup's jobs (CloudWatch alarms to the alarm topic); prod only"),
  r("003-19", "met", "Critical to PagerDuty + e-mail, warning to e-mail + Slack", "Alertmanager receivers of `observability-prometheus-stack`; `observability-alarms` subscriptions", alerts("routes seed 003's critical alerts to PagerDuty and e-mail, warnings to e-mail and Slack"), "keys, webhook and SMTP password as Pulumi secrets"),
  r("003-20", "partial", "Backups daily 7 d, weekly 30 d, monthly 365 d", "`database-object-store` `spec.retentionPolicy` `7d`; `backups-plan` `rules` over the documents bucket", store("archives WAL and takes a base backup daily at 02:00 UTC to the protected, versioned backups bucket, 7 days of point-in-time recovery"), "the primary store: WAL and a daily base backup kept 7 days (Barman Cloud keeps one window); the documents bucket: AWS Backup daily, weekly and monthly"),
  r("003-21", "missing", "Backups of the staging environment", "", none, "staging runs on the local target without a cloud bucket; the timescaledb engine does back up in staging on target aws (tests/components/database-timescale.test.ts)"),
  r("003-22", "met", "Log retention: application 90 d, database 30 d, access 1 y", "`observability-logs` `retentionInDays` 90; `observability-access-logs` 365; `cluster-logs` 365", data("keeps the edge's HTTP access logs 365 days in their own encrypted log group, out of the 90-day container logs"), "PostgreSQL logs to stdout and is kept with the container logs 90 days, longer than the seed's 30"),
  r("003-23", "missing", "Security logs kept indefinitely (archived)", "", none, "see \"Not met, and why\""),
];

export const corporateIntel: ExampleRequirements = {
  example: "corporate-intel",
  seed: "003",
  rows,
};
