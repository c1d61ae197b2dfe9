import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";
import { transitiveWaits } from "../../tools/plan/chains";
import type { ReportResource } from "../../tools/plan/report";

const cnpgCluster = "kubernetes:postgresql.cnpg.io/v1:Cluster";

const zoneSetting = (plan: PlannedExample, name: string) =>
  at(plan.inputs("cloudflare:index/zoneSetting:ZoneSetting", `edge-${name}`), "value");

describe("Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("corporate-intel", "prod");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("shows in its README the diagram the plan draws", () => {
    assert.equal(plan.readmeDiagram(), plan.diagram());
  });

  it("alerts in production on all six rules of the seed, the missing backup of the cluster and of the database included", () => {
    const rules = plan.inputs(
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
      "observability-alert-rules",
    );
    const groups = at(rules, "spec", "groups") as { rules: { alert: string }[] }[];
    assert.deepEqual(groups.flatMap((g) => g.rules.map((r) => r.alert)).sort(), [
      "APIDown",
      "BackupMissing",
      "DatabaseBackupMetricsAbsent",
      "DatabaseBackupMissing",
      "DatabaseBackupNeverTaken",
      "DatabaseSlow",
      "DiskSpaceLow",
      "HighErrorRate",
      "MemoryHigh",
    ]);
  });

  it("runs the API on port 8000", () => {
    const api = plan.inputs("kubernetes:apps/v1:Deployment", "workloads-api-deployment");
    assert.equal(
      at(api, "spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"),
      8000,
    );
  });

  it("accepts TLS 1.2 and 1.3 only", () => {
    assert.equal(zoneSetting(plan, "min-tls-version"), "1.2");
    assert.equal(zoneSetting(plan, "tls-1-3"), "on");
  });

  it("sends HSTS with a two-year max-age", () => {
    assert.deepEqual(zoneSetting(plan, "security-header"), {
      strict_transport_security: {
        enabled: true,
        include_subdomains: true,
        max_age: 63_072_000,
        nosniff: true,
        preload: true,
      },
    });
  });

  it("limits each client IP to 10 requests per second at the edge", () => {
    const rule = at(plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-ratelimit"), "rules", 0);
    assert.equal(at(rule, "expression"), '(http.host in {"api.corporate-intel.example.com"})');
    assert.deepEqual(at(rule, "ratelimit"), {
      characteristics: ["ip.src", "cf.colo.id"],
      mitigationTimeout: 10,
      period: 10,
      requestsPerPeriod: 100,
    });
  });

  it("limits each client IP to 10 requests per second at the ingress too", () => {
    const ingress = plan.inputs("kubernetes:networking.k8s.io/v1:Ingress", "workloads-api-ingress");
    assert.equal(
      at(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/limit-rps"),
      "10",
    );
  });

  it("builds PostgreSQL 15 and Redis 7", () => {
    assert.match(
      String(at(plan.inputs(cnpgCluster, "database-cluster"), "spec", "imageName")),
      /:15\.\d+-\d+-ts2\.\d+\.\d+$/,
    );
    assert.equal(
      at(
        plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis"),
        "engineVersion",
      ),
      "7.1",
    );
  });

  it("stores documents in an encrypted S3 bucket", () => {
    const buckets = plan.ofType("aws:s3/bucket:Bucket").map((b) => b.name);
    assert.ok(buckets.includes("objects-documents"), buckets.join(", "));
    assert.equal(
      at(
        plan.inputs(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "objects-documents-encryption",
        ),
        "rules",
        0,
        "applyServerSideEncryptionByDefault",
        "sseAlgorithm",
      ),
      "aws:kms",
    );
  });

  it("keeps application logs (PostgreSQL's among them) 90 days and access logs a year", () => {
    const retention = (name: string) =>
      at(plan.inputs("aws:cloudwatch/logGroup:LogGroup", name), "retentionInDays");
    assert.equal(retention("observability-logs"), 90);
    assert.equal(retention("cluster-logs"), 365);
    const cluster = plan.inputs("aws:eks/cluster:Cluster", "cluster-eks");
    const logTypes = at(cluster, "enabledClusterLogTypes") as string[];
    assert.ok(logTypes.includes("audit") && logTypes.includes("authenticator"), String(logTypes));
  });

  it("watches Redis through CloudWatch metrics of ElastiCache, with no exporter in the cluster, and no RDS it does not build", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    assert.ok(!charts.includes("prometheus-postgres-exporter"), charts.join(", "));
    assert.ok(!charts.includes("prometheus-redis-exporter"), charts.join(", "));
    const alarms = plan.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const watched = (namespace: string, dimension: string) =>
      alarms
        .filter((a) => at(a, "namespace") === namespace)
        .map((a) => `${String(at(a, "dimensions", dimension))} ${String(at(a, "metricName"))}`)
        .sort();
    assert.deepEqual(plan.ofType("aws:rds/instance:Instance"), []);
    assert.deepEqual(watched("AWS/RDS", "DBInstanceIdentifier"), []);
    const cache = watched("AWS/ElastiCache", "CacheClusterId");
    assert.equal(cache.length, 9, cache.join(", "));
    for (const metric of ["DatabaseMemoryUsagePercentage", "EngineCPUUtilization", "Evictions"]) {
      assert.equal(cache.filter((c) => c.endsWith(` ${metric}`)).length, 3, metric);
    }
  });

  it("reaches S3 from the API on 443 inside the VPC, where S3's interface endpoint answers its regional name", () => {
    const s3 = plan.inputs("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-interface-endpoint");
    assert.equal(at(s3, "serviceName"), "com.amazonaws.us-east-1.s3");
    assert.equal(at(s3, "privateDnsEnabled"), true);
    assert.deepEqual(at(s3, "dnsOptions"), { privateDnsOnlyForInboundResolverEndpoint: false });
    const sg = plan
      .ofType("aws:ec2/securityGroup:SecurityGroup")
      .find((g) => g.name === "network-endpoints-sg")!;
    assert.deepEqual(at(sg.inputs, "ingress", 0, "cidrBlocks"), ["10.40.0.0/16"]);
    const egress = at(
      plan.inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "workloads-api-network-policy"),
      "spec",
      "egress",
    ) as unknown[];
    assert.ok(
      egress.some(
        (rule) =>
          at(rule, "to", 0, "ipBlock", "cidr") === "10.40.0.0/16" &&
          at(rule, "ports", 0, "port") === 443,
      ),
      JSON.stringify(egress),
    );
  });

  it("lets the API's traces out to the collector in the monitoring namespace", () => {
    const egress = at(
      plan.inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "workloads-api-network-policy"),
      "spec",
      "egress",
    ) as unknown[];
    const otlp = egress.filter((rule) => at(rule, "ports", 0, "port") === 4317);
    assert.deepEqual(otlp, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: {
              matchLabels: {
                "app.kubernetes.io/component": "all-in-one",
                "app.kubernetes.io/instance": "jaeger",
                "app.kubernetes.io/name": "jaeger",
              },
            },
          },
        ],
        ports: [
          { port: 4317, protocol: "TCP" },
          { port: 4318, protocol: "TCP" },
        ],
      },
    ]);
  });

  it("tells the API's trace exporter where the collector listens, over gRPC", () => {
    const env = at(
      plan.inputs("kubernetes:apps/v1:Deployment", "workloads-api-deployment"),
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "env",
    ) as { name: string; value?: string }[];
    assert.deepEqual(
      env.filter((e) => e.name.startsWith("OTEL_")),
      [
        {
          name: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          value: "http://jaeger-collector.monitoring.svc.cluster.local:4317",
        },
        { name: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", value: "grpc" },
      ],
    );
  });

  describe("its primary store: PostgreSQL 15 with TimescaleDB on CloudNativePG", () => {
    const one = (type: string, name: string): ReportResource => {
      const found = plan.ofType(type).filter((r) => r.name === name);
      assert.equal(found.length, 1, `expected one ${type} named ${name}`);
      return found[0]!;
    };
    const spec = () => at(plan.inputs(cnpgCluster, "database-cluster"), "spec");

    it("alerts critical when the database's last base backup is older than 25 hours", () => {
      const rules = at(
        plan.inputs(
          "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
          "observability-alert-rules",
        ),
        "spec",
        "groups",
      ) as { name: string; rules: { alert: string }[] }[];
      const backups = rules.find((g) => g.name === "platform.backups");
      assert.deepEqual(
        backups?.rules.map((r) => r.alert),
        [
          "BackupMissing",
          "DatabaseBackupMissing",
          "DatabaseBackupNeverTaken",
          "DatabaseBackupMetricsAbsent",
        ],
      );
    });

    it("gives the stack's database outputs the Cluster's read-write Service, as RDS's would be", () => {
      const stack = plan.report.resources.find((r) => r.type === "pulumi:pulumi:Stack");
      assert.ok(stack, "the plan has no stack resource");
      assert.equal(
        at(stack.outputs, "databaseHost"),
        "database-rw.corporate-intel-database.svc.cluster.local",
      );
      assert.equal(at(stack.outputs, "databasePort"), 5432);
    });
    /** Every URN a resource waits for, directly or through what it waits for. */
    const allWaits = (start: ReportResource): Set<string> =>
      transitiveWaits(start, new Map(plan.report.resources.map((r) => [r.urn, r])));

    it("runs TimescaleDB on the EKS cluster instead of RDS, and the API's connections Secret carries its URL", () => {
      assert.deepEqual(plan.ofType("aws:rds/instance:Instance"), []);
      assert.deepEqual(at(spec(), "postgresql", "shared_preload_libraries"), ["timescaledb"]);
      assert.deepEqual(at(spec(), "bootstrap", "initdb", "postInitApplicationSQL"), [
        "CREATE EXTENSION IF NOT EXISTS timescaledb",
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
      ]);
      assert.equal(at(spec(), "bootstrap", "initdb", "database"), "corporate_intel");
      assert.ok(
        one("kubernetes:core/v1:Secret", "workloads-connections").dependencies.includes(
          one("random:index/randomPassword:RandomPassword", "database-password").urn,
        ),
      );
    });

    it("installs the operator after the node group and the core add-ons, and creates the Cluster only after those, the encrypted StorageClass, the operator's CRDs and cert-manager", () => {
      const waits = allWaits(one(cnpgCluster, "database-cluster"));
      const needed = [
        one("aws:eks/nodeGroup:NodeGroup", "cluster-nodes"),
        ...plan.ofType("aws:eks/addon:Addon"),
        one("kubernetes:storage.k8s.io/v1:StorageClass", "cluster-gp3"),
        one("kubernetes:helm.sh/v3:Release", "database-operator"),
        one("kubernetes:helm.sh/v3:Release", "database-barman-cloud"),
        one("kubernetes:helm.sh/v3:Release", "ingress-cert-manager"),
      ];
      assert.equal(needed.length, 9);
      assert.deepEqual(
        needed.filter((r) => !waits.has(r.urn)).map((r) => r.name),
        [],
      );
      const operatorWaits = allWaits(one("kubernetes:helm.sh/v3:Release", "database-operator"));
      assert.deepEqual(
        needed
          .slice(0, 5)
          .filter((r) => !operatorWaits.has(r.urn))
          .map((r) => r.name),
        [],
        "the operator's chart does not wait for the node group and the core add-ons",
      );
    });

    it("claims its volumes on the cluster's default StorageClass, gp3 encrypted", () => {
      const sc = plan.inputs("kubernetes:storage.k8s.io/v1:StorageClass", "cluster-gp3");
      assert.equal(at(sc, "metadata", "name"), at(spec(), "storage", "storageClass"));
      assert.equal(
        at(sc, "metadata", "annotations", "storageclass.kubernetes.io/is-default-class"),
        "true",
      );
      assert.deepEqual(at(sc, "parameters"), { type: "gp3", encrypted: "true" });
    });

    it("tunes PostgreSQL as seed 003 lists", () => {
      const p = at(spec(), "postgresql", "parameters") as Record<string, string>;
      assert.deepEqual(
        [
          p.max_connections,
          p.shared_buffers,
          p.effective_cache_size,
          p.work_mem,
          p.maintenance_work_mem,
          p.random_page_cost,
          p.wal_buffers,
          p.checkpoint_completion_target,
        ],
        ["200", "2GB", "6GB", "16MB", "512MB", "1.1", "16MB", "0.9"],
      );
    });

    it("archives WAL and takes a base backup daily at 02:00 UTC to the protected, versioned backups bucket, 7 days of point-in-time recovery", () => {
      const store = plan.inputs(
        "kubernetes:barmancloud.cnpg.io/v1:ObjectStore",
        "database-object-store",
      );
      const bucket = one("aws:s3/bucket:Bucket", "objects-backups");
      assert.equal(
        at(store, "spec", "configuration", "destinationPath"),
        `s3://${String(at(bucket.outputs, "bucket"))}/postgres`,
      );
      assert.equal(at(store, "spec", "retentionPolicy"), "7d");
      assert.equal(at(spec(), "plugins", 0, "isWALArchiver"), true);
      assert.equal(
        at(
          plan.inputs("kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "database-daily-backup"),
          "spec",
          "schedule",
        ),
        "0 0 2 * * *",
      );
      assert.equal(bucket.protect, true);
      assert.equal(
        at(
          plan.inputs("aws:s3/bucketVersioning:BucketVersioning", "objects-backups-versioning"),
          "versioningConfiguration",
          "status",
        ),
        "Enabled",
      );
    });

    it("writes those backups under an IRSA role only the instances' service account may assume, allowed the bucket's postgres/ prefix and its key through S3", () => {
      const role = plan.inputs("aws:iam/role:Role", "database-backup-role");
      const trust = JSON.parse(String(at(role, "assumeRolePolicy"))) as unknown;
      const oidc = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc");
      assert.equal(at(trust, "Statement", 0, "Principal", "Federated"), at(oidc.outputs, "arn"));
      const conditions = at(trust, "Statement", 0, "Condition", "StringEquals") as object;
      assert.deepEqual(Object.values(conditions).sort(), [
        "sts.amazonaws.com",
        "system:serviceaccount:corporate-intel-database:database",
      ]);
      const policy = JSON.parse(
        String(
          at(plan.inputs("aws:iam/rolePolicy:RolePolicy", "database-backup-policy"), "policy"),
        ),
      ) as unknown;
      const bucketArn = at(one("aws:s3/bucket:Bucket", "objects-backups").outputs, "arn");
      assert.deepEqual(at(policy, "Statement", 1, "Resource"), [`${String(bucketArn)}/postgres/*`]);
      assert.deepEqual(at(policy, "Statement", 2, "Resource"), [
        at(one("aws:kms/key:Key", "objects-key").outputs, "arn"),
      ]);
      assert.equal(
        at(
          spec(),
          "serviceAccountTemplate",
          "metadata",
          "annotations",
          "eks.amazonaws.com/role-arn",
        ),
        at(one("aws:iam/role:Role", "database-backup-role").outputs, "arn"),
      );
    });

    it("admits the API's namespace to PostgreSQL on 5432, and lets the API out to it there", () => {
      const clients = plan.inputs(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "database-netpol-clients",
      );
      assert.deepEqual(at(clients, "spec", "ingress"), [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": "corporate-intel" },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: 5432 }],
        },
      ]);
      const egress = at(
        plan.inputs(
          "kubernetes:networking.k8s.io/v1:NetworkPolicy",
          "workloads-api-network-policy",
        ),
        "spec",
        "egress",
      ) as unknown[];
      assert.ok(
        egress.some(
          (rule) =>
            at(rule, "ports", 0, "port") === 5432 &&
            at(rule, "to", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") ===
              "corporate-intel-database",
        ),
      );
    });

    it("is scraped by Prometheus: a ServiceMonitor on the instances' metrics Service, admitted from the monitoring namespace on 9187", () => {
      const monitor = plan
        .ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
        .find(
          (m) =>
            at(m.inputs, "spec", "namespaceSelector", "matchNames", 0) ===
            "corporate-intel-database",
        );
      assert.ok(monitor, "no ServiceMonitor selects the database namespace");
      assert.deepEqual(at(monitor.inputs, "spec", "selector", "matchLabels"), {
        "app.kubernetes.io/name": "database-metrics",
      });
      assert.deepEqual(
        at(plan.inputs("kubernetes:core/v1:Service", "database-metrics"), "spec", "selector"),
        { "cnpg.io/cluster": "database", "cnpg.io/podRole": "instance" },
      );
      assert.deepEqual(
        at(
          plan.inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "database-netpol-metrics"),
          "spec",
          "ingress",
          0,
          "ports",
        ),
        [{ protocol: "TCP", port: 9187 }],
      );
    });

    it("protects its namespace, the Cluster, its backups' ObjectStore and its credentials", () => {
      assert.deepEqual(
        plan.report.resources
          .filter((r) => r.protect && r.name.startsWith("database-"))
          .map((r) => r.name)
          .sort(),
        ["database-cluster", "database-credentials", "database-ns", "database-object-store"],
      );
    });
  });
});

describe("Seed 003, the Corporate Intelligence Platform (examples/corporate-intel, staging)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("corporate-intel", "staging");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("runs Prometheus with Grafana and Alertmanager, Jaeger, and the node, PostgreSQL and Redis exporters", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    for (const chart of [
      "kube-prometheus-stack",
      "jaeger",
      "prometheus-postgres-exporter",
      "prometheus-redis-exporter",
    ]) {
      assert.ok(charts.includes(chart), `${chart} missing from ${charts.join(", ")}`);
    }
    const stack = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-prometheus-stack");
    assert.equal(at(stack, "values", "nodeExporter", "enabled"), true);
  });

  it("connects the PostgreSQL exporter without TLS, as the in-cluster server it watches serves none", () => {
    const exporter = plan.inputs(
      "kubernetes:helm.sh/v3:Release",
      "observability-postgres-exporter",
    );
    assert.equal(at(exporter, "values", "config", "datasource", "sslmode"), "disable");
    assert.equal(
      at(exporter, "values", "config", "datasource", "host"),
      "data-database-postgres.staging-data.svc.cluster.local",
    );
    // The server runs the image's own command, whose configuration leaves ssl off: no `-c ssl=on`,
    // no certificate.
    const server = at(
      plan.inputs("kubernetes:apps/v1:StatefulSet", "data-database-statefulset"),
      "spec",
      "template",
      "spec",
      "containers",
      0,
    );
    assert.deepEqual([at(server, "command"), at(server, "args")], [undefined, undefined]);
  });

  it("admits the exporters from the monitoring namespace to PostgreSQL and Redis, each to its own port", () => {
    const policy = plan.inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-exporters");
    assert.equal(at(policy, "metadata", "namespace"), "staging-data");
    const rules = at(policy, "spec", "ingress") as unknown[];
    assert.deepEqual(
      rules.map((r) => [
        at(r, "from", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"),
        at(r, "from", 0, "podSelector", "matchLabels"),
        at(r, "ports"),
      ]),
      [
        [
          "monitoring",
          { app: "prometheus-postgres-exporter", release: "postgres-exporter" },
          [{ port: 5432, protocol: "TCP" }],
        ],
        [
          "monitoring",
          {
            "app.kubernetes.io/instance": "redis-exporter",
            "app.kubernetes.io/name": "prometheus-redis-exporter",
          },
          [{ port: 6379, protocol: "TCP" }],
        ],
      ],
    );
  });

  it("alerts on the seed's table: API down, errors > 1 % for 5 min, disk > 85 %, DB p95 > 1 s for 10 min, memory > 90 % for 5 min", () => {
    const rules = plan
      .ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule")
      .flatMap((r) => at(r.inputs, "spec", "groups") as unknown[])
      .flatMap((g) => at(g, "rules") as unknown[]);
    assert.deepEqual(
      rules.map((r) => [at(r, "alert"), at(r, "expr"), at(r, "for"), at(r, "labels", "severity")]),
      [
        ["APIDown", 'up{job=~"api"} == 0', "30s", "critical"],
        [
          "HighErrorRate",
          'sum by (job, namespace) (rate(http_requests_total{job=~"api",status=~"5.."}[5m])) / sum by (job, namespace) (rate(http_requests_total{job=~"api"}[5m])) > 0.01',
          "5m",
          "critical",
        ],
        [
          "DatabaseSlow",
          'histogram_quantile(0.95, sum by (le, job) (rate(db_query_duration_seconds_bucket{job=~"api"}[5m]))) > 1',
          "10m",
          "warning",
        ],
        [
          "DiskSpaceLow",
          '(1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs|ramfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs|ramfs"}) > 0.85',
          undefined,
          "warning",
        ],
        [
          "MemoryHigh",
          "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > 0.9",
          "5m",
          "warning",
        ],
      ],
    );
  });
});
