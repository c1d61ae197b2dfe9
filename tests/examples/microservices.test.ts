import { strict as assert } from "node:assert";
import { parseQuantity } from "../../components/workloads/quantity";
import { at, planExample, type PlannedExample } from "./plan";

const deployment = "kubernetes:apps/v1:Deployment";
const hpa = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const services = [
  "api-gateway",
  "auth-service",
  "user-service",
  "task-service",
  "notification-service",
];

const container = (plan: PlannedExample, service: string) =>
  at(
    plan.inputs(deployment, `workloads-${service}-deployment`),
    "spec",
    "template",
    "spec",
    "containers",
    0,
  );

describe("Seed 001, the microservices platform (examples/microservices, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("microservices", "prod");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("shows in its README the diagram the plan draws", () => {
    assert.equal(plan.readmeDiagram(), plan.diagram());
  });

  it("sizes the namespace quota for every service rolling out at its HPA maximum, surge pod included: pods, CPU requests and memory limits", () => {
    const cores = (q: string) => (q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const atMaximum = services.map((service) => {
      const rolling = plan.inputs(deployment, `workloads-${service}-deployment`);
      const surge = at(rolling, "spec", "strategy", "rollingUpdate", "maxSurge");
      const pods = Number(at(plan.inputs(hpa, `workloads-${service}-hpa`), "spec", "maxReplicas"));
      const cpu = cores(String(at(container(plan, service), "resources", "requests", "cpu")));
      const memory = parseQuantity(
        String(at(container(plan, service), "resources", "limits", "memory")),
      );
      const running = pods + Number(surge);
      return { pods: running, cpu: running * cpu, memory: running * memory };
    });
    const hard = at(
      plan.inputs("kubernetes:core/v1:ResourceQuota", "workloads-production-quota"),
      "spec",
      "hard",
    );
    const pods = atMaximum.reduce((a, s) => a + s.pods, 0);
    const cpu = atMaximum.reduce((a, s) => a + s.cpu, 0);
    assert.ok(pods <= Number(at(hard, "pods")), `${pods} pods`);
    assert.ok(cpu <= cores(String(at(hard, "requests.cpu"))), `${cpu} CPU`);
    const memory = atMaximum.reduce((a, s) => a + s.memory, 0);
    const memoryQuota = parseQuantity(String(at(hard, "limits.memory")));
    assert.ok(memory <= memoryQuota, `${memory} bytes of memory limits, quota ${memoryQuota}`);
  });

  it("runs the monitoring stack and tracing on EKS", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    for (const chart of ["kube-prometheus-stack", "jaeger"])
      assert.ok(charts.includes(chart), chart);
  });

  it("backs the cluster up with Velero daily at 02:00, kept 72 hours", () => {
    const velero = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-velero");
    assert.equal(at(velero, "values", "schedules", "daily", "schedule"), "0 2 * * *");
    assert.equal(at(velero, "values", "schedules", "daily", "template", "ttl"), "72h0m0s");
  });

  it("runs the gateway, auth, user, task and notification services in the production namespace", () => {
    assert.deepEqual(
      plan
        .ofType(deployment)
        .map(
          (d) =>
            `${String(at(d.inputs, "metadata", "namespace"))}/${String(at(d.inputs, "metadata", "name"))}`,
        )
        .sort(),
      services.map((s) => `production/${s}`).sort(),
    );
  });

  it("keeps monitoring in its own namespace beside production", () => {
    assert.deepEqual(
      plan
        .ofType("kubernetes:core/v1:Namespace")
        .map((n) => at(n.inputs, "metadata", "name"))
        .filter((n) => n === "production" || n === "monitoring")
        .sort(),
      ["monitoring", "production"],
    );
  });

  it("runs 3 auth, 5 user, 4 task and 2 notification replicas", () => {
    const replicas = Object.fromEntries(
      services.map((s) => [
        s,
        at(plan.inputs(deployment, `workloads-${s}-deployment`), "spec", "replicas"),
      ]),
    );
    assert.deepEqual(replicas, {
      "api-gateway": 3,
      "auth-service": 3,
      "user-service": 5,
      "task-service": 4,
      "notification-service": 2,
    });
  });

  it("sizes gateway, auth and user services as the seed's resource table", () => {
    assert.deepEqual(at(container(plan, "api-gateway"), "resources"), {
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "500m", memory: "1Gi" },
    });
    assert.deepEqual(at(container(plan, "auth-service"), "resources"), {
      requests: { cpu: "200m", memory: "400Mi" },
      limits: { cpu: "400m", memory: "800Mi" },
    });
    assert.deepEqual(at(container(plan, "user-service"), "resources"), {
      requests: { cpu: "300m", memory: "600Mi" },
      limits: { cpu: "600m", memory: "1.2Gi" },
    });
  });

  it("gives the auth service liveness, readiness and startup probes on port 3001", () => {
    const auth = container(plan, "auth-service");
    assert.deepEqual(at(auth, "livenessProbe"), {
      httpGet: { path: "/health", port: 3001 },
      initialDelaySeconds: 30,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    assert.deepEqual(at(auth, "readinessProbe"), {
      httpGet: { path: "/ready", port: 3001 },
      initialDelaySeconds: 5,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    assert.deepEqual(at(auth, "startupProbe"), {
      httpGet: { path: "/health", port: 3001 },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 30,
    });
  });

  it("routes /api/v1/auth and /api/v1/users through the nginx class with letsencrypt-prod TLS at 100 rps", () => {
    for (const [service, path] of [
      ["auth-service", "/api/v1/auth"],
      ["user-service", "/api/v1/users"],
    ] as const) {
      const ingress = plan.inputs(
        "kubernetes:networking.k8s.io/v1:Ingress",
        `workloads-${service}-ingress`,
      );
      assert.equal(at(ingress, "spec", "ingressClassName"), "nginx");
      assert.equal(at(ingress, "spec", "rules", 0, "http", "paths", 0, "path"), path);
      assert.equal(
        at(ingress, "metadata", "annotations", "cert-manager.io/cluster-issuer"),
        "letsencrypt-prod",
      );
      assert.equal(
        at(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/limit-rps"),
        "100",
      );
      assert.deepEqual(at(ingress, "spec", "tls", 0, "hosts"), ["api.example.com"]);
    }
  });

  it("scales every service from 2 to 10 pods at 70 % CPU and 80 % memory with the seed's behaviour", () => {
    for (const service of services) {
      const spec = at(plan.inputs(hpa, `workloads-${service}-hpa`), "spec");
      assert.deepEqual(
        [
          at(spec, "minReplicas"),
          at(spec, "maxReplicas"),
          at(spec, "metrics", 0, "resource", "target", "averageUtilization"),
          at(spec, "metrics", 1, "resource", "target", "averageUtilization"),
        ],
        [2, 10, 70, 80],
        service,
      );
      assert.deepEqual(at(spec, "behavior"), {
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
        },
        scaleUp: {
          stabilizationWindowSeconds: 60,
          policies: [
            { type: "Percent", value: 100, periodSeconds: 60 },
            { type: "Pods", value: 2, periodSeconds: 60 },
          ],
        },
      });
    }
  });

  it("scales the auth service on the Pods metric requests_per_second at an average of 100, after CPU and memory", () => {
    const spec = at(plan.inputs(hpa, "workloads-auth-service-hpa"), "spec");
    assert.deepEqual(at(spec, "metrics"), [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
      },
      {
        type: "Resource",
        resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } },
      },
      {
        type: "Pods",
        pods: {
          metric: { name: "requests_per_second" },
          target: { type: "AverageValue", averageValue: "100" },
        },
      },
    ]);
  });

  it("scales the other services on CPU and memory alone, as the seed shows the Pods metric for auth only", () => {
    for (const service of services.filter((s) => s !== "auth-service")) {
      const metrics = at(plan.inputs(hpa, `workloads-${service}-hpa`), "spec", "metrics");
      assert.deepEqual(
        (metrics as { type: string }[]).map((m) => m.type),
        ["Resource", "Resource"],
        service,
      );
    }
  });

  it("serves requests_per_second through prometheus-adapter in the monitoring namespace", () => {
    const adapter = plan.inputs("kubernetes:helm.sh/v3:Release", "observability-custom-metrics");
    assert.deepEqual(
      [at(adapter, "chart"), at(adapter, "namespace")],
      ["prometheus-adapter", "monitoring"],
    );
    assert.deepEqual(at(adapter, "values", "rules", "custom", 0, "name"), {
      matches: "^http_requests_total$",
      as: "requests_per_second",
    });
  });

  it("runs production on 6 nodes", () => {
    const nodes = plan.inputs("aws:eks/nodeGroup:NodeGroup", "cluster-nodes");
    assert.deepEqual(at(nodes, "scalingConfig"), { minSize: 6, desiredSize: 6, maxSize: 12 });
  });

  it("builds an encrypted SNS topic feeding an SQS queue with a dead-letter queue", () => {
    assert.ok(at(plan.inputs("aws:sns/topic:Topic", "notifications-topic"), "kmsMasterKeyId"));
    const queue = plan.inputs("aws:sqs/queue:Queue", "notifications-queue");
    assert.ok(at(queue, "kmsMasterKeyId"));
    assert.match(String(at(queue, "redrivePolicy")), /"maxReceiveCount":5/);
    assert.equal(
      plan
        .ofType("aws:sns/topicSubscription:TopicSubscription")
        .filter((s) => s.name.startsWith("notifications-")).length,
      1,
    );
  });

  it("builds an OpenSearch domain for the task service", () => {
    assert.equal(plan.ofType("aws:opensearch/domain:Domain").length, 1);
  });

  it("backs PostgreSQL up every 6 hours kept 7 days, and daily snapshots kept 30 days, copied to us-east-1", () => {
    const rules = at(plan.inputs("aws:backup/plan:Plan", "backups-plan"), "rules") as unknown[];
    assert.deepEqual(
      rules.map((r) => [
        at(r, "ruleName"),
        at(r, "schedule"),
        at(r, "lifecycle", "deleteAfter"),
        at(r, "copyActions", 0, "destinationVaultArn"),
      ]),
      [
        [
          "every-6-hours",
          "cron(0 0/6 * * ? *)",
          7,
          "arn:aws:backup:us-east-1:123456789012:backup-vault:microservices-prod-backups-replica",
        ],
        [
          "daily-snapshot",
          "cron(0 2 * * ? *)",
          30,
          "arn:aws:backup:us-east-1:123456789012:backup-vault:microservices-prod-backups-replica",
        ],
      ],
    );
  });

  it("replicates the buckets from us-west-2 to us-east-1", () => {
    const replications = plan.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    assert.equal(replications.length, 2);
    for (const r of replications) {
      assert.match(
        String(
          at(r.inputs, "rules", 0, "destination", "encryptionConfiguration", "replicaKmsKeyId"),
        ),
        /^arn:aws:kms:us-east-1:/,
      );
    }
  });

  it("mounts the auth service's config.yaml read-only at /app/config from its auth-service-config ConfigMap", () => {
    const configMap = plan.inputs("kubernetes:core/v1:ConfigMap", "workloads-auth-service-config");
    assert.equal(at(configMap, "metadata", "name"), "auth-service-config");
    assert.equal(at(configMap, "metadata", "namespace"), "production");
    const file = String(at(configMap, "data", "config.yaml"));
    for (const line of ['jwt_expiry: "15m"', 'refresh_expiry: "7d"', "max_sessions: 5"])
      assert.ok(file.includes(line), line);
    const pod = at(
      plan.inputs(deployment, "workloads-auth-service-deployment"),
      "spec",
      "template",
    );
    assert.deepEqual(at(pod, "spec", "volumes", 1), {
      name: "config",
      configMap: { name: "auth-service-config" },
    });
    assert.deepEqual(at(container(plan, "auth-service"), "volumeMounts", 1), {
      name: "config",
      mountPath: "/app/config",
      readOnly: true,
    });
    // The pods wait for the ConfigMap they mount.
    const urn = plan
      .ofType("kubernetes:core/v1:ConfigMap")
      .find((c) => c.name === "workloads-auth-service-config")!.urn;
    const auth = plan
      .ofType(deployment)
      .find((d) => d.name === "workloads-auth-service-deployment")!;
    assert.ok(auth.dependencies.includes(urn));
  });

  it("gives the auth service DATABASE_URL, REDIS_URL and JWT_SECRET by secretKeyRef, the JWT key generated and kept secret", () => {
    const password = plan.inputs(
      "random:index/randomPassword:RandomPassword",
      "workloads-jwt-secret-secret",
    );
    assert.equal(at(password, "length"), 64);
    assert.equal(at(password, "special"), false);
    const secret = plan.inputs("kubernetes:core/v1:Secret", "workloads-jwt-secret");
    assert.equal(at(secret, "metadata", "name"), "jwt-secret");
    assert.equal(at(secret, "metadata", "namespace"), "production");
    // The plan prints a Pulumi secret as "[secret]": the value is never in plain text.
    assert.equal(at(secret, "stringData"), "[secret]");
    const env = at(container(plan, "auth-service"), "env") as { name: string }[];
    assert.deepEqual(
      env.filter((e) => ["DATABASE_URL", "JWT_SECRET", "REDIS_URL"].includes(e.name)),
      [
        {
          name: "DATABASE_URL",
          valueFrom: { secretKeyRef: { name: "connections", key: "database-url" } },
        },
        { name: "JWT_SECRET", valueFrom: { secretKeyRef: { name: "jwt-secret", key: "secret" } } },
        {
          name: "REDIS_URL",
          valueFrom: { secretKeyRef: { name: "connections", key: "redis-url" } },
        },
      ],
    );
    const secretUrn = plan
      .ofType("kubernetes:core/v1:Secret")
      .find((c) => c.name === "workloads-jwt-secret")!.urn;
    const auth = plan
      .ofType(deployment)
      .find((d) => d.name === "workloads-auth-service-deployment")!;
    assert.ok(auth.dependencies.includes(secretUrn));
  });

  it("gives the user, task and notification services a role each and what they use as env: S3, OpenSearch, SQS and SNS", () => {
    const roles = plan
      .ofType("aws:iam/role:Role")
      .map((r) => r.name)
      .filter((n) => n.startsWith("identity-"))
      .sort();
    assert.deepEqual(roles, [
      "identity-notification-service-role",
      "identity-task-service-role",
      "identity-user-service-role",
    ]);
    const envOf = (service: string) =>
      Object.keys(
        at(
          plan.inputs("kubernetes:core/v1:ConfigMap", `workloads-${service}-connection-data`),
          "data",
        ) as object,
      ).sort();
    assert.deepEqual(envOf("user-service"), [
      "AWS_REGION",
      "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
      "BUCKET_UPLOADS",
    ]);
    assert.deepEqual(envOf("task-service"), ["AWS_REGION", "SEARCH_URL"]);
    assert.deepEqual(envOf("notification-service"), ["AWS_REGION", "QUEUE_URL", "TOPIC_ARN"]);
  });

  it("rolls every service out with maxSurge 1 and maxUnavailable 1, as the seed's Deployment", () => {
    for (const service of services)
      assert.deepEqual(
        at(plan.inputs(deployment, `workloads-${service}-deployment`), "spec", "strategy"),
        { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
        service,
      );
  });
});

describe("Seed 001, the microservices platform (examples/microservices, staging)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("microservices", "staging");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("runs staging on 3 nodes", () => {
    const nodes = plan.inputs("aws:eks/nodeGroup:NodeGroup", "cluster-nodes");
    assert.deepEqual(at(nodes, "scalingConfig"), { minSize: 3, desiredSize: 3, maxSize: 6 });
  });

  it("runs the five services in the staging namespace", () => {
    assert.deepEqual(
      plan
        .ofType(deployment)
        .map(
          (d) =>
            `${String(at(d.inputs, "metadata", "namespace"))}/${String(at(d.inputs, "metadata", "name"))}`,
        )
        .sort(),
      services.map((s) => `staging/${s}`).sort(),
    );
  });
});

describe("Seed 001, the microservices platform (examples/microservices, testing)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("microservices", "testing");
  });

  it("plans with no mandatory policy violation", () => {
    assert.deepEqual(plan.mandatoryViolations(), []);
  });

  it("runs the testing environment on 1 node", () => {
    const nodes = plan.inputs("aws:eks/nodeGroup:NodeGroup", "cluster-nodes");
    assert.deepEqual(at(nodes, "scalingConfig"), { minSize: 1, desiredSize: 1, maxSize: 1 });
  });

  it("gives each of the five services 1 core and 512MB, one replica, in the testing namespace", () => {
    for (const s of services) {
      const spec = plan.inputs(deployment, `workloads-${s}-deployment`);
      assert.equal(at(spec, "metadata", "namespace"), "testing", s);
      assert.equal(at(spec, "spec", "replicas"), 1, s);
      assert.deepEqual(
        at(spec, "spec", "template", "spec", "containers", 0, "resources", "limits"),
        { cpu: "1", memory: "512Mi" },
        s,
      );
    }
  });

  it("uses small managed PostgreSQL and Redis", () => {
    assert.equal(
      at(plan.inputs("aws:rds/instance:Instance", "database-instance"), "instanceClass"),
      "db.t4g.small",
    );
    const redis = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.deepEqual(
      [at(redis, "nodeType"), at(redis, "numCacheClusters")],
      ["cache.t4g.small", 1],
    );
  });

  it("runs the full monitoring stack: Prometheus with Grafana and Alertmanager, Jaeger, logs and Velero", () => {
    const charts = plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => at(r.inputs, "chart"));
    for (const chart of ["kube-prometheus-stack", "jaeger", "fluent-bit", "velero"])
      assert.ok(charts.includes(chart), `${chart} in ${charts.join(", ")}`);
  });
});
