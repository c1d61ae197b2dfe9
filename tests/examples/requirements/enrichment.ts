import { none, r, suite, type ExampleRequirements } from "./registry";

const prod = suite("Seed 000, the Enrichment platform (examples/enrichment, prod)");
const failover = suite("Seed 000's failover (examples/enrichment, prod)");
const uses = suite(
  "examples/enrichment (prod): each service that uses a bucket, queue, topic or search api:",
);

/** Seed 000 against examples/enrichment. Columns: id, status, requirement, plan, test, note. */
// prettier-ignore
const rows = [
  r("000-01", "partial", "AWS primary, GCP secondary", "`edge-pool-<host>-aws`, `edge-pool-<host>-gcp`; `standby-workloads-<service>-deployment`", prod("fails over from the AWS origin to the GCP standby"), "the standby serves reads at once and writes once an operator promotes the migration job (see \"Failover\")"),
  r("000-02", "partial", "The secondary holds the data", "`standby-replication-job` (CONTINUOUS); `standby-uploads-transfer`, `standby-backups-transfer`", prod("gives the GCP secondary the data: PostgreSQL replicated continuously (RPO 180 s), both buckets copied hourly"), "PostgreSQL continuously (computed RPO 180 s) once the migration job is started; buckets hourly; Redis and search not copied"),
  r("000-03", "met", "Cloudflare CDN, WAF, DDoS", "`edge-waf`; `edge-dns-app`, `edge-dns-api` (proxied)", prod("puts Cloudflare's managed WAF in front and proxies app and api through the edge"), "managed WAF and OWASP rulesets, static caching"),
  r("000-04", "met", "Web, API, websocket and AI tiers on EKS", "`workloads-<tier>-deployment`", prod("runs the web, API, websocket and AI tiers"), "four services in `platform:workloads.services`"),
  r("000-05", "met", "Websocket Service type LoadBalancer with NLB annotations (tcp)", "`workloads-websocket-service` `spec.type`, `metadata.annotations`", prod("puts the websocket Service behind a Network Load Balancer speaking TCP, port 80 to 3001"), "`exposure: { kind: loadBalancer }`"),
  r("000-06", "partial", "ALB in front of the web tier", "Release `ingress-ingress-nginx` (its Service an NLB); `workloads-web-ingress`", failover("probes each load-balanced host on a path an Ingress routes on both pools' clusters, to pods that admit the controller"), "ingress-nginx with cert-manager TLS instead of an ALB: see \"Not met, and why\""),
  r("000-07", "met", "Namespace enrichment with ResourceQuota 10/20Gi requests, 20/40Gi limits, 10 PVCs", "`workloads-enrichment-quota` `spec.hard`", prod("limits the enrichment namespace to 10/20Gi requested, 20/40Gi limits and 10 PVCs"), "`platform:workloads.namespace`, `quota`"),
  r("000-08", "met", "API: 3 replicas, maxSurge 1 / maxUnavailable 0", "`workloads-api-deployment` `spec.replicas`, `spec.strategy`", prod("runs the API with 3 replicas, surging 1 and never dropping below"), "the platform's default rollout"),
  r("000-09", "met", "API: port 3000, 500m/512Mi requests, 1000m/1Gi limits", "`workloads-api-deployment` `containers[0].ports`, `resources`", prod("gives the API container port 3000, 500m/512Mi requested and 1000m/1Gi limits"), "service `api`"),
  r("000-10", "met", "API probes: liveness /health 30 s / 10 s, readiness /ready 5 s / 5 s", "`workloads-api-deployment` `containers[0].livenessProbe`, `readinessProbe`", prod("probes the API: liveness /health after 30 s every 10 s, readiness /ready after 5 s every 5 s"), "`probes`"),
  r("000-11", "met", "API non-root uid 1001, no privilege escalation, read-only root FS", "`workloads-api-deployment` `spec.template.spec.securityContext`, `containers[0].securityContext`", prod("runs the API as uid 1001, without privilege escalation, on a read-only root filesystem"), "every Deployment's security context"),
  r("000-12", "met", "API HPA 3 to 20 at 70 % CPU / 80 % memory, scale-up 100 %/15 s after 60 s, scale-down 10 %/60 s after 300 s", "`workloads-api-hpa` `spec`", prod("scales the API from 3 to 20 pods at 70 % CPU and 80 % memory, with the seed's behaviour"), "`autoscaling`"),
  r("000-13", "met", "Websocket: 3 replicas, port 3001, 300m/256Mi to 600m/512Mi", "`workloads-websocket-deployment`", prod("runs 3 websocket pods on port 3001 with 300m/256Mi requested and 600m/512Mi limits"), "service `websocket`"),
  r("000-14", "met", "RDS PostgreSQL 15, db.r6g.xlarge, gp3 100 to 1000 GiB, encrypted", "`database-instance` `engineVersion`, `instanceClass`, `storageType`, `allocatedStorage`, `maxAllocatedStorage`, `storageEncrypted`", prod("builds RDS PostgreSQL 15 on db.r6g.xlarge with encrypted gp3 storage growing from 100 to 1000 GiB"), "`platform:database`"),
  r("000-15", "met", "7-day backups, window 03:00-04:00, maintenance sun 04:00-05:00", "`database-instance` `backupRetentionPeriod`, `backupWindow`, `maintenanceWindow`", prod("keeps PostgreSQL backups 7 days, backing up 03:00-04:00 and maintaining Sunday 04:00-05:00"), "`platform:database`"),
  r("000-16", "met", "Performance Insights, enhanced monitoring 60 s", "`database-instance` `performanceInsightsEnabled`, `monitoringInterval`", prod("watches PostgreSQL with Performance Insights and 60 s enhanced monitoring"), "Database component in prod"),
  r("000-17", "met", "Deletion protection and a final snapshot", "`database-instance` `deletionProtection`, `skipFinalSnapshot`, `finalSnapshotIdentifier`", prod("protects PostgreSQL from deletion and takes a final snapshot"), "`protect` too"),
  r("000-18", "met", "Analytics read replica db.r6g.large, not public", "`database-replica` `instanceClass`, `publiclyAccessible`", prod("adds a private db.r6g.large read replica for analytics"), "`readReplica`, `readReplicaInstanceClass`"),
  r("000-19", "met", "ElastiCache Redis 7: 3 nodes, multi-AZ automatic failover", "`cache-redis` `engineVersion`, `numCacheClusters`, `automaticFailoverEnabled`, `multiAzEnabled`", prod("builds Redis 7 with 3 nodes and automatic multi-AZ failover"), "`platform:cache`"),
  r("000-20", "met", "Redis at-rest and in-transit encryption, auth token, slow log to CloudWatch", "`cache-redis` `atRestEncryptionEnabled`, `transitEncryptionEnabled`, `authToken`, `logDeliveryConfigurations`", prod("encrypts Redis at rest and in transit, with an auth token and its slow log in CloudWatch"), "Cache component"),
  r("000-21", "met", "OpenSearch", "`search-domain` `encryptAtRest`, `nodeToNodeEncryption`, `vpcOptions`", prod("builds an OpenSearch domain encrypted at rest and between nodes, inside the VPC"), "`platform:search.enabled`"),
  r("000-22", "met", "S3", "`objects-<bucket>-encryption` (KMS)", prod("encrypts every S3 bucket with a KMS key"), "KMS-encrypted, versioned buckets replicated to us-west-2"),
  r("000-23", "partial", "API -> S3 and API -> OpenSearch", "`identity-api-role`; `workloads-api-connection-data` `data`", uses("is allowed exactly what it uses, on those ARNs and their keys"), "S3: met (an IRSA role allowed the uploads bucket and its key; `BUCKET_UPLOADS`, `SEARCH_URL`, `AWS_REGION` as env). OpenSearch: the domain refuses the API's signed requests until an administrator maps its role (main README)"),
  r("000-24", "met", "Backups of PostgreSQL to a vault with a cross-region copy", "`backups-plan` `rules[*].copyActions`; `backups-selection`", prod("backs PostgreSQL up to a vault with a copy in us-west-2"), "`platform:backup`"),
  r("000-25", "missing", "Backups of Redis and Elasticsearch to S3", "", none, "on main: ElastiCache's daily snapshots and OpenSearch's own automated snapshots, neither in S3 nor in the AWS Backup selection"),
  r("000-26", "met", "Prometheus scrape config, Grafana dashboard", "Release `observability-prometheus-stack`; ServiceMonitors `observability-scrape-enrichment-<service>`", prod("runs Prometheus, Alertmanager and Grafana on EKS and scrapes every service"), "kube-prometheus-stack, a ServiceMonitor per service, dashboards, rules"),
  r("000-27", "missing", "Datadog", "", none, "see \"Not met, and why\""),
];

export const enrichment: ExampleRequirements = { example: "enrichment", seed: "000", rows };
