import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlanCli } from "../support/run";

interface PlanResource {
  type: string;
  name: string;
  parent: string;
  inputs: Record<string, unknown>;
}

interface PlanJson {
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  violations: unknown[];
  degraded: unknown[];
}

function plan(stack: string, preview = false): PlanJson {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), `${stack}.json`);
  const run = runPlanCli([
    "--stack",
    stack,
    "--quiet",
    "--json",
    json,
    ...(preview ? ["--preview"] : []),
  ]);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  return JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
}

const observabilityUrn = /::platform:index:Observability::observability$/;

function observabilityChildren(p: PlanJson, type: string): PlanResource[] {
  return p.resources.filter((r) => r.type === type && observabilityUrn.test(r.parent));
}

function named(p: PlanJson, name: string): PlanResource {
  const found = p.resources.filter((r) => r.name === name);
  assert.equal(found.length, 1, `one resource named ${name}`);
  return found[0]!;
}

function alarms(p: PlanJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    observabilityChildren(p, "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => [
      r.name,
      r.inputs.dimensions as Record<string, unknown>,
    ]),
  );
}

const releases = [
  "observability-logging",
  "observability-prometheus-stack",
  "observability-tracing",
  "observability-velero",
];

describe("Observability in the staging and prod stacks", function () {
  this.timeout(360_000);
  let staging: PlanJson;
  let prod: PlanJson;
  before(() => {
    staging = plan("staging");
    prod = plan("prod");
  });

  it("installs the observability releases on aws, policy-clean", () => {
    for (const p of [staging, prod]) {
      assert.deepEqual(
        observabilityChildren(p, "kubernetes:helm.sh/v3:Release")
          .map((r) => r.name)
          .sort(),
        releases,
      );
      assert.deepEqual(p.violations, []);
    }
  });

  it("builds one IAM role with one inline policy for Fluent Bit and for Velero", () => {
    for (const p of [staging, prod]) {
      assert.deepEqual(
        observabilityChildren(p, "aws:iam/role:Role")
          .map((r) => r.name)
          .sort(),
        ["observability-logging-role", "observability-velero-role"],
      );
      assert.deepEqual(
        observabilityChildren(p, "aws:iam/rolePolicy:RolePolicy")
          .map((r) => r.name)
          .sort(),
        ["observability-logging-policy", "observability-velero-policy"],
      );
    }
  });

  it("trusts each role to the cluster's OIDC provider and one service account", () => {
    const provider = String(prod.outputs.oidcProviderArn);
    const issuer = provider.replace(/^arn:aws:iam::\d+:oidc-provider\//, "");
    for (const [role, subject] of [
      ["observability-logging-role", "system:serviceaccount:kube-system:fluent-bit"],
      ["observability-velero-role", "system:serviceaccount:monitoring:velero"],
    ] as const) {
      const trust = JSON.parse(String(named(prod, role).inputs.assumeRolePolicy)) as {
        Statement: { Principal: unknown; Condition: unknown }[];
      };
      assert.equal(trust.Statement.length, 1);
      assert.deepEqual(trust.Statement[0]!.Principal, { Federated: provider });
      assert.deepEqual(trust.Statement[0]!.Condition, {
        StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" },
      });
    }
  });

  it("backs up to k8s-backups/ of the object store's backups bucket", () => {
    const bucket = (prod.outputs.bucketNames as Record<string, string>).backups;
    assert.equal(prod.outputs.backupsDestination, `s3://${bucket}/k8s-backups`);
    const policy = JSON.parse(String(named(prod, "observability-velero-policy").inputs.policy)) as {
      Statement: { Sid: string; Resource: string[] }[];
    };
    const write = policy.Statement.find((s) => s.Sid === "ReadWriteOwnPrefix");
    assert.deepEqual(write?.Resource, [`arn:aws:s3:::${bucket}/k8s-backups/*`]);
  });

  it("alarms on the RDS instance and each ElastiCache member cluster in staging", () => {
    const cache = (n: number) => ({
      CacheClusterId: `${String(staging.outputs.cacheHost).split(".")[1]}-00${n}`,
    });
    const db = { DBInstanceIdentifier: "platform-staging-database" };
    assert.deepEqual(alarms(staging), {
      "observability-rds-0-cpu": db,
      "observability-rds-0-free-storage": db,
      "observability-cache-0-cpu": cache(1),
      "observability-cache-0-evictions": cache(1),
      "observability-cache-0-memory": cache(1),
      "observability-cache-1-cpu": cache(2),
      "observability-cache-1-evictions": cache(2),
      "observability-cache-1-memory": cache(2),
    });
  });

  it("alarms on replica lag of the prod read replica and on all three cache nodes", () => {
    const got = alarms(prod);
    // Plus the AWS Backup vault's two: tests/components/observability-backup-alarms.test.ts.
    assert.equal(Object.keys(got).length, 2 + 1 + 3 * 3 + 2);
    assert.deepEqual(got["observability-backup-0-missing"], {
      BackupVaultName: "platform-prod-backups",
    });
    assert.deepEqual(got["observability-rds-replica-0-replica-lag"], {
      DBInstanceIdentifier: "platform-prod-database-replica",
    });
    assert.deepEqual(got["observability-rds-0-cpu"], {
      DBInstanceIdentifier: "platform-prod-database",
    });
    assert.match(
      String((got["observability-cache-2-memory"] as { CacheClusterId: string }).CacheClusterId),
      /^cache-redis-[0-9a-f]+-003$/,
    );
  });

  it("reports Grafana, Alertmanager, logs and backups as stack outputs", () => {
    assert.equal(prod.outputs.grafanaUrl, "http://grafana.monitoring.svc.cluster.local");
    assert.equal(
      prod.outputs.alertmanagerUrl,
      "http://kps-alertmanager.monitoring.svc.cluster.local:9093",
    );
    assert.match(
      String(prod.outputs.logsDestination),
      /^cloudwatch:arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:\/platform\/platform-prod\/containers$/,
    );
  });

  it("degrades no mandatory verdict in a first preview of prod", () => {
    const preview = plan("prod", true);
    assert.deepEqual(preview.degraded, []);
    assert.deepEqual(preview.violations, []);
  });
});
