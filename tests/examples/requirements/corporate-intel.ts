import { none, r, suite, type ExampleRequirements } from "./registry";

const prod = suite(
  "Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, prod)",
);
const staging = suite(
  "Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, staging)",
);
const alerts = suite("Alerts reach a person in every prod example");
const uses = suite(
  "examples/corporate-intel (prod): each service that uses a bucket, queue, topic or search api:",
);

/** Seed 003 against examples/corporate-intel. Columns: id, status, requirement, plan, test, note. */
// prettier-ignore
const rows = [
  r("003-01", "met", "API on port 8000", "`workloads-api-deployment` `containers[0].ports[0].containerPort`", prod("runs the API on port 8000"), "service `api`"),
  r("003-02", "met", "PostgreSQL 15", "`database-instance` `engineVersion`", prod("builds PostgreSQL 15 and Redis 7"), "RDS PostgreSQL 15 (prod), in-cluster PostgreSQL (staging)"),
  r("003-03", "missing", "TimescaleDB", "", none, "on main: RDS and Cloud SQL do not offer the extension, and the Database component builds no self-managed PostgreSQL"),
  r("003-04", "missing", "PostgreSQL tuning (max_connections 200, shared_buffers 2GB, work_mem 16MB, ...)", "", none, "on main: `database-params` sets none of the seed's values"),
  r("003-05", "met", "Redis 7", "`cache-redis` `engineVersion`", prod("builds PostgreSQL 15 and Redis 7"), "ElastiCache 7.1 (prod), in-cluster Redis (staging)"),
  r("003-06", "missing", "Redis maxmemory 2gb, allkeys-lru, appendonly yes", "", none, "on main: no parameter group with the seed's settings"),
  r("003-07", "missing", "Maintenance window Sunday 02:00-04:00 UTC", "", none, "on main: `database-instance` keeps the platform's window"),
  r("003-08", "met", "MinIO / S3 object storage", "`objects-documents` and its `-encryption`", prod("stores documents in an encrypted S3 bucket"), "S3 (prod), MinIO (staging)"),
  r("003-09", "met", "The API stores documents", "`identity-api-role`; `workloads-api-connection-data` `data`", uses("is allowed exactly what it uses, on those ARNs and their keys"), "an IRSA role allowed the documents bucket and its key through S3; `BUCKET_DOCUMENTS`, `AWS_REGION` as env"),
  r("003-10", "met", "TLS 1.2 and 1.3 only", "`edge-min-tls-version`, `edge-tls-1-3`", prod("accepts TLS 1.2 and 1.3 only"), "Cloudflare minimum TLS 1.2, TLS 1.3 on"),
  r("003-11", "missing", "Modern cipher suites only", "", none, "on main: the edge leaves Cloudflare's default cipher list"),
  r("003-12", "met", "HSTS two years", "`edge-security-header` `value.strictTransportSecurity.maxAge`", prod("sends HSTS with a two-year max-age"), "`platform:edge.hstsMaxAgeSeconds: 63072000`"),
  r("003-13", "partial", "10 req/s per IP", "`edge-ratelimit` `rules[0].ratelimit` (100 per 10 s); `workloads-api-ingress` annotation `limit-rps: 10`", prod("limits each client IP to 10 requests per second at the edge"), "both limits average 10 req/s but admit bursts: Cloudflare counts 100 over 10 s, and ingress-nginx lets a burst of 5 x 10 through by its default multiplier"),
  r("003-14", "met", "Prometheus, Grafana, Jaeger", "Releases `observability-prometheus-stack`, `observability-tracing` (staging)", staging("runs Prometheus with Grafana and Alertmanager, Jaeger, and the node, PostgreSQL and Redis exporters"), "Observability component"),
  r("003-15", "partial", "Node, PostgreSQL and Redis exporters", "staging: the postgres and redis exporter releases; prod: `observability-rds-*`, `observability-cache-*` alarms", prod("watches PostgreSQL and Redis through CloudWatch metrics of RDS and ElastiCache, with no exporter in the cluster"), "exporters in staging only; prod has the node exporter and CloudWatch metrics of RDS and ElastiCache instead of the two exporters"),
  r("003-16", "partial", "cAdvisor", "Release `observability-prometheus-stack` (kubelet scrape)", staging("runs Prometheus with Grafana and Alertmanager, Jaeger, and the node, PostgreSQL and Redis exporters"), "the kubelet's built-in cAdvisor, scraped by kube-prometheus-stack; no test names the cAdvisor job"),
  r("003-17", "met", "Alerts: API down, error rate > 1 % for 5 min, disk > 85 %, DB p95 > 1 s for 10 min, memory > 90 % for 5 min", "PrometheusRule of `observability-prometheus-stack` (`APIDown`, `HighErrorRate`, `DiskSpaceLow`, `DatabaseSlow`, `MemoryHigh`)", staging("alerts on the seed's table: API down, errors > 1 % for 5 min, disk > 85 %, DB p95 > 1 s for 10 min, memory > 90 % for 5 min"), "critical and warning as the seed ranks them"),
  r("003-18", "partial", "Alert: no backup in 25 h", "`BackupMissing` rule (prod)", prod("alerts in production on all six rules of the seed, the missing backup included"), "on main it watches Velero's backups only, not the database's AWS Backup jobs; prod only"),
  r("003-19", "met", "Critical to PagerDuty + e-mail, warning to e-mail + Slack", "Alertmanager receivers of `observability-prometheus-stack`; `observability-alarms` subscriptions", alerts("routes seed 003's critical alerts to PagerDuty and e-mail, warnings to e-mail and Slack"), "keys, webhook and SMTP password as Pulumi secrets"),
  r("003-20", "met", "Backups daily 7 d, weekly 30 d, monthly 365 d", "`backups-plan` `rules` (`daily`, `weekly`, `monthly`)", prod("backs up daily at 02:00 for 7 days, Sundays at 03:00 for 30 days and monthly for 365 days"), "AWS Backup (prod)"),
  r("003-21", "missing", "Backups of the staging environment", "", none, "on main: staging runs on the local target without AWS Backup or a Velero bucket"),
  r("003-22", "partial", "Log retention: application 90 d, database 30 d, access 1 y", "`observability-logs` `retentionInDays` 90; `database-instance-log-postgresql` 30; `cluster-logs` 365", prod("keeps application logs 90 days, database logs 30 days and access logs a year"), "application and database: met. HTTP access logs go to the 90-day container log group; the 365-day group holds the EKS API server's audit and authenticator logs, not the application's access log"),
  r("003-23", "missing", "Security logs kept indefinitely (archived)", "", none, "see \"Not met, and why\""),
];

export const corporateIntel: ExampleRequirements = {
  example: "corporate-intel",
  seed: "003",
  rows,
};
