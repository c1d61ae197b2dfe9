import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

const deployment = "kubernetes:apps/v1:Deployment";

describe("Seed 002, TravelSense v2 (examples/travelsense, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("travelsense", "prod");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("shows in its README the diagram the plan draws", () => {
    assert.equal(plan.readmeDiagram(), plan.diagram());
  });

  it("ships the containers' logs to CloudWatch through Fluent Bit", () => {
    const logging = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-logging");
    assert.equal(at(logging, "chart"), "fluent-bit");
    const outputs = String(at(logging, "values", "config", "outputs"));
    assert.match(outputs, /Name\s+cloudwatch_logs/);
  });

  it("limits the namespace to 4/8Gi requested, 8/16Gi limits, 20 pods and 5 PVCs", () => {
    const quota = plan.inputs("kubernetes:core/v1:ResourceQuota", "workloads-travelsense-quota");
    assert.deepEqual(at(quota, "spec", "hard"), {
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "8",
      "limits.memory": "16Gi",
      pods: "20",
      persistentvolumeclaims: "5",
    });
  });

  it("runs the frontend, the API gateway, the auth, trip, AI and export services and the queue workers", () => {
    assert.deepEqual(
      plan
        .ofType(deployment)
        .map((d) => at(d.inputs, "metadata", "name"))
        .sort(),
      ["ai", "auth", "export", "gateway", "trip", "web", "worker"],
    );
  });

  it("exposes only the frontend on app and the gateway on api through the ingress; the backends stay internal", () => {
    assert.deepEqual(
      plan
        .ofType("kubernetes:networking.k8s.io/v1:Ingress")
        .map((i) => [
          at(i.inputs, "metadata", "name"),
          at(i.inputs, "spec", "rules", 0, "host"),
          at(i.inputs, "spec", "rules", 0, "http", "paths", 0, "path"),
        ])
        .sort(),
      [
        ["gateway", "api.travelsense.example.com", "/"],
        ["web", "app.travelsense.example.com", "/"],
      ],
    );
  });

  it("admits the frontend from the ingress controller, the gateway from the frontend and the backends from the gateway only", () => {
    const admitted = (service: string) =>
      (
        at(
          plan.inputs(
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            `workloads-${service}-network-policy`,
          ),
          "spec",
          "ingress",
        ) as { from: Record<string, { matchLabels: Record<string, string> }>[] }[]
      )
        .flatMap((rule) => rule.from)
        .map((peer) =>
          peer.podSelector
            ? `pod ${peer.podSelector.matchLabels["app.kubernetes.io/name"]}`
            : `namespace ${peer.namespaceSelector!.matchLabels["kubernetes.io/metadata.name"]}`,
        )
        .filter((peer) => peer !== "namespace monitoring")
        .sort();
    assert.deepEqual(admitted("web"), ["namespace ingress-nginx"]);
    assert.deepEqual(admitted("gateway"), ["namespace ingress-nginx", "pod web"]);
    for (const backend of ["auth", "trip", "ai", "export"])
      assert.deepEqual(admitted(backend), ["pod gateway"], backend);
    assert.deepEqual(admitted("worker"), []);
  });

  it("routes app and api at the Cloudflare edge, each host load-balanced on its service's readiness path", () => {
    assert.deepEqual(
      plan
        .ofType("cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor")
        .map((m) => [m.name, at(m.inputs, "path"), at(m.inputs, "header", "Host", 0)])
        .sort(),
      [
        ["edge-monitor-api", "/ready", "api.travelsense.example.com"],
        ["edge-monitor-app", "/ready", "app.travelsense.example.com"],
      ],
    );
  });

  it("rolls the frontend and the gateway with no surge pod, one pod at a time", () => {
    for (const service of ["web", "gateway"]) {
      const spec = plan.inputs(deployment, `workloads-${service}-deployment`);
      assert.deepEqual(at(spec, "spec", "strategy", "rollingUpdate"), {
        maxSurge: 0,
        maxUnavailable: 1,
      });
      assert.equal(at(spec, "spec", "replicas"), 2);
    }
  });

  it("runs the cron scheduler every five minutes as a CronJob, never two runs at once", () => {
    const cron = plan.inputs("kubernetes:batch/v1:CronJob", "workloads-scheduler-cronjob");
    assert.equal(at(cron, "metadata", "namespace"), "travelsense");
    assert.equal(at(cron, "spec", "schedule"), "*/5 * * * *");
    assert.equal(at(cron, "spec", "concurrencyPolicy"), "Forbid");
    assert.equal(at(cron, "spec", "jobTemplate", "spec", "activeDeadlineSeconds"), 240);
    const pod = at(cron, "spec", "jobTemplate", "spec", "template", "spec");
    assert.equal(at(pod, "securityContext", "runAsUser"), 1001);
    assert.equal(at(pod, "containers", 0, "image"), "travelsense/worker:2.0.0");
    assert.deepEqual(at(pod, "containers", 0, "resources"), {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "250m", memory: "256Mi" },
    });
  });

  it("fits every service rolling out at its autoscaling maximum, surge pods included, and the scheduler in the 20-pod quota", () => {
    const atMaximum = plan.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => {
      const target = String(at(h.inputs, "spec", "scaleTargetRef", "name"));
      const rolling = plan
        .ofType(deployment)
        .find((d) => at(d.inputs, "metadata", "name") === target);
      assert.ok(rolling, `no Deployment ${target}`);
      const surge = at(rolling.inputs, "spec", "strategy", "rollingUpdate", "maxSurge");
      return Number(at(h.inputs, "spec", "maxReplicas")) + Number(surge);
    });
    const quota = plan.inputs("kubernetes:core/v1:ResourceQuota", "workloads-travelsense-quota");
    // The services' maxima with their surge pods, and one scheduler run.
    assert.equal(
      atMaximum.reduce((a, b) => a + b, 0) + plan.ofType("kubernetes:batch/v1:CronJob").length,
      Number(at(quota, "spec", "hard", "pods")),
    );
  });

  it("fits every service at its autoscaling maximum, and the scheduler, in the seed's CPU quota of 4 requested and 8 limited", () => {
    const cores = (q: unknown) =>
      String(q).endsWith("m") ? Number(String(q).slice(0, -1)) / 1000 : Number(q);
    const pods = (kind: "requests" | "limits") =>
      plan.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").reduce((total, h) => {
        const target = String(at(h.inputs, "spec", "scaleTargetRef", "name"));
        const rolling = plan
          .ofType(deployment)
          .find((d) => at(d.inputs, "metadata", "name") === target);
        assert.ok(rolling, `no Deployment ${target}`);
        const container = at(rolling.inputs, "spec", "template", "spec", "containers", 0);
        return (
          total +
          Number(at(h.inputs, "spec", "maxReplicas")) *
            cores(at(container, "resources", kind, "cpu"))
        );
      }, 0);
    const scheduler = (kind: "requests" | "limits") =>
      plan.ofType("kubernetes:batch/v1:CronJob").reduce((total, c) => {
        const container = at(
          c.inputs,
          "spec",
          "jobTemplate",
          "spec",
          "template",
          "spec",
          "containers",
          0,
        );
        return total + cores(at(container, "resources", kind, "cpu"));
      }, 0);
    const hard = at(
      plan.inputs("kubernetes:core/v1:ResourceQuota", "workloads-travelsense-quota"),
      "spec",
      "hard",
    );
    assert.ok(pods("requests") + scheduler("requests") <= cores(at(hard, "requests.cpu")) + 1e-9);
    assert.ok(pods("limits") + scheduler("limits") <= cores(at(hard, "limits.cpu")) + 1e-9);
  });

  it("blocks with Cloudflare's managed WAF and caches static assets at the edge", () => {
    const waf = plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-waf");
    assert.equal(at(waf, "rules", 0, "actionParameters", "overrides", "action"), "block");
    const cache = plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-cache");
    assert.equal(at(cache, "phase"), "http_request_cache_settings");
  });

  it("fails over from US-East on AWS to EU-West on GCP automatically in under 5 minutes", () => {
    // The origins are the ingress controllers' own: the NLB and the standby's reserved address.
    assert.match(
      String(at(plan.report.outputs, "ingressAddress")),
      /\.elb\.us-east-1\.amazonaws\.com$/,
    );
    assert.match(String(at(plan.report.outputs, "standbyIngressAddress")), /^198\.51\.100\.\d+$/);
    assert.deepEqual(
      plan
        .ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool")
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => [p.name, at(p.inputs, "origins", 0, "address")]),
      [
        ["edge-pool-api-aws", at(plan.report.outputs, "ingressAddress")],
        ["edge-pool-api-gcp", at(plan.report.outputs, "standbyIngressAddress")],
        ["edge-pool-app-aws", at(plan.report.outputs, "ingressAddress")],
        ["edge-pool-app-gcp", at(plan.report.outputs, "standbyIngressAddress")],
      ],
    );
    // Two load-balanced hosts, app and api: each with its AWS pool and its GCP pool.
    const failover = String(at(plan.report.outputs, "failoverTime"));
    const seconds = Number(/= (\d+) s$/.exec(failover)?.[1]);
    assert.equal(seconds, 165);
    assert.ok(seconds < 300);
  });

  it("replicates PostgreSQL continuously to the GCP standby over an HA VPN, alerting past 15 s of lag: RPO 135 s, under the seed's 300 s", () => {
    const all = (type: string) => plan.report.resources.filter((r) => r.type === type);
    const job = all("gcp:databasemigrationservice/migrationJob:MigrationJob");
    assert.deepEqual(
      job.map((j) => [j.name, at(j.inputs, "type"), at(j.inputs, "desiredState")]),
      [["standby-replication-job", "CONTINUOUS", "NOT_STARTED"]],
    );
    assert.equal(all("gcp:compute/vPNTunnel:VPNTunnel").length, 4);
    assert.equal(all("gcp:compute/routerPeer:RouterPeer").length, 4);
    const params = plan.inputs("aws:rds/parameterGroup:ParameterGroup", "database-params");
    assert.deepEqual(at(params, "parameters", 1), {
      name: "rds.logical_replication",
      value: "1",
      applyMethod: "pending-reboot",
    });
    assert.deepEqual(at(plan.report.outputs, "recovery", "rpo"), {
      seconds: 135,
      targetSeconds: 300,
      database: {
        seconds: 135,
        parts: { replicationLagAlertSeconds: 15, alertDurationSeconds: 60, alignmentSeconds: 60 },
      },
      objects: {
        seconds: 3600,
        parts: { transferIntervalSeconds: 3600 },
        buckets: ["uploads", "backups"],
      },
      notCopied: ["cache: Redis starts empty on the standby"],
    });
  });

  it("copies both buckets to the standby with Storage Transfer, reading through a role that may decrypt them", () => {
    const jobs = plan.report.resources.filter(
      (r) => r.type === "gcp:storage/transferJob:TransferJob",
    );
    assert.deepEqual(jobs.map((j) => j.name).sort(), [
      "standby-backups-transfer",
      "standby-uploads-transfer",
    ]);
    for (const role of ["uploads", "backups"]) {
      const policy = plan.report.resources.find(
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `standby-${role}-reader`,
      );
      const statements = JSON.parse(String(at(policy?.inputs, "policy"))) as {
        Statement: { Action: string[] }[];
      };
      assert.deepEqual(statements.Statement[2]!.Action, ["kms:Decrypt"]);
    }
  });

  it("keeps PostgreSQL 15 private, encrypted, TLS-only and highly available", () => {
    const db = plan.inputs("aws:rds/instance:Instance", "database-instance");
    assert.deepEqual(
      [
        at(db, "engineVersion"),
        at(db, "publiclyAccessible"),
        at(db, "storageEncrypted"),
        at(db, "multiAz"),
      ],
      ["15", false, true, true],
    );
    const params = plan.inputs("aws:rds/parameterGroup:ParameterGroup", "database-params");
    assert.deepEqual(at(params, "parameters", 0), {
      applyMethod: "pending-reboot",
      name: "rds.force_ssl",
      value: "1",
    });
  });

  it("builds a 3-node Redis group with failover, encrypted at rest and in transit", () => {
    const group = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.deepEqual(
      [
        at(group, "numCacheClusters"),
        at(group, "automaticFailoverEnabled"),
        at(group, "atRestEncryptionEnabled"),
        at(group, "transitEncryptionEnabled"),
      ],
      [3, true, true, true],
    );
  });

  it("replicates encrypted object storage from us-east-1 to eu-west-1", () => {
    const replications = plan.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    assert.equal(replications.length, 2);
    for (const r of replications) {
      assert.match(
        String(
          at(r.inputs, "rules", 0, "destination", "encryptionConfiguration", "replicaKmsKeyId"),
        ),
        /^arn:aws:kms:eu-west-1:/,
      );
    }
  });

  it("builds an encrypted queue with a dead-letter queue for the workers", () => {
    const queue = plan.inputs("aws:sqs/queue:Queue", "notifications-queue");
    assert.ok(at(queue, "kmsMasterKeyId"));
    assert.ok(at(queue, "redrivePolicy"));
  });

  it("keeps the database credentials in Secrets Manager and hands the connection strings to pods only as a Kubernetes Secret", () => {
    const manager = plan.inputs("aws:secretsmanager/secret:Secret", "database-credentials");
    assert.match(String(at(manager, "kmsKeyId")), /^arn:aws:kms:us-east-1:/);
    assert.equal(
      at(
        plan.inputs(
          "aws:secretsmanager/secretVersion:SecretVersion",
          "database-credentials-version",
        ),
        "secretString",
      ),
      "[secret]",
    );
    const connections = plan.inputs("kubernetes:core/v1:Secret", "workloads-connections");
    assert.equal(at(connections, "metadata", "namespace"), "travelsense");
    assert.equal(at(connections, "stringData"), "[secret]");
    const env = at(
      plan.inputs(deployment, "workloads-trip-deployment"),
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "env",
    ) as { name: string; value?: string }[];
    for (const name of ["DATABASE_URL", "REDIS_URL"]) {
      const entry = env.find((e) => e.name === name);
      assert.ok(entry && entry.value === undefined, name);
      assert.equal(at(entry, "valueFrom", "secretKeyRef", "name"), "connections", name);
    }
  });

  it("keeps the cluster's API private, its secrets encrypted and its audit log on", () => {
    const cluster = plan.inputs("aws:eks/cluster:Cluster", "cluster-eks");
    assert.equal(at(cluster, "vpcConfig", "endpointPublicAccess"), false);
    assert.deepEqual(at(cluster, "encryptionConfig", "resources"), ["secrets"]);
    assert.ok((at(cluster, "enabledClusterLogTypes") as string[]).includes("audit"));
  });
});
