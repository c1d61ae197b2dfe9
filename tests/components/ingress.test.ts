import { strict as assert } from "node:assert";
import { Ingress } from "../../components/ingress";
import { containsSecret, toDisplay } from "../../tools/plan/values";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

for (const { tier, target, replicas } of [
  { tier: "dev", target: "local", replicas: 1 },
  { tier: "prod", target: "aws", replicas: 3 },
] as const) {
  describe(`Ingress on ${target} in ${tier}`, () => {
    let recorded: Recorded;
    const release = (name: string): Obj =>
      recorded.inputs(recorded.one("kubernetes:helm.sh/v3:Release", name));

    before(async () => {
      recorded = useMocks();
      new Ingress("ingress", {
        tier,
        target,
        acmeEmail: "platform-team@example.com",
        labels: { "app.kubernetes.io/part-of": "platform-test" },
      });
      await settle();
    });

    it("puts each controller in its own restricted namespace with a quota and a LimitRange", () => {
      for (const ns of ["ingress-nginx", "cert-manager"]) {
        const namespace = recorded.inputs(
          recorded.one("kubernetes:core/v1:Namespace", `ingress-${ns}`),
        ) as Obj;
        assert.equal(namespace.metadata.name, ns);
        assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const quota = recorded.inputs(
          recorded.one("kubernetes:core/v1:ResourceQuota", `ingress-${ns}-quota`),
        ) as Obj;
        assert.equal(quota.metadata.namespace, ns);
        assert.equal(quota.spec.hard.persistentvolumeclaims, "0");
        const limits = recorded.inputs(
          recorded.one("kubernetes:core/v1:LimitRange", `ingress-${ns}-limits`),
        ) as Obj;
        assert.equal(limits.metadata.namespace, ns);
      }
    });

    it("installs ingress-nginx 4.15.1 from its own repository, into its namespace", () => {
      const nginx = release("ingress-ingress-nginx");
      assert.equal(nginx.chart, "ingress-nginx");
      assert.equal(nginx.version, "4.15.1");
      assert.deepEqual(nginx.repositoryOpts, {
        repo: "https://kubernetes.github.io/ingress-nginx",
      });
      assert.equal(nginx.namespace, "ingress-nginx");
      assert.equal(nginx.createNamespace, false);
    });

    it("runs the nginx controller so the restricted profile admits it", () => {
      const controller = release("ingress-ingress-nginx").values.controller;
      assert.equal(controller.replicaCount, replicas);
      assert.deepEqual(controller.podSecurityContext, restrictedPod);
      assert.deepEqual(controller.containerSecurityContext, {
        ...restrictedContainer,
        readOnlyRootFilesystem: false,
        runAsUser: 101,
        runAsGroup: 82,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      });
      assert.equal(controller.image.allowPrivilegeEscalation, false);
      assert.deepEqual(
        controller.admissionWebhooks.createSecretJob.securityContext,
        restrictedContainer,
      );
      assert.deepEqual(
        controller.admissionWebhooks.patchWebhookJob.securityContext,
        restrictedContainer,
      );
      assert.deepEqual(controller.admissionWebhooks.patch.securityContext, {
        ...restrictedPod,
        runAsUser: 2000,
        runAsGroup: 2000,
        fsGroup: 2000,
      });
      assert.deepEqual(controller.resources, {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "500m", memory: "512Mi" },
      });
      assert.deepEqual(controller.ingressClassResource, {
        name: "nginx",
        enabled: true,
        default: false,
      });
    });

    it(
      target === "aws"
        ? "fronts the controller with an NLB"
        : "publishes the controller on a NodePort",
      () => {
        const service = release("ingress-ingress-nginx").values.controller.service;
        if (target === "aws") {
          assert.equal(service.type, "LoadBalancer");
          assert.equal(
            service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"],
            "nlb",
          );
          assert.equal(service.externalTrafficPolicy, "Local");
        } else {
          assert.deepEqual(service, {
            type: "NodePort",
            annotations: {},
            externalTrafficPolicy: "Cluster",
          });
        }
      },
    );

    it("installs cert-manager v1.21.1 with its CRDs, every component restricted", () => {
      const cert = release("ingress-cert-manager");
      assert.equal(cert.chart, "cert-manager");
      assert.equal(cert.version, "v1.21.1");
      assert.deepEqual(cert.repositoryOpts, { repo: "https://charts.jetstack.io" });
      assert.equal(cert.namespace, "cert-manager");
      assert.deepEqual(cert.values.crds, { enabled: true, keep: true });
      for (const component of [
        cert.values,
        cert.values.webhook,
        cert.values.cainjector,
        cert.values.startupapicheck,
      ]) {
        assert.deepEqual(component.securityContext, restrictedPod);
        assert.deepEqual(component.containerSecurityContext, restrictedContainer);
        assert.deepEqual(component.resources, {
          requests: { cpu: "50m", memory: "64Mi" },
          limits: { cpu: "200m", memory: "256Mi" },
        });
      }
    });

    it("exposes both controllers' metrics Services but leaves their ServiceMonitors to Observability", () => {
      const nginx = release("ingress-ingress-nginx");
      assert.deepEqual(nginx.values.controller.metrics, {
        enabled: true,
        serviceMonitor: { enabled: false },
      });
      const cert = release("ingress-cert-manager");
      assert.deepEqual(cert.values.prometheus, {
        enabled: true,
        servicemonitor: { enabled: false },
      });
    });

    if (target !== "local")
      it("issues certificates from Let's Encrypt production, after cert-manager is installed", () => {
        const issuer = recorded.one(
          "kubernetes:cert-manager.io/v1:ClusterIssuer",
          "ingress-letsencrypt-prod",
        );
        assert.deepEqual(recorded.inputs(issuer), {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: {
            name: "letsencrypt-prod",
            labels: { "app.kubernetes.io/part-of": "platform-test" },
          },
          spec: {
            acme: {
              server: "https://acme-v02.api.letsencrypt.org/directory",
              email: "platform-team@example.com",
              privateKeySecretRef: { name: "letsencrypt-prod-account-key" },
              solvers: [{ http01: { ingress: { class: "nginx" } } }],
            },
          },
        });
        const certManager = recorded.one("kubernetes:helm.sh/v3:Release", "ingress-cert-manager");
        assert.ok(issuer.dependencies.includes(certManager.urn));
      });
  });
}

describe("Ingress on local in dev: certificates", () => {
  let recorded: Recorded;
  let ingress: Ingress;
  before(async () => {
    recorded = useMocks();
    ingress = new Ingress("ingress", {
      tier: "dev",
      target: "local",
      acmeEmail: "platform-team@example.com",
      labels: { "app.kubernetes.io/part-of": "platform-test" },
    });
    await settle();
  });

  it("signs certificates with a self-signed ClusterIssuer, after cert-manager is installed", () => {
    const issuer = recorded.one(
      "kubernetes:cert-manager.io/v1:ClusterIssuer",
      "ingress-local-selfsigned",
    );
    assert.deepEqual(recorded.inputs(issuer), {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: {
        name: "local-selfsigned",
        labels: { "app.kubernetes.io/part-of": "platform-test" },
      },
      spec: { selfSigned: {} },
    });
    const certManager = recorded.one("kubernetes:helm.sh/v3:Release", "ingress-cert-manager");
    assert.ok(issuer.dependencies.includes(certManager.urn));
  });

  it("asks Let's Encrypt for nothing: no ACME issuer, and Ingresses name the self-signed one", () => {
    assert.deepEqual(
      recorded.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer").map((r) => r.name),
      ["ingress-local-selfsigned"],
    );
    assert.equal(ingress.clusterIssuer, "local-selfsigned");
  });
});

describe("Ingress metrics targets", () => {
  it("names the metrics Services the pinned charts create, by their labels and port names", () => {
    const recorded = useMocks();
    const ingress = new Ingress("ingress", {
      tier: "prod",
      target: "aws",
      acmeEmail: "platform-team@example.com",
      labels: {},
    });
    assert.equal(recorded.ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").length, 0);
    assert.deepEqual(ingress.metricsTargets, [
      {
        name: "ingress-nginx-controller-metrics",
        namespace: "ingress-nginx",
        port: "metrics",
        path: "/metrics",
        selector: {
          "app.kubernetes.io/name": "ingress-nginx",
          "app.kubernetes.io/instance": "ingress-nginx",
          "app.kubernetes.io/component": "controller",
        },
      },
      {
        name: "cert-manager",
        namespace: "cert-manager",
        port: "http-metrics",
        path: "/metrics",
        selector: {
          "app.kubernetes.io/name": "cert-manager",
          "app.kubernetes.io/instance": "cert-manager",
          "app.kubernetes.io/component": "controller",
        },
      },
    ]);
  });
});

describe("Ingress with wildcard hosts (DNS-01 through Cloudflare)", () => {
  let recorded: Recorded;
  const token = "cloudflare-token-value";

  before(async () => {
    recorded = useMocks();
    new Ingress("ingress", {
      tier: "prod",
      target: "aws",
      acmeEmail: "platform-team@example.com",
      labels: { "app.kubernetes.io/part-of": "platform-test" },
      dns01: { zones: ["directory.example.com"], cloudflareApiToken: token },
    });
    await settle();
  });

  it("keeps the API token in a Secret in cert-manager's namespace, secret in state", () => {
    const secret = recorded.one("kubernetes:core/v1:Secret", "ingress-cloudflare-api-token");
    const inputs = recorded.inputs(secret) as Obj;
    assert.equal(inputs.metadata.name, "letsencrypt-prod-cloudflare-api-token");
    assert.equal(inputs.metadata.namespace, "cert-manager");
    assert.deepEqual(inputs.stringData, { "api-token": token });
    assert.ok(containsSecret(secret.inputs.stringData), "the token is recorded as a secret");
    assert.ok(
      !JSON.stringify(toDisplay(secret.inputs)).includes(token),
      "what a person sees of the Secret never shows the token",
    );
  });

  it("solves the wildcard zones by DNS-01 and every other host by HTTP-01", () => {
    const issuer = recorded.one(
      "kubernetes:cert-manager.io/v1:ClusterIssuer",
      "ingress-letsencrypt-prod",
    );
    assert.deepEqual((recorded.inputs(issuer) as Obj).spec.acme.solvers, [
      {
        selector: { dnsZones: ["directory.example.com"] },
        dns01: {
          cloudflare: {
            apiTokenSecretRef: { name: "letsencrypt-prod-cloudflare-api-token", key: "api-token" },
          },
        },
      },
      { http01: { ingress: { class: "nginx" } } },
    ]);
    const secret = recorded.one("kubernetes:core/v1:Secret", "ingress-cloudflare-api-token");
    assert.ok(issuer.dependencies.includes(secret.urn), "the issuer waits for its token");
  });
});

describe("Ingress address on aws in prod", () => {
  let recorded: Recorded;
  let ingress: Ingress;

  before(async () => {
    recorded = useMocks();
    ingress = new Ingress("ingress", {
      tier: "prod",
      target: "aws",
      acmeEmail: "platform-team@example.com",
      labels: {},
    });
    await settle();
  });

  it("reads the chart's controller Service, once the release is deployed", () => {
    const read = recorded.read("kubernetes:core/v1:Service", "ingress-controller");
    const release = recorded.one("kubernetes:helm.sh/v3:Release", "ingress-ingress-nginx");
    assert.equal(read.id, "ingress-nginx/ingress-nginx-controller");
    assert.ok(read.dependencies.includes(release.urn));
    assert.equal(read.parent, recorded.one("platform:index:Ingress").urn);
  });

  it("leaves the controller's load balancer address to the cloud", () => {
    const service = release(recorded).values.controller.service;
    assert.equal(service.type, "LoadBalancer");
    assert.equal("loadBalancerIP" in service, false);
  });

  it("outputs the NLB's hostname from the Service's status", async () => {
    const address = (await resolve(ingress.address!)).value;
    assert.match(address, /^a[0-9a-f]{32}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
  });
});

describe("Ingress address on gcp with a reserved address", () => {
  let recorded: Recorded;
  let ingress: Ingress;

  before(async () => {
    recorded = useMocks();
    ingress = new Ingress("standby-ingress", {
      tier: "prod",
      target: "gcp",
      acmeEmail: "platform-team@example.com",
      labels: {},
      loadBalancerIp: "198.51.100.7",
    });
    await settle();
  });

  it("pins the controller's load balancer to the reserved address", () => {
    const service = (
      recorded.inputs(
        recorded.one("kubernetes:helm.sh/v3:Release", "standby-ingress-ingress-nginx"),
      ) as Obj
    ).values.controller.service;
    assert.deepEqual(service, {
      type: "LoadBalancer",
      annotations: { "cloud.google.com/l4-rbs": "enabled" },
      externalTrafficPolicy: "Local",
      loadBalancerIP: "198.51.100.7",
    });
  });

  it("outputs the reserved address without reading the cluster", async () => {
    assert.equal((await resolve(ingress.address!)).value, "198.51.100.7");
    assert.deepEqual(recorded.readsOf("kubernetes:core/v1:Service"), []);
  });
});

describe("Ingress address on local", () => {
  it("has none: a NodePort has no public address", async () => {
    const recorded = useMocks();
    const ingress = new Ingress("ingress", {
      tier: "dev",
      target: "local",
      acmeEmail: "platform-team@example.com",
      labels: {},
    });
    await settle();
    assert.equal(ingress.address, undefined);
    assert.deepEqual(recorded.readsOf("kubernetes:core/v1:Service"), []);
  });
});

function release(recorded: Recorded): Obj {
  return recorded.inputs(recorded.one("kubernetes:helm.sh/v3:Release", "ingress-ingress-nginx"));
}
