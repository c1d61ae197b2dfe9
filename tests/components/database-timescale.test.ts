import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import {
  Database,
  databaseDefaults,
  type DatabaseArgs,
  type KubernetesDatabasePlacement,
} from "../../components/database";
import { backupPolicy } from "../../components/database/timescale-aws";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { assertOnlyInSecrets, awsPlacement, tags } from "./support";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const clusterCr = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const release = "kubernetes:helm.sh/v3:Release";
const issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const oidcArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;
const bucket = "platform-prod-objects-backups";
const keyArn = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-0000-4000-8000-000000000001";

interface Built {
  readonly recorded: Recorded;
  readonly database: Database;
  readonly storageClass: k8s.storage.v1.StorageClass;
  readonly certManager: k8s.helm.v3.Release;
}

/** A Database with the timescaledb engine on an EKS-like placement, as compose builds it. */
async function build(tier: "staging" | "prod"): Promise<Built> {
  const recorded = useMocks({ stack: tier });
  const provider = new k8s.Provider("eks", { kubeconfig: "{}" });
  const storageClass = new k8s.storage.v1.StorageClass(
    "gp3-encrypted",
    {
      metadata: { name: "gp3-encrypted" },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
    },
    { provider },
  );
  const certManager = new k8s.helm.v3.Release(
    "ingress-cert-manager",
    { chart: "cert-manager", version: "v1.21.1" },
    { provider },
  );
  const placement: KubernetesDatabasePlacement = {
    target: "kubernetes",
    provider,
    namespace: "corporate-intel-database",
    clientNamespaces: ["corporate-intel"],
    storageClassName: storageClass.metadata.name,
    oidcProviderArn: oidcArn,
    oidcIssuer: issuer,
    region: "us-east-1",
    backupBucket: bucket,
    backupKeyArn: keyArn,
    dependsOn: [certManager],
    monitoringNamespace: "monitoring",
    labels: { "app.kubernetes.io/part-of": "platform" },
  };
  const args: DatabaseArgs = {
    ...databaseDefaults[tier],
    engine: "timescaledb",
    backupWindow: "02:00-03:00",
    extensions: ["pg_stat_statements"],
    databaseName: "corporate_intel",
    username: "intel",
    tier,
    placement,
    tags,
  };
  const database = new Database("database", args, { providers: { kubernetes: provider } });
  await settle();
  return { recorded, database, storageClass, certManager };
}

describe("Database with the timescaledb engine on EKS in prod", () => {
  let built: Built;
  let recorded: Recorded;
  before(async () => {
    built = await build("prod");
    recorded = built.recorded;
  });
  const cluster = (): Obj => recorded.inputs(recorded.one(clusterCr, "database-cluster"));
  const spec = (): Obj => cluster().spec as Obj;
  const urnOf = (type: string, name: string) => recorded.one(type, name).urn;
  const waits = (type: string, name: string): string[] => {
    const r = recorded.one(type, name);
    return [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
  };

  it("runs PostgreSQL 15 with TimescaleDB from the pinned CloudNativePG operand image, preloaded and created in the application database", () => {
    assert.equal(spec().imageName, "ghcr.io/clevyr/cloudnativepg-timescale:15.13-22-ts2.19.3");
    assert.deepEqual(spec().postgresql.shared_preload_libraries, ["timescaledb"]);
    assert.deepEqual(spec().bootstrap.initdb, {
      database: "corporate_intel",
      owner: "intel",
      secret: { name: "database-app-credentials" },
      postInitApplicationSQL: [
        "CREATE EXTENSION IF NOT EXISTS timescaledb",
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
      ],
    });
    assert.equal(spec().enableSuperuserAccess, false);
  });

  it("sets seed 003's PostgreSQL tuning as server parameters", () => {
    const p = spec().postgresql.parameters as Obj;
    assert.deepEqual(
      {
        max_connections: p.max_connections,
        shared_buffers: p.shared_buffers,
        effective_cache_size: p.effective_cache_size,
        work_mem: p.work_mem,
        maintenance_work_mem: p.maintenance_work_mem,
        random_page_cost: p.random_page_cost,
        wal_buffers: p.wal_buffers,
        checkpoint_completion_target: p.checkpoint_completion_target,
      },
      {
        max_connections: "200",
        shared_buffers: "2GB",
        effective_cache_size: "6GB",
        work_mem: "16MB",
        maintenance_work_mem: "512MB",
        random_page_cost: "1.1",
        wal_buffers: "16MB",
        checkpoint_completion_target: "0.9",
      },
    );
    assert.equal(p["pg_stat_statements.max"], "10000");
    assert.equal(p["timescaledb.telemetry_level"], "off");
  });

  it("runs a primary, a standby and an analytics reader spread over zones, each with the seed's 2 cores and 4 GiB", () => {
    assert.equal(spec().instances, 3);
    assert.deepEqual(spec().resources, {
      requests: { cpu: "2", memory: "4Gi" },
      limits: { cpu: "2", memory: "4Gi" },
    });
    assert.deepEqual(spec().affinity, {
      enablePodAntiAffinity: true,
      topologyKey: "topology.kubernetes.io/zone",
      podAntiAffinityType: "preferred",
    });
  });

  it("claims its volumes on the cluster's encrypted StorageClass and waits for that StorageClass", async () => {
    assert.deepEqual(spec().storage, {
      storageClass: "gp3-encrypted",
      size: "100Gi",
      resizeInUseVolumes: true,
    });
    assert.equal((await resolve(built.storageClass.parameters)).value?.encrypted, "true");
    assert.ok(
      waits(clusterCr, "database-cluster").includes(
        urnOf("kubernetes:storage.k8s.io/v1:StorageClass", "gp3-encrypted"),
      ),
    );
  });

  it("installs the CloudNativePG operator chart 0.29.0 (operator 1.30.0) with its CRDs in cnpg-system", () => {
    const operator = recorded.inputs(recorded.one(release, "database-operator")) as Obj;
    assert.equal(operator.chart, "cloudnative-pg");
    assert.equal(operator.version, "0.29.0");
    assert.deepEqual(operator.repositoryOpts, { repo: "https://cloudnative-pg.github.io/charts" });
    assert.equal(operator.namespace, "cnpg-system");
    assert.deepEqual(operator.values.image, {
      repository: "ghcr.io/cloudnative-pg/cloudnative-pg",
      tag: "1.30.0",
    });
    assert.deepEqual(operator.values.crds, { create: true });
    assert.equal(operator.atomic, true);
  });

  it("installs the Barman Cloud plugin chart 0.7.0 beside the operator, after the operator and cert-manager", () => {
    const plugin = recorded.inputs(recorded.one(release, "database-barman-cloud")) as Obj;
    assert.equal(plugin.chart, "plugin-barman-cloud");
    assert.equal(plugin.version, "0.7.0");
    assert.equal(plugin.namespace, "cnpg-system");
    assert.deepEqual(plugin.values.image, { tag: "v0.13.0" });
    const deps = waits(release, "database-barman-cloud");
    assert.ok(deps.includes(urnOf(release, "database-operator")), "waits for the operator");
    assert.ok(deps.includes(urnOf(release, "ingress-cert-manager")), "waits for cert-manager");
  });

  it("creates the Cluster after the operator's CRDs, the plugin, its ObjectStore, its credentials and its role's policy", () => {
    const deps = waits(clusterCr, "database-cluster");
    for (const [type, name] of [
      [release, "database-operator"],
      [release, "database-barman-cloud"],
      ["kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "database-object-store"],
      ["kubernetes:core/v1:Secret", "database-credentials"],
      ["aws:iam/rolePolicy:RolePolicy", "database-backup-policy"],
      ["kubernetes:core/v1:Namespace", "database-ns"],
    ] as const) {
      assert.ok(deps.includes(urnOf(type, name)), `the Cluster does not wait for ${name}`);
    }
    assert.ok(
      waits("kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "database-object-store").includes(
        urnOf(release, "database-barman-cloud"),
      ),
      "the ObjectStore does not wait for the plugin's CRD",
    );
  });

  it("archives WAL through the Barman Cloud plugin to the backups bucket, with 7 days of point-in-time recovery", () => {
    assert.deepEqual(spec().plugins, [
      {
        name: "barman-cloud.cloudnative-pg.io",
        isWALArchiver: true,
        parameters: { barmanObjectName: "database-backups" },
      },
    ]);
    const store = recorded.inputs(
      recorded.one("kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "database-object-store"),
    ) as Obj;
    assert.equal(store.spec.retentionPolicy, "7d");
    assert.deepEqual(store.spec.configuration, {
      destinationPath: `s3://${bucket}/postgres`,
      endpointURL: "https://s3.us-east-1.amazonaws.com",
      s3Credentials: { inheritFromIAMRole: true },
      wal: { compression: "gzip", maxParallel: 2 },
      data: { compression: "gzip" },
    });
  });

  it("takes a base backup every day at 02:00 UTC, the start of its backup window", () => {
    const backup = recorded.inputs(
      recorded.one("kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "database-daily-backup"),
    ) as Obj;
    assert.deepEqual(backup.spec, {
      schedule: "0 0 2 * * *",
      immediate: true,
      backupOwnerReference: "self",
      cluster: { name: "database" },
      method: "plugin",
      pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
    });
  });

  it("writes backups under an IAM role only the instances' service account may assume (IRSA), never static keys", () => {
    const role = recorded.inputs(recorded.one("aws:iam/role:Role", "database-backup-role"));
    assert.deepEqual(JSON.parse(role.assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: oidcArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: "system:serviceaccount:corporate-intel-database:database",
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    const roleArn = recorded.one("aws:iam/role:Role", "database-backup-role").outputs.arn;
    assert.deepEqual(spec().serviceAccountTemplate, {
      metadata: { annotations: { "eks.amazonaws.com/role-arn": roleArn } },
    });
    assert.equal(JSON.stringify(recorded.all.map((r) => r.inputs)).includes("accessKeyId"), false);
  });

  it("allows that role the postgres/ prefix of the backups bucket and the bucket's KMS key through S3 only", () => {
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "database-backup-policy"),
    );
    assert.deepEqual(
      JSON.parse(policy.policy as string),
      backupPolicy({ bucket, keyArn, region: "us-east-1" }),
    );
    const statements = (JSON.parse(policy.policy as string) as Obj).Statement as Obj[];
    assert.deepEqual(
      statements.map((s) => [s.Sid, s.Resource]),
      [
        ["FindBucket", [`arn:aws:s3:::${bucket}`]],
        ["ReadWriteOwnPrefix", [`arn:aws:s3:::${bucket}/postgres/*`]],
        ["UseBucketKeyThroughS3", [keyArn]],
      ],
    );
    assert.deepEqual(statements[2]!.Condition, {
      StringEquals: {
        "kms:ViaService": "s3.us-east-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${bucket}`,
      },
    });
  });

  it("admits the application's namespace on 5432, the operator on 8000, the instances to each other and the monitoring namespace on 9187, nothing else", () => {
    const order = ["default-deny", "clients", "operator", "instances", "metrics"].map(
      (r) => `database-${r}`,
    );
    const policies = recorded
      .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((p) => recorded.inputs(p) as Obj);
    assert.deepEqual(
      policies
        .map((p) => [p.metadata.namespace, p.metadata.name, p.spec] as const)
        .sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1])),
      [
        [
          "corporate-intel-database",
          "database-default-deny",
          { podSelector: {}, policyTypes: ["Ingress"] },
        ],
        [
          "corporate-intel-database",
          "database-clients",
          {
            podSelector: { matchLabels: { "cnpg.io/cluster": "database" } },
            policyTypes: ["Ingress"],
            ingress: [
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
            ],
          },
        ],
        [
          "corporate-intel-database",
          "database-operator",
          {
            podSelector: { matchLabels: { "cnpg.io/cluster": "database" } },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" },
                    },
                    podSelector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } },
                  },
                ],
                ports: [{ protocol: "TCP", port: 8000 }],
              },
            ],
          },
        ],
        [
          "corporate-intel-database",
          "database-instances",
          {
            podSelector: { matchLabels: { "cnpg.io/cluster": "database" } },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: { "cnpg.io/cluster": "database" } } }],
                ports: [
                  { protocol: "TCP", port: 5432 },
                  { protocol: "TCP", port: 8000 },
                ],
              },
            ],
          },
        ],
        [
          "corporate-intel-database",
          "database-metrics",
          {
            podSelector: { matchLabels: { "cnpg.io/cluster": "database" } },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchLabels: { "kubernetes.io/metadata.name": "monitoring" },
                    },
                  },
                ],
                ports: [{ protocol: "TCP", port: 9187 }],
              },
            ],
          },
        ],
      ],
    );
  });

  it("gives both namespaces it creates the restricted profile, a ResourceQuota and a LimitRange", () => {
    for (const ns of ["database-ns", "database-operator-ns"]) {
      const namespace = recorded.inputs(recorded.one("kubernetes:core/v1:Namespace", ns)) as Obj;
      assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      recorded.one("kubernetes:core/v1:ResourceQuota", `${ns}-quota`);
      recorded.one("kubernetes:core/v1:LimitRange", `${ns}-limits`);
    }
    const quota = recorded.inputs(
      recorded.one("kubernetes:core/v1:ResourceQuota", "database-ns-quota"),
    ) as Obj;
    // Three instances and one bootstrap or join job, each PostgreSQL and its backup sidecar.
    assert.deepEqual(quota.spec.hard, {
      "requests.cpu": "9000m",
      "requests.memory": "17408Mi",
      "limits.cpu": "9000m",
      "limits.memory": "17408Mi",
      pods: "4",
      persistentvolumeclaims: "4",
    });
  });

  it("refuses clients without TLS and hands the services an sslmode=require URL of the read-write Service", async () => {
    assert.deepEqual(spec().postgresql.pg_hba, ["hostnossl all all all reject"]);
    const url = await resolve(built.database.connectionString);
    assert.equal(url.secret, true);
    assert.match(
      url.value,
      /^postgresql:\/\/intel:[A-Za-z0-9]{32}@database-rw\.corporate-intel-database\.svc\.cluster\.local:5432\/corporate_intel\?sslmode=require$/,
    );
  });

  it("returns the contract's outputs: endpoint, port, reader, and a secret password", async () => {
    assert.equal(
      (await resolve(built.database.host)).value,
      "database-rw.corporate-intel-database.svc.cluster.local",
    );
    assert.equal((await resolve(built.database.port)).value, 5432);
    assert.equal(
      (await resolve(built.database.readerHost!)).value,
      "database-ro.corporate-intel-database.svc.cluster.local",
    );
    assert.equal((await resolve(built.database.password)).secret, true);
    assert.equal(
      (await resolve(built.database.resourceId)).value,
      "corporate-intel-database/database",
    );
    assert.equal(built.database.engine, "timescaledb");
  });

  it("serves the instances' metrics through a Service the monitoring stack's ServiceMonitor selects", () => {
    const service = recorded.inputs(
      recorded.one("kubernetes:core/v1:Service", "database-metrics"),
    ) as Obj;
    assert.equal(service.metadata.namespace, "corporate-intel-database");
    assert.deepEqual(service.spec, {
      selector: { "cnpg.io/cluster": "database", "cnpg.io/podRole": "instance" },
      ports: [{ name: "metrics", port: 9187, targetPort: 9187, protocol: "TCP" }],
    });
    assert.deepEqual(built.database.metricsTargets, [
      {
        name: "database-metrics",
        namespace: "corporate-intel-database",
        port: "metrics",
        path: "/metrics",
        selector: { "app.kubernetes.io/name": "database-metrics" },
      },
    ]);
    assert.equal(service.metadata.labels["app.kubernetes.io/name"], "database-metrics");
  });

  it("keeps the generated password a secret wherever it is recorded", async () => {
    assertOnlyInSecrets(recorded.all, (await resolve(built.database.password)).value);
  });

  it("protects the namespace, the Cluster, its ObjectStore and its credentials in prod", () => {
    assert.deepEqual(
      recorded.all.filter((r) => r.protect).map((r) => r.name),
      ["database-ns", "database-credentials", "database-object-store", "database-cluster"],
    );
  });

  it("keeps the database's namespace on delete in prod, so neither the Cluster nor its PVCs go with it", () => {
    const ns = recorded.one("kubernetes:core/v1:Namespace", "database-ns");
    assert.deepEqual([ns.protect, ns.retainOnDelete], [true, true]);
  });
});

describe("Database with the timescaledb engine on EKS in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = (await build("staging")).recorded;
  });

  it("backs up in staging too: WAL archived and a daily base backup, 7 days of recovery", () => {
    const store = recorded.inputs(
      recorded.one("kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "database-object-store"),
    ) as Obj;
    assert.equal(store.spec.retentionPolicy, "7d");
    const cluster = recorded.inputs(recorded.one(clusterCr, "database-cluster")) as Obj;
    assert.equal(cluster.spec.plugins[0].isWALArchiver, true);
    recorded.one("kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "database-daily-backup");
  });

  it("runs one instance and protects nothing, as staging's managed database does", () => {
    const cluster = recorded.inputs(recorded.one(clusterCr, "database-cluster")) as Obj;
    assert.equal(cluster.spec.instances, 1);
    assert.deepEqual(
      recorded.all.filter((r) => r.protect).map((r) => r.name),
      [],
    );
  });
});

describe("Database engines and placements", () => {
  it("refuses the timescaledb engine on a managed placement", () => {
    useMocks();
    assert.throws(
      () =>
        new Database("database", {
          ...databaseDefaults.prod,
          engine: "timescaledb",
          tier: "prod",
          placement: awsPlacement(),
          tags,
        }),
      {
        name: "ComponentError",
        message:
          "Database database: invalid args:\n" +
          '  - engine: "timescaledb" cannot be built on a "aws" placement; the "timescaledb" engine runs on a "kubernetes" placement, the "managed" engine on the others',
      },
    );
  });
});

describe("Stack config with platform:database.engine timescaledb", () => {
  const prod = {
    tier: "prod",
    target: "aws",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    workloads: { acmeEmail: "ops@example.com" },
    database: { engine: "timescaledb" },
    backup: { enabled: false },
  };
  const naming = (found: string[], key: string, says: RegExp) => {
    const line = found.find((p) => p.startsWith(`platform:${key}:`) && says.test(p));
    assert.ok(line, `no problem names platform:${key} and says ${says}; got:\n${found.join("\n")}`);
  };

  it("refuses it where there is no EKS cluster to run it: targets local and gcp", () => {
    naming(
      problems({ tier: "staging", target: "local", database: { engine: "timescaledb" } }),
      "database.engine",
      /runs on the EKS cluster of target "aws" only; on target "local" expected "managed"/,
    );
    naming(
      problems({
        tier: "staging",
        target: "gcp",
        gcp: { project: "platform-staging", region: "europe-west1" },
        cache: { nodes: 1 },
        workloads: { acmeEmail: "ops@example.com" },
        database: { engine: "timescaledb" },
      }),
      "database.engine",
      /on target "gcp" expected "managed"/,
    );
  });

  it("takes AWS Backup beside it, which then selects the stack's buckets only", () => {
    const config = parseStackConfig(source({ ...prod, backup: { enabled: true } }));
    assert.equal(config.backup.enabled, true);
    assert.equal(config.database.engine, "timescaledb");
  });

  it("refuses it without the object store's backups bucket, without cert-manager, or with the GCP standby", () => {
    naming(
      problems({ ...prod, objectStore: { enabled: false } }),
      "database.engine",
      /backups bucket, which is not built/,
    );
    naming(
      problems({ ...prod, workloads: {} }),
      "database.engine",
      /needs cert-manager.*platform:workloads\.acmeEmail/,
    );
    naming(
      problems({ ...prod, standby: "gcp", gcp: { project: "p", region: "us-east1" } }),
      "database.engine",
      /cannot be replicated to the GCP standby/,
    );
  });

  it("refuses a PostgreSQL version without a pinned TimescaleDB image", () => {
    naming(
      problems({ ...prod, database: { engine: "timescaledb", engineVersion: "16" } }),
      "database.engineVersion",
      /has no TimescaleDB image pinned; expected one of 15/,
    );
  });

  it("refuses an engine it does not know", () => {
    naming(
      problems({ ...prod, database: { engine: "aurora" } }),
      "database.engine",
      /managed, timescaledb/,
    );
  });
});
