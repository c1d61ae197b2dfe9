import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Workloads, type ServiceSettings } from "../../components/workloads";
import { configFilesDigest } from "../../components/workloads/config-files";
import { secretSig } from "../../tools/plan/values";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { aService } from "../support/service";
import { stackConfig } from "../support/stacks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = stackConfig("prod");
const jwt = { secret: "jwt-secret", key: "secret", generate: { length: 64 } };

async function build(services: ServiceSettings[]): Promise<Recorded> {
  const recorded = useMocks({ stack: "prod" });
  new Workloads("workloads", {
    namespaces: config.namespaces,
    labels: { "app.kubernetes.io/part-of": "test" },
    target: "aws",
    services,
    connectionSecrets: { "database-url": pulumi.secret("postgresql://db") },
  });
  await settle();
  return recorded;
}

describe("Workloads: a service's config files, generated secrets and rollout", () => {
  let recorded: Recorded;
  const files = { "config.yaml": "auth:\n  jwt_expiry: 15m\n" };
  const deployment = (name: string): Obj =>
    recorded.inputs(recorded.one("kubernetes:apps/v1:Deployment", `workloads-${name}-deployment`));

  before(async () => {
    recorded = await build([
      aService({
        name: "auth",
        configFiles: { mountPath: "/app/config", files },
        secretEnv: { JWT_SECRET: jwt },
        rollout: { maxSurge: 1, maxUnavailable: 1 },
      }),
      aService({ name: "gateway", secretEnv: { JWT_SECRET: jwt } }),
    ]);
  });

  it("keeps the files in the service's ConfigMap <name>-config in the application namespace", () => {
    const configMap = recorded.inputs(
      recorded.one("kubernetes:core/v1:ConfigMap", "workloads-auth-config"),
    ) as Obj;
    assert.equal(configMap.metadata.name, "auth-config");
    assert.equal(configMap.metadata.namespace, config.namespaces[0]!.name);
    assert.deepEqual(configMap.data, files);
  });

  it("mounts them read-only at the mount path, and starts the pods after the ConfigMap exists", () => {
    const pod = deployment("auth").spec.template;
    assert.deepEqual(pod.spec.volumes, [
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
      { name: "config", configMap: { name: "auth-config" } },
    ]);
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "config", mountPath: "/app/config", readOnly: true },
    ]);
    const configMap = recorded.one("kubernetes:core/v1:ConfigMap", "workloads-auth-config");
    const raw = recorded.one("kubernetes:apps/v1:Deployment", "workloads-auth-deployment");
    assert.ok(raw.dependencies.includes(configMap.urn));
  });

  it("rolls the pods when the files change, by their digest on the pod template", () => {
    assert.deepEqual(deployment("auth").spec.template.metadata.annotations, {
      "platform/config-sha256": configFilesDigest({ mountPath: "/app/config", files }),
    });
    assert.notEqual(
      configFilesDigest({ mountPath: "/app/config", files }),
      configFilesDigest({ mountPath: "/app/config", files: { "config.yaml": "auth: {}\n" } }),
    );
    assert.equal(deployment("gateway").spec.template.metadata.annotations, undefined);
  });

  it("mounts nothing more for a service without files", () => {
    assert.deepEqual(deployment("gateway").spec.template.spec.volumes, [
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
    ]);
  });

  it("generates a key two services read once: one RandomPassword of letters and digits", () => {
    const passwords = recorded.ofType("random:index/randomPassword:RandomPassword");
    assert.deepEqual(
      passwords.map((p) => p.name),
      ["workloads-jwt-secret-secret"],
    );
    assert.deepEqual(recorded.inputs(passwords[0]!), {
      length: 64,
      special: false,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
    });
  });

  it("stores it as a Pulumi secret in the Kubernetes Secret the services read it from", () => {
    const secret = recorded.one("kubernetes:core/v1:Secret", "workloads-jwt-secret");
    assert.ok(JSON.stringify(secret.inputs.stringData).includes(secretSig));
    const plain = recorded.inputs(secret) as Obj;
    assert.equal(plain.metadata.name, "jwt-secret");
    assert.equal(plain.metadata.namespace, config.namespaces[0]!.name);
    assert.equal(plain.type, "Opaque");
    assert.deepEqual(Object.keys(plain.stringData), ["secret"]);
    for (const service of ["auth", "gateway"]) {
      const container = deployment(service).spec.template.spec.containers[0];
      assert.deepEqual(
        (container.env as Obj[]).find((e) => e.name === "JWT_SECRET"),
        { name: "JWT_SECRET", valueFrom: { secretKeyRef: { name: "jwt-secret", key: "secret" } } },
        service,
      );
      const raw = recorded.one("kubernetes:apps/v1:Deployment", `workloads-${service}-deployment`);
      assert.ok(raw.dependencies.includes(secret.urn), service);
    }
  });

  it("creates the ConfigMap and the generated Secret once the application namespace exists", () => {
    const namespace = recorded.one(
      "kubernetes:core/v1:Namespace",
      `workloads-${config.namespaces[0]!.name}`,
    );
    for (const [type, name] of [
      ["kubernetes:core/v1:ConfigMap", "workloads-auth-config"],
      ["kubernetes:core/v1:Secret", "workloads-jwt-secret"],
    ] as const)
      assert.ok(recorded.one(type, name).dependencies.includes(namespace.urn), name);
  });

  it("rolls out within the service's bounds, and by default one new pod at a time and none missing", () => {
    assert.deepEqual(deployment("auth").spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 1 },
    });
    assert.deepEqual(deployment("gateway").spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });
});

describe("Workloads refuses generated secrets that clash", () => {
  it("refuses a generated key in the connections Secret, and one key generated at two lengths", async () => {
    useMocks({ stack: "prod" });
    assert.throws(
      () =>
        new Workloads("workloads", {
          namespaces: config.namespaces,
          labels: {},
          target: "aws",
          services: [
            aService({
              name: "a",
              secretEnv: { K: { secret: "connections", key: "k", generate: { length: 32 } } },
            }),
            aService({ name: "b", secretEnv: { JWT: jwt } }),
            aService({
              name: "c",
              secretEnv: { JWT: { ...jwt, generate: { length: 48 } } },
            }),
          ],
          connectionSecrets: { k: pulumi.secret("v") },
        }),
      (err: Error) =>
        /service a: K generates a key of the "connections" Secret/.test(err.message) &&
        /service c: JWT generates jwt-secret\/secret with length 48, another service with 64/.test(
          err.message,
        ),
    );
    await settle();
  });
});
