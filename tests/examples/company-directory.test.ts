import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

describe("Seed 004, the Company Directory (examples/company-directory, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("company-directory", "prod");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("shows in its README the diagram the plan draws", () => {
    assert.equal(plan.readmeDiagram(), plan.diagram());
  });

  it("runs Prometheus, Grafana and Alertmanager in production", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    assert.ok(charts.includes("kube-prometheus-stack"));
  });

  it("limits each client IP to 100 requests per minute", () => {
    const rule = at(plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-ratelimit"), "rules", 0);
    assert.equal(
      at(rule, "expression"),
      '(http.host in {"app.directory.example.com"} or ends_with(http.host, ".directory.example.com"))',
    );
    assert.equal(at(rule, "action"), "block");
    assert.deepEqual(at(rule, "ratelimit"), {
      characteristics: ["ip.src", "cf.colo.id"],
      mitigationTimeout: 60,
      period: 60,
      requestsPerPeriod: 100,
    });
  });

  it("terminates TLS 1.2 or later and redirects plain HTTP", () => {
    const setting = (name: string) =>
      at(plan.inputs("cloudflare:index/zoneSetting:ZoneSetting", `edge-${name}`), "value");
    assert.equal(setting("min-tls-version"), "1.2");
    assert.equal(setting("always-use-https"), "on");
    assert.equal(setting("ssl"), "strict");
  });

  it("sends HSTS, X-Frame-Options, nosniff and a referrer policy", () => {
    const hsts = at(
      plan.inputs("cloudflare:index/zoneSetting:ZoneSetting", "edge-security-header"),
      "value",
      "strict_transport_security",
    );
    assert.equal(at(hsts, "enabled"), true);
    const headers = at(
      plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-headers"),
      "rules",
      0,
      "actionParameters",
      "headers",
    );
    assert.deepEqual(
      [
        at(headers, "X-Frame-Options", "value"),
        at(headers, "X-Content-Type-Options", "value"),
        at(headers, "Referrer-Policy", "value"),
      ],
      ["DENY", "nosniff", "strict-origin-when-cross-origin"],
    );
  });

  it("serves the React frontend at / and the Node backend at /api", () => {
    assert.deepEqual(
      plan
        .ofType("kubernetes:networking.k8s.io/v1:Ingress")
        .map((i) => [
          at(i.inputs, "metadata", "name"),
          at(i.inputs, "spec", "rules", 0, "http", "paths", 0, "path"),
        ])
        .sort(),
      [
        ["backend", "/api"],
        ["frontend", "/"],
      ],
    );
  });

  it("routes every tenant's subdomain to the frontend and the backend, over TLS", () => {
    for (const ingress of plan.ofType("kubernetes:networking.k8s.io/v1:Ingress")) {
      assert.equal(at(ingress.inputs, "spec", "rules", 0, "host"), "*.directory.example.com");
      assert.deepEqual(at(ingress.inputs, "spec", "tls", 0, "hosts"), ["*.directory.example.com"]);
    }
    const record = plan.inputs("cloudflare:index/dnsRecord:DnsRecord", "edge-dns-wildcard");
    assert.equal(at(record, "name"), "*.directory.example.com");
    assert.equal(at(record, "proxied"), true);
  });

  it("gets the wildcard certificate by DNS-01 through Cloudflare, its token kept secret", () => {
    const solvers = at(
      plan.inputs("kubernetes:cert-manager.io/v1:ClusterIssuer", "ingress-letsencrypt-prod"),
      "spec",
      "acme",
      "solvers",
    );
    assert.deepEqual(at(solvers, 0, "selector"), { dnsZones: ["directory.example.com"] });
    assert.deepEqual(at(solvers, 0, "dns01", "cloudflare", "apiTokenSecretRef"), {
      name: "letsencrypt-prod-cloudflare-api-token",
      key: "api-token",
    });
    const token = plan.inputs("kubernetes:core/v1:Secret", "ingress-cloudflare-api-token");
    assert.equal(at(token, "stringData"), "[secret]");
  });

  it("builds PostgreSQL with a read replica and refuses connections without TLS", () => {
    assert.equal(
      at(plan.inputs("aws:rds/instance:Instance", "database-replica"), "replicateSourceDb"),
      "company-directory-prod-database",
    );
    assert.deepEqual(
      at(
        plan.inputs("aws:rds/parameterGroup:ParameterGroup", "database-params"),
        "parameters",
        0,
        "name",
      ),
      "rds.force_ssl",
    );
  });

  it("builds Redis with TLS, an auth token and daily snapshots kept 7 days", () => {
    const group = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.equal(at(group, "transitEncryptionEnabled"), true);
    assert.equal(at(group, "authToken"), "[secret]");
    assert.equal(at(group, "snapshotRetentionLimit"), 7);
  });

  it("encrypts and versions the uploads bucket", () => {
    assert.equal(
      at(
        plan.inputs("aws:s3/bucketVersioning:BucketVersioning", "objects-uploads-versioning"),
        "versioningConfiguration",
        "status",
      ),
      "Enabled",
    );
    assert.equal(
      at(
        plan.inputs(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "objects-uploads-encryption",
        ),
        "rules",
        0,
        "applyServerSideEncryptionByDefault",
        "sseAlgorithm",
      ),
      "aws:kms",
    );
  });

  it("moves uploads to infrequent access after 90 days and expires old versions after 30", () => {
    const rule = at(
      plan.inputs(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "objects-uploads-lifecycle",
      ),
      "rules",
      0,
    );
    assert.deepEqual(at(rule, "transitions"), [{ days: 90, storageClass: "STANDARD_IA" }]);
    assert.deepEqual(at(rule, "noncurrentVersionExpiration"), { noncurrentDays: 30 });
  });

  it("replicates the uploads to us-west-2", () => {
    const replication = plan.inputs(
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "objects-uploads-replication",
    );
    assert.match(
      String(
        at(replication, "rules", 0, "destination", "encryptionConfiguration", "replicaKmsKeyId"),
      ),
      /^arn:aws:kms:us-west-2:/,
    );
  });

  it("backs up the directory namespace with Velero every day", () => {
    const velero = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-velero");
    const daily = at(velero, "values", "schedules", "daily");
    assert.equal(at(daily, "schedule"), "0 2 * * *");
    assert.deepEqual(at(daily, "template", "includedNamespaces"), ["directory"]);
  });

  it("backs PostgreSQL up every hour for a 1-hour recovery point", () => {
    const rules = at(plan.inputs("aws:backup/plan:Plan", "backups-plan"), "rules") as unknown[];
    assert.deepEqual(
      rules.map((r) => [at(r, "ruleName"), at(r, "schedule")]),
      [["hourly", "cron(0 * * * ? *)"]],
    );
  });
});

describe("Seed 004, the Company Directory (examples/company-directory, staging)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("company-directory", "staging");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("runs Prometheus, Grafana and Alertmanager", () => {
    const stack = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-prometheus-stack");
    assert.equal(at(stack, "chart"), "kube-prometheus-stack");
    assert.equal(at(stack, "values", "alertmanager", "alertmanagerSpec", "replicas"), 2);
    assert.equal(at(stack, "values", "grafana", "fullnameOverride"), "grafana");
  });
});
