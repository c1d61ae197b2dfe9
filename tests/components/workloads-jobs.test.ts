import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  Workloads,
  quotaDefaults,
  containerLimitDefaults,
  type ScheduledJobSettings,
} from "../../components/workloads";
import { schemaProblems } from "../support/kubernetes-schema";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const scheduler: ScheduledJobSettings = {
  name: "scheduler",
  image: "travelsense/worker:2.0.0",
  schedule: "*/5 * * * *",
  timeZone: "Europe/Berlin",
  command: ["node", "dist/scheduler.js"],
  args: ["--due"],
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "250m", memory: "256Mi" },
  },
  env: { LOG_LEVEL: "info" },
  secretEnv: { DATABASE_URL: { secret: "connections", key: "database-url" } },
  concurrencyPolicy: "Forbid",
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 5,
  activeDeadlineSeconds: 240,
  backoffLimit: 1,
  startingDeadlineSeconds: 300,
  egress: [{ port: 5432, cidr: "10.30.0.0/16" }],
};

const namespace = {
  name: "travelsense",
  quota: quotaDefaults.prod,
  containerLimits: containerLimitDefaults.prod,
};

const labels = {
  "app.kubernetes.io/part-of": "platform-prod",
  "app.kubernetes.io/name": "scheduler",
  "app.kubernetes.io/component": "scheduled-job",
};

describe("Workloads with a scheduled job (no services)", () => {
  let recorded: Recorded;
  let cronJob: Obj;
  const pod = () => cronJob.spec.jobTemplate.spec.template.spec as Obj;

  before(async () => {
    recorded = useMocks({ stack: "prod" });
    new Workloads("workloads", {
      namespaces: [namespace],
      labels: { "app.kubernetes.io/part-of": "platform-prod" },
      target: "aws",
      jobs: [scheduler],
      connectionSecrets: { "database-url": pulumi.secret("postgresql://app:pw@db:5432/app") },
    });
    await settle();
    cronJob = recorded.inputs(
      recorded.one("kubernetes:batch/v1:CronJob", "workloads-scheduler-cronjob"),
    );
  });

  it("is a batch/v1 CronJob in the application namespace on the configured schedule", () => {
    assert.deepEqual(cronJob.metadata, { name: "scheduler", namespace: "travelsense", labels });
    assert.equal(cronJob.spec.schedule, "*/5 * * * *");
    assert.equal(cronJob.spec.timeZone, "Europe/Berlin");
  });

  it("never overlaps runs and keeps the configured history", () => {
    assert.deepEqual(
      [
        cronJob.spec.concurrencyPolicy,
        cronJob.spec.startingDeadlineSeconds,
        cronJob.spec.successfulJobsHistoryLimit,
        cronJob.spec.failedJobsHistoryLimit,
      ],
      ["Forbid", 300, 3, 5],
    );
  });

  it("stops a run after its deadline and retries a failed one once, without restarting in place", () => {
    assert.equal(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds, 240);
    assert.equal(cronJob.spec.jobTemplate.spec.backoffLimit, 1);
    assert.equal(pod().restartPolicy, "Never");
  });

  it("runs as user and group 1001 with RuntimeDefault seccomp and no service-account token", () => {
    assert.equal(pod().automountServiceAccountToken, false);
    assert.deepEqual(pod().securityContext, {
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 1001,
      fsGroup: 1001,
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("runs its pinned image with its command, env by reference, requests and limits, read-only root and /tmp", () => {
    assert.deepEqual(pod().containers, [
      {
        name: "scheduler",
        image: "travelsense/worker:2.0.0",
        command: ["node", "dist/scheduler.js"],
        args: ["--due"],
        env: [
          { name: "LOG_LEVEL", value: "info" },
          {
            name: "DATABASE_URL",
            valueFrom: { secretKeyRef: { name: "connections", key: "database-url" } },
          },
        ],
        resources: {
          requests: { cpu: "100m", memory: "128Mi" },
          limits: { cpu: "250m", memory: "256Mi" },
        },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 1001,
          runAsGroup: 1001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ]);
    assert.deepEqual(pod().volumes, [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
  });

  it("lets its pods out to DNS and their declared egress only, and nothing in", () => {
    const policy = recorded.inputs(
      recorded.one(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "workloads-scheduler-network-policy",
      ),
    ) as Obj;
    assert.deepEqual(policy.spec.podSelector, {
      matchLabels: {
        "app.kubernetes.io/name": "scheduler",
        "app.kubernetes.io/component": "scheduled-job",
      },
    });
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec.ingress, []);
    assert.deepEqual(
      policy.spec.egress.map((rule: Obj) => [rule.to, rule.ports.map((p: Obj) => p.port)]),
      [
        [
          [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          [53, 53],
        ],
        [[{ ipBlock: { cidr: "10.30.0.0/16" } }], [5432]],
      ],
    );
  });

  it("denies all other traffic in the namespace even without services", () => {
    assert.equal(
      recorded.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").length,
      2,
      "default-deny and the job's own",
    );
    recorded.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "workloads-default-deny");
  });

  it("validates against the upstream batch/v1 CronJob schema", () => {
    assert.deepEqual(
      schemaProblems("kubernetes:batch/v1:CronJob", {
        apiVersion: "batch/v1",
        kind: "CronJob",
        ...cronJob,
      }),
      [],
    );
  });

  it("refuses a job reading a connection that was not passed", () => {
    assert.throws(
      () =>
        new Workloads("refused", {
          namespaces: [namespace],
          labels: {},
          target: "aws",
          jobs: [
            { ...scheduler, secretEnv: { QUEUE: { secret: "connections", key: "queue-url" } } },
          ],
          connectionSecrets: {},
        }),
      /job scheduler: QUEUE reads "queue-url" from the connections Secret, which holds only: nothing/,
    );
  });
});
