import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import {
  LocalDataServices,
  localCacheSettings,
  localDatabaseSettings,
  localObjectStoreSettings,
} from "../../components/local-data";
import { secretSig } from "../../tools/plan/values";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Local data services in dev", () => {
  let recorded: Recorded;
  let data: LocalDataServices;
  const statefulSet = (name: string): Obj =>
    recorded.inputs(recorded.one("kubernetes:apps/v1:StatefulSet", `data-${name}-statefulset`));

  before(async () => {
    recorded = useMocks({ stack: "dev" });
    data = new LocalDataServices("data", {
      tier: "dev",
      namespace: "dev-data",
      clientNamespace: "dev",
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
    });
    await settle();
  });

  it("runs in its own restricted namespace with a quota and a LimitRange", () => {
    const ns = recorded.inputs(
      recorded.one("kubernetes:core/v1:Namespace", "data-dev-data"),
    ) as Obj;
    assert.equal(ns.metadata.name, "dev-data");
    assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    const quota = recorded.inputs(
      recorded.one("kubernetes:core/v1:ResourceQuota", "data-dev-data-quota"),
    ) as Obj;
    assert.deepEqual(quota.spec.hard, {
      "requests.cpu": "1",
      "requests.memory": "2Gi",
      "limits.cpu": "3",
      "limits.memory": "4Gi",
      pods: "10",
      persistentvolumeclaims: "5",
    });
    recorded.one("kubernetes:core/v1:LimitRange", "data-dev-data-limits");
  });

  const servers = [
    { role: "database", image: "postgres:15.17-bookworm", port: 5432, storage: "5Gi" },
    { role: "cache", image: "redis:7.2.6-bookworm", port: 6379, storage: "1Gi" },
    {
      role: "objects",
      image: "minio/minio:RELEASE.2024-11-07T00-52-20Z",
      port: 9000,
      storage: "5Gi",
    },
  ];
  for (const server of servers) {
    describe(server.role, () => {
      it(`runs ${server.image} as one StatefulSet replica with a ${server.storage} volume`, () => {
        const spec = statefulSet(server.role).spec;
        assert.equal(spec.replicas, 1);
        assert.equal(spec.template.spec.containers[0].image, server.image);
        assert.deepEqual(spec.volumeClaimTemplates, [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: server.storage } },
            },
          },
        ]);
        assert.equal(statefulSet(server.role).metadata.namespace, "dev-data");
      });

      it("runs with the restricted security context and requests and limits", () => {
        const pod = statefulSet(server.role).spec.template.spec;
        assert.deepEqual(pod.securityContext, {
          runAsNonRoot: true,
          runAsUser: 1001,
          runAsGroup: 1001,
          fsGroup: 1001,
          seccompProfile: { type: "RuntimeDefault" },
        });
        assert.equal(pod.automountServiceAccountToken, false);
        const container = pod.containers[0];
        assert.deepEqual(container.securityContext, {
          runAsNonRoot: true,
          runAsUser: 1001,
          runAsGroup: 1001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
        assert.ok(container.resources.limits.cpu && container.resources.limits.memory);
        assert.ok(container.livenessProbe && container.readinessProbe);
        assert.ok(
          (container.volumeMounts as Obj[]).some((m) => m.mountPath === "/tmp"),
          "no writable /tmp",
        );
      });

      it(`is reached through a headless Service on ${server.port}`, () => {
        const svc = recorded.inputs(
          recorded.one("kubernetes:core/v1:Service", `data-${server.role}-service`),
        ) as Obj;
        assert.equal(svc.spec.clusterIP, "None");
        assert.equal(svc.spec.ports[0].port, server.port);
      });

      it("keeps its generated credentials in a Secret, marked secret", () => {
        const secret = recorded.one("kubernetes:core/v1:Secret", `data-${server.role}-credentials`);
        assert.ok(JSON.stringify(secret.inputs.stringData).includes(secretSig));
      });
    });
  }

  it("gives PostgreSQL its password by secretKeyRef and a writable socket directory", () => {
    const container = statefulSet("database").spec.template.spec.containers[0];
    assert.deepEqual(
      (container.env as Obj[]).find((e) => e.name === "POSTGRES_PASSWORD"),
      {
        name: "POSTGRES_PASSWORD",
        valueFrom: {
          secretKeyRef: { name: "data-database-postgres-credentials", key: "password" },
        },
      },
    );
    assert.ok((container.volumeMounts as Obj[]).some((m) => m.mountPath === "/var/run/postgresql"));
  });

  it("starts Redis with --requirepass from the generated password, never inline", () => {
    const container = statefulSet("cache").spec.template.spec.containers[0];
    assert.deepEqual(container.args, [
      "redis-server",
      "--requirepass",
      "$(REDIS_PASSWORD)",
      "--appendonly",
      "yes",
      "--dir",
      "/data",
    ]);
    assert.deepEqual(container.env, [
      {
        name: "REDIS_PASSWORD",
        valueFrom: { secretKeyRef: { name: "data-cache-redis-credentials", key: "password" } },
      },
    ]);
  });

  it("generates passwords of 32 characters with @pulumi/random", () => {
    for (const name of ["data-database-password", "data-cache-auth-token"]) {
      const password = recorded.one("random:index/randomPassword:RandomPassword", name);
      assert.deepEqual(recorded.inputs(password), { length: 32, special: false });
    }
  });

  it("keeps MinIO's generated root user a secret, as its root password is", () => {
    const [user] = recorded.ofType("random:index/randomString:RandomString");
    assert.ok(user, "no generated root user");
    assert.deepEqual(user.additionalSecretOutputs, ["result"]);
  });

  it("creates the uploads bucket with versioning in a restricted Job", () => {
    const job = recorded.inputs(
      recorded.one("kubernetes:batch/v1:Job", "data-objects-buckets"),
    ) as Obj;
    const container = job.spec.template.spec.containers[0];
    assert.equal(container.image, "minio/mc:RELEASE.2024-11-05T11-29-45Z");
    assert.match(container.command[2], /mc mb --ignore-existing local\/data-objects-uploads/);
    assert.match(container.command[2], /mc version enable local\/data-objects-uploads/);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  });

  it("lets only the application namespace reach the data ports", () => {
    const policy = recorded.inputs(
      recorded.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-clients"),
    ) as Obj;
    assert.deepEqual(policy.spec.ingress[0].from[0], {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dev" } },
    });
    assert.deepEqual(
      (policy.spec.ingress[0].ports as Obj[]).map((p) => p.port),
      [5432, 6379, 9000],
    );
    const deny = recorded.inputs(
      recorded.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-default-deny"),
    ) as Obj;
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("admits no exporter when none is named", () => {
    assert.deepEqual(
      recorded
        .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .map((r) => (recorded.inputs(r) as Obj).metadata.name)
        .sort(),
      ["data-clients", "data-egress", "default-deny"],
    );
  });

  it("hands out connection strings that are secrets and point into the cluster", async () => {
    const database = await resolve(data.connectionSecrets["database-url"]!);
    assert.equal(database.secret, true);
    assert.match(
      database.value,
      /^postgresql:\/\/app:[A-Za-z0-9]{32}@data-database-postgres\.dev-data\.svc\.cluster\.local:5432\/app\?sslmode=disable$/,
    );
    const cache = await resolve(data.connectionSecrets["redis-url"]!);
    assert.equal(cache.secret, true);
    assert.match(
      cache.value,
      /^redis:\/\/:[A-Za-z0-9]{32}@data-cache-redis\.dev-data\.svc\.cluster\.local:6379$/,
    );
    for (const key of ["s3-endpoint", "s3-access-key", "s3-secret-key"]) {
      assert.equal((await resolve(data.connectionSecrets[key]!)).secret, true, key);
    }
  });
});

describe("Local data services in dev with in-cluster exporters", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks({ stack: "dev" });
    new LocalDataServices("data", {
      tier: "dev",
      namespace: "dev-data",
      clientNamespace: "dev",
      exporterNamespace: "monitoring",
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
    });
    await settle();
  });

  it("lets the monitoring namespace's postgres exporter reach 5432 and its redis exporter 6379, nothing else", () => {
    const policy = recorded.inputs(
      recorded.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-exporters"),
    ) as Obj;
    assert.deepEqual(policy.metadata, {
      name: "data-exporters",
      namespace: "dev-data",
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
    });
    const monitoring = { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } };
    assert.deepEqual(policy.spec, {
      podSelector: { matchLabels: { "app.kubernetes.io/component": "data" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          // One peer with both selectors: the exporter's pods in that namespace, not the
          // whole namespace and not same-labelled pods elsewhere.
          from: [
            {
              namespaceSelector: monitoring,
              podSelector: {
                matchLabels: { app: "prometheus-postgres-exporter", release: "postgres-exporter" },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: 5432 }],
        },
        {
          from: [
            {
              namespaceSelector: monitoring,
              podSelector: {
                matchLabels: {
                  "app.kubernetes.io/name": "prometheus-redis-exporter",
                  "app.kubernetes.io/instance": "redis-exporter",
                },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: 6379 }],
        },
      ],
    });
  });

  it("creates the exporters' policy once the data namespace exists", () => {
    const deps = recorded.one(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "data-exporters",
    ).dependencies;
    assert.ok(deps.includes(recorded.one("kubernetes:core/v1:Namespace", "data-dev-data").urn));
  });
});

describe("Local data services in dev as the stack's data keys set them", () => {
  let recorded: Recorded;
  let data: LocalDataServices;
  before(async () => {
    recorded = useMocks({ stack: "dev" });
    data = new LocalDataServices("data", {
      tier: "dev",
      namespace: "dev-data",
      clientNamespace: "dev",
      database: { ...localDatabaseSettings, enabled: false },
      cache: { ...localCacheSettings, enabled: true, engineVersion: "7.1" },
      objectStore: {
        ...localObjectStoreSettings,
        enabled: true,
        buckets: [
          ...localObjectStoreSettings.buckets,
          {
            role: "exports",
            noncurrentVersionDays: 30,
            infrequentAccessAfterDays: 0,
            expireAfterDays: 0,
          },
        ],
      },
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
    });
    await settle();
  });

  it("builds no PostgreSQL when the database is switched off", () => {
    assert.deepEqual(
      recorded.ofType("kubernetes:apps/v1:StatefulSet").map((s) => s.name),
      ["data-cache-statefulset", "data-objects-statefulset"],
    );
    assert.deepEqual(recorded.ofType("platform:index:Database"), []);
    assert.equal(data.database, undefined);
    assert.deepEqual(Object.keys(data.connectionSecrets).sort(), [
      "redis-url",
      "s3-access-key",
      "s3-endpoint",
      "s3-secret-key",
    ]);
  });

  it("admits clients to the ports of the servers it builds only", () => {
    const policy = recorded.inputs(
      recorded.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "data-clients"),
    ) as Obj;
    assert.deepEqual(
      (policy.spec.ingress[0].ports as Obj[]).map((p) => p.port),
      [6379, 9000],
    );
  });

  it("creates every bucket the object store's settings name", () => {
    const job = recorded.inputs(
      recorded.one("kubernetes:batch/v1:Job", "data-objects-buckets"),
    ) as Obj;
    assert.match(
      job.spec.template.spec.containers[0].command[2],
      /mc mb --ignore-existing local\/data-objects-exports/,
    );
  });
});

describe("Local data services built through the Database, Cache and ObjectStore contracts", () => {
  let recorded: Recorded;
  let data: LocalDataServices;
  /** The parents named by the aliases each resource below the data services is created with. */
  const aliasParents = new Map<string, unknown[]>();
  before(async () => {
    recorded = useMocks({ stack: "dev" });
    // Runs after the transformations of the components in between, so it sees what they add.
    const seeAliases: pulumi.ResourceTransformation = ({ name, opts, props }) => {
      // The Kubernetes SDK adds aliases of its own for earlier API versions; those name no parent.
      const parents = (opts.aliases ?? []).flatMap((a) =>
        typeof a === "object" && "parent" in a ? [a.parent] : [],
      );
      aliasParents.set(name, parents);
      return { props, opts };
    };
    data = new LocalDataServices(
      "data",
      {
        tier: "dev",
        namespace: "dev-data",
        clientNamespace: "dev",
        labels: { "app.kubernetes.io/part-of": "platform-dev" },
      },
      { transformations: [seeAliases] },
    );
    await settle();
  });

  it("places each server in a component of its contract, inside the data services", () => {
    for (const [type, name] of [
      ["platform:index:Database", "data-database"],
      ["platform:index:Cache", "data-cache"],
      ["platform:index:ObjectStore", "data-objects"],
    ] as const) {
      assert.ok(recorded.one(type, name).parent.endsWith("platform:index:LocalDataServices::data"));
    }
    assert.ok(
      recorded
        .one("kubernetes:apps/v1:StatefulSet", "data-database-statefulset")
        .parent.endsWith("platform:index:Database::data-database"),
    );
  });

  it("keeps each server object's identity from before the contracts: an alias under the data services", () => {
    for (const name of [
      "data-database-statefulset",
      "data-database-password",
      "data-cache-credentials",
      "data-objects-buckets",
    ]) {
      const parents = aliasParents.get(name) ?? [];
      assert.ok(parents.length === 1 && parents[0] === data, name);
    }
    for (const name of ["data-database", "data-cache", "data-objects", "data-dev-data"]) {
      assert.deepEqual(aliasParents.get(name), [], name);
    }
  });

  it("creates each server's objects once the data namespace exists", () => {
    const namespace = recorded.one("kubernetes:core/v1:Namespace", "data-dev-data").urn;
    for (const [type, name] of [
      ["kubernetes:core/v1:Secret", "data-database-credentials"],
      ["kubernetes:apps/v1:StatefulSet", "data-cache-statefulset"],
      ["kubernetes:batch/v1:Job", "data-objects-buckets"],
    ] as const) {
      assert.ok(recorded.one(type, name).dependencies.includes(namespace), name);
    }
  });
});
