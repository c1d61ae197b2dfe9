import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Workloads, type ServiceSettings } from "../../components/workloads";
import { secretSig } from "../../tools/plan/values";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { stackConfig, stackNames } from "../support/stacks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const connections = () => ({
  "database-url": pulumi.secret("postgresql://app:pw@db:5432/app"),
  "redis-url": pulumi.secret("redis://:token@cache:6379"),
  "s3-endpoint": pulumi.secret("http://minio:9000"),
  "s3-access-key": pulumi.secret("key"),
  "s3-secret-key": pulumi.secret("secret"),
});

/** Seed 000 (prod) and seed 001 (staging, dev) HPA behaviour. */
const behaviour = {
  prod: {
    scaleUp: {
      stabilizationWindowSeconds: 60,
      policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
    },
  },
  seed001: {
    scaleUp: {
      stabilizationWindowSeconds: 60,
      policies: [
        { type: "Percent", value: 100, periodSeconds: 60 },
        { type: "Pods", value: 2, periodSeconds: 60 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
    },
  },
};

const bounds = { dev: { min: 1, max: 3 }, staging: { min: 2, max: 10 }, prod: { min: 3, max: 20 } };

for (const stack of stackNames) {
  describe(`Workloads of the ${stack} stack`, () => {
    let recorded: Recorded;
    const config = stackConfig(stack);
    const namespace = config.appNamespace.name;
    const inputs = (type: string, name: string): Obj => recorded.inputs(recorded.one(type, name));

    before(async () => {
      recorded = useMocks({ stack });
      new Workloads("workloads", {
        namespaces: config.namespaces,
        labels: { "app.kubernetes.io/part-of": config.baseName },
        target: config.target,
        services: config.services,
        connectionSecrets: connections(),
        connectionData: { buckets: { uploads: "uploads-bucket" } },
      });
      await settle();
    });

    it("declares services", () => {
      assert.ok(config.services.length >= 2, config.services.map((s) => s.name).join(", "));
    });

    it("gives every namespace a ResourceQuota and a LimitRange", () => {
      const namespaces = recorded
        .ofType("kubernetes:core/v1:Namespace")
        .map((r) => (recorded.inputs(r) as Obj).metadata.name as string);
      assert.deepEqual(namespaces, [namespace, "monitoring"]);
      for (const ns of namespaces) {
        const inNs = (type: string) =>
          recorded
            .ofType(type)
            .filter((r) => (recorded.inputs(r) as Obj).metadata.namespace === ns);
        assert.equal(inNs("kubernetes:core/v1:ResourceQuota").length, 1, `${ns} quota`);
        assert.equal(inNs("kubernetes:core/v1:LimitRange").length, 1, `${ns} limits`);
      }
    });

    it("denies all traffic in the namespace unless a policy allows it", () => {
      const deny = inputs(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "workloads-default-deny",
      );
      assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      assert.equal(deny.metadata.namespace, namespace);
    });

    it("keeps connection strings in the connections Secret, each value a Pulumi secret", () => {
      const secret = recorded.one("kubernetes:core/v1:Secret", "workloads-connections");
      const wire = JSON.stringify(secret.inputs.stringData);
      assert.ok(wire.includes(secretSig), "stringData is not marked secret");
      const plain = recorded.inputs(secret) as Obj;
      assert.equal(plain.metadata.name, "connections");
      assert.equal(plain.metadata.namespace, namespace);
      assert.deepEqual(Object.keys(plain.stringData).sort(), Object.keys(connections()).sort());
    });

    for (const service of config.services) {
      describe(`service ${service.name}`, () => {
        const deployment = () =>
          inputs("kubernetes:apps/v1:Deployment", `workloads-${service.name}-deployment`);
        const container = () => deployment().spec.template.spec.containers[0] as Obj;

        it("rolls out one new pod at a time and never drops below the desired count", () => {
          assert.deepEqual(deployment().spec.strategy, {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
          });
          assert.equal(deployment().spec.replicas, bounds[stack].min);
          assert.equal(deployment().metadata.namespace, namespace);
        });

        it("runs as user and group 1001 with RuntimeDefault seccomp and no service-account token", () => {
          const pod = deployment().spec.template.spec;
          assert.deepEqual(pod.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 1001,
            fsGroup: 1001,
            seccompProfile: { type: "RuntimeDefault" },
          });
          assert.equal(pod.automountServiceAccountToken, false);
          assert.equal(pod.serviceAccountName, service.name);
        });

        it("drops every capability, forbids escalation and keeps the root filesystem read-only", () => {
          assert.deepEqual(container().securityContext, {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 1001,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          });
          assert.deepEqual(container().volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
          assert.deepEqual(deployment().spec.template.spec.volumes, [
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
          ]);
        });

        it("sets requests and limits on every container and runs a pinned image", () => {
          const containers = deployment().spec.template.spec.containers as Obj[];
          assert.equal(containers.length, 1);
          for (const c of containers) {
            assert.deepEqual(c.resources, {
              requests: service.resources.requests,
              limits: service.resources.limits,
            });
            assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
            assert.ok(c.resources.limits.cpu && c.resources.limits.memory);
          }
          assert.equal(container().image, service.image);
          assert.match(service.image, /:[^:/]+$/);
          assert.doesNotMatch(service.image, /:latest$/);
        });

        // The dev stack runs podinfo, whose health path is /healthz.
        const health = stack === "dev" ? "/healthz" : "/health";
        it(`probes liveness at ${health} and readiness on the service's port`, () => {
          const c = container();
          assert.deepEqual(c.livenessProbe, {
            httpGet: { path: health, port: service.port },
            initialDelaySeconds: 30,
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 3,
          });
          assert.equal(c.readinessProbe.httpGet.port, service.port);
          assert.equal(c.readinessProbe.initialDelaySeconds, 5);
          assert.equal(c.readinessProbe.periodSeconds, 5);
          if (service.probes.startup) {
            assert.deepEqual(c.startupProbe, {
              httpGet: { path: health, port: service.port },
              initialDelaySeconds: 10,
              periodSeconds: 10,
              timeoutSeconds: 5,
              failureThreshold: 30,
            });
          } else {
            assert.equal(c.startupProbe, undefined);
          }
        });

        it("reads secrets by secretKeyRef, never as plain values", () => {
          const env = container().env as Obj[];
          assert.ok(Object.keys(service.secretEnv).length > 0);
          for (const [name, ref] of Object.entries(service.secretEnv)) {
            assert.deepEqual(
              env.find((e) => e.name === name),
              { name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } },
            );
          }
          for (const e of env.filter((e) => "value" in e)) {
            assert.equal(service.env[e.name], e.value);
          }
        });

        it("autoscales on CPU and memory within the tier's bounds with the seed's behaviour", () => {
          const hpa = inputs(
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            `workloads-${service.name}-hpa`,
          );
          assert.equal(hpa.apiVersion, "autoscaling/v2");
          assert.deepEqual(hpa.spec.scaleTargetRef, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: service.name,
          });
          assert.equal(hpa.spec.minReplicas, bounds[stack].min);
          assert.equal(hpa.spec.maxReplicas, bounds[stack].max);
          assert.deepEqual(
            (hpa.spec.metrics as Obj[]).map((m) => [m.type, m.resource.name, m.resource.target]),
            [
              ["Resource", "cpu", { type: "Utilization", averageUtilization: 70 }],
              ["Resource", "memory", { type: "Utilization", averageUtilization: 80 }],
            ],
          );
          assert.deepEqual(
            hpa.spec.behavior,
            stack === "prod" ? behaviour.prod : behaviour.seed001,
          );
        });

        it("lets at most one pod go in a voluntary disruption", () => {
          const pdb = inputs(
            "kubernetes:policy/v1:PodDisruptionBudget",
            `workloads-${service.name}-pdb`,
          );
          assert.deepEqual(pdb.spec, {
            maxUnavailable: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": service.name } },
          });
        });

        it("has a NetworkPolicy: in from its exposure and callers, out to DNS and its needs", () => {
          const policy = inputs(
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            `workloads-${service.name}-network-policy`,
          );
          assert.deepEqual(policy.spec.podSelector, {
            matchLabels: { "app.kubernetes.io/name": service.name },
          });
          assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
          const ingress = policy.spec.ingress as Obj[];
          for (const rule of ingress) {
            assert.deepEqual(rule.ports, [{ protocol: "TCP", port: service.port }]);
          }
          const sources = ingress.flatMap((r) => r.from as Obj[]);
          if (service.exposure.kind === "ingress") {
            assert.deepEqual(sources[0], {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
              },
            });
          }
          if (service.exposure.kind === "loadBalancer") {
            assert.deepEqual(sources, [{ ipBlock: { cidr: "0.0.0.0/0" } }]);
          }
          const callers = config.services.filter((s) => s.calls.includes(service.name));
          for (const caller of callers) {
            assert.ok(
              sources.some(
                (s) => s.podSelector?.matchLabels?.["app.kubernetes.io/name"] === caller.name,
              ),
              `no ingress from ${caller.name}`,
            );
          }
          if (service.exposure.kind === "none" && callers.length === 0) {
            assert.deepEqual(ingress, []);
          }
          const egress = policy.spec.egress as Obj[];
          assert.deepEqual(egress[0]!.ports, [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ]);
          assert.equal(egress.length, 1 + service.calls.length + service.egress.length);
          assert.deepEqual(
            egress.slice(1 + service.calls.length).map((e) => e.ports[0].port),
            service.egress.map((e) => e.port),
          );
        });

        it("has its own ServiceAccount without a mounted token", () => {
          const account = inputs(
            "kubernetes:core/v1:ServiceAccount",
            `workloads-${service.name}-account`,
          );
          assert.equal(account.automountServiceAccountToken, false);
          assert.deepEqual(account.metadata.annotations, service.serviceAccount.annotations);
        });

        exposureTests(service, stack, () => recorded);
      });
    }
  });
}

function exposureTests(service: ServiceSettings, stack: string, recorded: () => Recorded) {
  const named = (type: string, role: string) =>
    recorded()
      .ofType(type)
      .filter((r) => r.name === `workloads-${service.name}-${role}`)
      .map((r) => recorded().inputs(r) as Obj);
  if (service.exposure.kind === "ingress") {
    const exposure = service.exposure;
    it(`is served at https://${exposure.host}${exposure.path} with TLS and 100 rps per client`, () => {
      const [ingress] = named("kubernetes:networking.k8s.io/v1:Ingress", "ingress");
      assert.deepEqual(ingress!.metadata.annotations, {
        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
        "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
        "nginx.ingress.kubernetes.io/limit-rps": "100",
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
      });
      assert.equal(ingress!.spec.ingressClassName, "nginx");
      assert.deepEqual(ingress!.spec.tls, [
        { hosts: [exposure.host], secretName: `${service.name}-tls` },
      ]);
      assert.deepEqual(ingress!.spec.rules, [
        {
          host: exposure.host,
          http: {
            paths: [
              {
                path: exposure.path,
                pathType: "Prefix",
                backend: { service: { name: service.name, port: { number: 80 } } },
              },
            ],
          },
        },
      ]);
    });
  } else {
    it("has no Ingress", () => {
      assert.deepEqual(named("kubernetes:networking.k8s.io/v1:Ingress", "ingress"), []);
    });
  }
  const balanced = service.exposure.kind === "loadBalancer";
  // The dev stack runs on a local cluster, where no LoadBalancer Service ever gets an address.
  const type = balanced ? (stack === "dev" ? "NodePort" : "LoadBalancer") : "ClusterIP";
  it(`has a ${type} Service on port 80`, () => {
    const [svc] = named("kubernetes:core/v1:Service", "service");
    assert.deepEqual(svc!.spec.ports, [
      { name: "http", port: 80, targetPort: service.port, protocol: "TCP" },
    ]);
    assert.equal(svc!.spec.type, type);
    const expected =
      balanced && stack !== "dev"
        ? {
            // Seed 000's websocket tier on AWS: an NLB passing TCP through.
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
            "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled":
              "true",
          }
        : {};
    assert.deepEqual(svc!.metadata.annotations, expected);
  });
}
