import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

const deployment = "kubernetes:apps/v1:Deployment";
const hpa = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const rds = "aws:rds/instance:Instance";
const redis = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("Seed 000, the Enrichment platform (examples/enrichment, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("enrichment", "prod");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("shows in its README the diagram the plan draws", () => {
    assert.equal(plan.readmeDiagram(), plan.diagram());
  });

  it("gives the GCP secondary the data: PostgreSQL replicated continuously (RPO 180 s), both buckets copied hourly", () => {
    const jobs = plan.report.resources.filter((r) =>
      [
        "gcp:databasemigrationservice/migrationJob:MigrationJob",
        "gcp:storage/transferJob:TransferJob",
      ].includes(r.type),
    );
    assert.deepEqual(jobs.map((j) => j.name).sort(), [
      "standby-backups-transfer",
      "standby-replication-job",
      "standby-uploads-transfer",
    ]);
    assert.deepEqual(at(plan.report.outputs, "recovery", "rpo", "database", "seconds"), 180);
    assert.deepEqual(at(plan.report.outputs, "recovery", "rpo", "objects", "seconds"), 3600);
  });

  it("runs Prometheus, Alertmanager and Grafana on EKS and scrapes every service", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    assert.ok(charts.includes("kube-prometheus-stack"));
    // The application's services; the ingress controller and cert-manager are scraped too.
    const scraped = plan
      .ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
      .map((r) => r.name)
      .filter((name) => !/-(ingress-nginx|cert-manager)-/.test(name));
    const services = plan
      .ofType("kubernetes:apps/v1:Deployment")
      .filter((r) => r.name.startsWith("workloads-"))
      .map((r) => r.name.slice("workloads-".length, -"-deployment".length));
    assert.equal(scraped.length, services.length);
    for (const service of services) {
      assert.ok(
        scraped.some((monitor) => monitor.endsWith(`-${service}`)),
        `${service} is not scraped`,
      );
    }
  });

  it("limits the enrichment namespace to 10/20Gi requested, 20/40Gi limits and 10 PVCs", () => {
    const quota = plan.inputs("kubernetes:core/v1:ResourceQuota", "workloads-enrichment-quota");
    assert.deepEqual(at(quota, "spec", "hard"), {
      "requests.cpu": "10",
      "requests.memory": "20Gi",
      "limits.cpu": "20",
      "limits.memory": "40Gi",
      persistentvolumeclaims: "10",
      pods: "50",
    });
  });

  it("runs the API with 3 replicas, surging 1 and never dropping below", () => {
    const spec = at(plan.inputs(deployment, "workloads-api-deployment"), "spec");
    assert.equal(at(spec, "replicas"), 3);
    assert.deepEqual(at(spec, "strategy"), {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it("gives the API container port 3000, 500m/512Mi requested and 1000m/1Gi limits", () => {
    const api = at(plan.inputs(deployment, "workloads-api-deployment"), "spec", "template");
    const container = at(api, "spec", "containers", 0);
    assert.equal(at(container, "ports", 0, "containerPort"), 3000);
    assert.deepEqual(at(container, "resources"), {
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "1000m", memory: "1Gi" },
    });
  });

  it("probes the API: liveness /health after 30 s every 10 s, readiness /ready after 5 s every 5 s", () => {
    const container = at(
      plan.inputs(deployment, "workloads-api-deployment"),
      "spec",
      "template",
      "spec",
      "containers",
      0,
    );
    assert.deepEqual(
      [
        at(container, "livenessProbe", "httpGet"),
        at(container, "livenessProbe", "initialDelaySeconds"),
        at(container, "livenessProbe", "periodSeconds"),
      ],
      [{ path: "/health", port: 3000 }, 30, 10],
    );
    assert.deepEqual(
      [
        at(container, "readinessProbe", "httpGet"),
        at(container, "readinessProbe", "initialDelaySeconds"),
        at(container, "readinessProbe", "periodSeconds"),
      ],
      [{ path: "/ready", port: 3000 }, 5, 5],
    );
  });

  it("runs the API as uid 1001, without privilege escalation, on a read-only root filesystem", () => {
    const container = at(
      plan.inputs(deployment, "workloads-api-deployment"),
      "spec",
      "template",
      "spec",
      "containers",
      0,
    );
    const context = at(container, "securityContext");
    assert.equal(at(context, "runAsNonRoot"), true);
    assert.equal(at(context, "runAsUser"), 1001);
    assert.equal(at(context, "allowPrivilegeEscalation"), false);
    assert.equal(at(context, "readOnlyRootFilesystem"), true);
  });

  it("scales the API from 3 to 20 pods at 70 % CPU and 80 % memory, with the seed's behaviour", () => {
    const spec = at(plan.inputs(hpa, "workloads-api-hpa"), "spec");
    assert.equal(at(spec, "minReplicas"), 3);
    assert.equal(at(spec, "maxReplicas"), 20);
    assert.deepEqual(at(spec, "metrics"), [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
      },
      {
        type: "Resource",
        resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } },
      },
    ]);
    assert.deepEqual(at(spec, "behavior"), {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
    });
  });

  it("runs 3 websocket pods on port 3001 with 300m/256Mi requested and 600m/512Mi limits", () => {
    const spec = at(plan.inputs(deployment, "workloads-websocket-deployment"), "spec");
    assert.equal(at(spec, "replicas"), 3);
    const container = at(spec, "template", "spec", "containers", 0);
    assert.equal(at(container, "ports", 0, "containerPort"), 3001);
    assert.deepEqual(at(container, "resources"), {
      requests: { cpu: "300m", memory: "256Mi" },
      limits: { cpu: "600m", memory: "512Mi" },
    });
  });

  it("puts the websocket Service behind a Network Load Balancer speaking TCP, port 80 to 3001", () => {
    const service = plan.inputs("kubernetes:core/v1:Service", "workloads-websocket-service");
    assert.equal(at(service, "spec", "type"), "LoadBalancer");
    assert.equal(
      at(service, "metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-type"),
      "nlb",
    );
    assert.equal(
      at(
        service,
        "metadata",
        "annotations",
        "service.beta.kubernetes.io/aws-load-balancer-backend-protocol",
      ),
      "tcp",
    );
    assert.deepEqual(at(service, "spec", "ports", 0), {
      name: "http",
      port: 80,
      protocol: "TCP",
      targetPort: 3001,
    });
  });

  it("runs the web, API, websocket and AI tiers", () => {
    assert.deepEqual(
      plan
        .ofType(deployment)
        .map((d) => at(d.inputs, "metadata", "name"))
        .sort(),
      ["ai", "api", "web", "websocket"],
    );
  });

  it("builds RDS PostgreSQL 15 on db.r6g.xlarge with encrypted gp3 storage growing from 100 to 1000 GiB", () => {
    const db = plan.inputs(rds, "database-instance");
    assert.deepEqual(
      [
        at(db, "engine"),
        at(db, "engineVersion"),
        at(db, "instanceClass"),
        at(db, "storageType"),
        at(db, "storageEncrypted"),
        at(db, "allocatedStorage"),
        at(db, "maxAllocatedStorage"),
      ],
      ["postgres", "15", "db.r6g.xlarge", "gp3", true, 100, 1000],
    );
  });

  it("keeps PostgreSQL backups 7 days, backing up 03:00-04:00 and maintaining Sunday 04:00-05:00", () => {
    const db = plan.inputs(rds, "database-instance");
    assert.equal(at(db, "backupRetentionPeriod"), 7);
    assert.equal(at(db, "backupWindow"), "03:00-04:00");
    assert.equal(at(db, "maintenanceWindow"), "sun:04:00-sun:05:00");
  });

  it("watches PostgreSQL with Performance Insights and 60 s enhanced monitoring", () => {
    const db = plan.inputs(rds, "database-instance");
    assert.equal(at(db, "performanceInsightsEnabled"), true);
    assert.equal(at(db, "monitoringInterval"), 60);
  });

  it("protects PostgreSQL from deletion and takes a final snapshot", () => {
    const db = plan.inputs(rds, "database-instance");
    assert.equal(at(db, "deletionProtection"), true);
    assert.equal(at(db, "skipFinalSnapshot"), false);
    assert.equal(at(db, "finalSnapshotIdentifier"), "enrichment-prod-database-final-snapshot");
    assert.equal(plan.ofType(rds).find((r) => r.name === "database-instance")?.protect, true);
  });

  it("adds a private db.r6g.large read replica for analytics", () => {
    const replica = plan.inputs(rds, "database-replica");
    assert.equal(at(replica, "replicateSourceDb"), "enrichment-prod-database");
    assert.equal(at(replica, "instanceClass"), "db.r6g.large");
    assert.equal(at(replica, "publiclyAccessible"), false);
  });

  it("builds Redis 7 with 3 nodes and automatic multi-AZ failover", () => {
    const group = plan.inputs(redis, "cache-redis");
    assert.deepEqual(
      [
        at(group, "engine"),
        at(group, "engineVersion"),
        at(group, "nodeType"),
        at(group, "numCacheClusters"),
        at(group, "automaticFailoverEnabled"),
        at(group, "multiAzEnabled"),
      ],
      ["redis", "7.1", "cache.r6g.large", 3, true, true],
    );
  });

  it("encrypts Redis at rest and in transit, with an auth token and its slow log in CloudWatch", () => {
    const group = plan.inputs(redis, "cache-redis");
    assert.equal(at(group, "atRestEncryptionEnabled"), true);
    assert.equal(at(group, "transitEncryptionEnabled"), true);
    assert.equal(at(group, "authToken"), "[secret]");
    assert.deepEqual(
      [
        at(group, "logDeliveryConfigurations", 0, "destinationType"),
        at(group, "logDeliveryConfigurations", 0, "logType"),
      ],
      ["cloudwatch-logs", "slow-log"],
    );
  });

  it("builds an OpenSearch domain encrypted at rest and between nodes, inside the VPC", () => {
    const domain = plan.inputs("aws:opensearch/domain:Domain", "search-domain");
    assert.equal(at(domain, "encryptAtRest", "enabled"), true);
    assert.equal(at(domain, "nodeToNodeEncryption", "enabled"), true);
    assert.equal(at(domain, "domainEndpointOptions", "enforceHttps"), true);
    assert.ok(Array.isArray(at(domain, "vpcOptions", "subnetIds")));
  });

  it("encrypts every S3 bucket with a KMS key", () => {
    const configs = plan.ofType(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.equal(configs.length, 4);
    for (const c of configs) {
      assert.equal(
        at(c.inputs, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
        "aws:kms",
      );
    }
  });

  it("backs PostgreSQL up to a vault with a copy in us-west-2", () => {
    const selection = plan.inputs("aws:backup/selection:Selection", "backups-selection");
    assert.deepEqual(at(selection, "resources"), [
      "arn:aws:rds:us-east-1:123456789012:db:enrichment-prod-database",
      // The uploads bucket too: tests/examples/enrichment-backups.test.ts.
      "arn:aws:s3:::objects-uploads-47471f8",
    ]);
    const plan0 = plan.inputs("aws:backup/plan:Plan", "backups-plan");
    assert.equal(
      at(plan0, "rules", 0, "copyActions", 0, "destinationVaultArn"),
      "arn:aws:backup:us-west-2:123456789012:backup-vault:enrichment-prod-backups-replica",
    );
  });

  it("puts Cloudflare's managed WAF in front and proxies app and api through the edge", () => {
    const waf = plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-waf");
    assert.equal(at(waf, "phase"), "http_request_firewall_managed");
    assert.deepEqual(
      plan
        .ofType("cloudflare:index/loadBalancer:LoadBalancer")
        .map((lb) => [at(lb.inputs, "name"), at(lb.inputs, "proxied")]),
      [
        ["app.enrichment.example.com", true],
        ["api.enrichment.example.com", true],
      ],
    );
  });

  it("fails over from the AWS origin to the GCP standby", () => {
    const pools = plan
      .ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool")
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => at(p.inputs, "origins", 0, "address"));
    // The origins are the ingress controllers' own: the NLB and the standby's reserved address.
    assert.match(
      String(at(plan.report.outputs, "ingressAddress")),
      /\.elb\.us-east-1\.amazonaws\.com$/,
    );
    assert.match(String(at(plan.report.outputs, "standbyIngressAddress")), /^198\.51\.100\.\d+$/);
    // Per host (api, app): the AWS pool, then the GCP pool.
    assert.deepEqual(pools, [
      at(plan.report.outputs, "ingressAddress"),
      at(plan.report.outputs, "standbyIngressAddress"),
      at(plan.report.outputs, "ingressAddress"),
      at(plan.report.outputs, "standbyIngressAddress"),
    ]);
    assert.deepEqual(at(plan.report.outputs, "activePool"), [
      "enrichment-prod-app-aws",
      "enrichment-prod-api-aws",
    ]);
  });
});
