import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import {
  cloudflareOriginLock,
  cloudflareOriginPullCa,
  type OriginLock,
} from "../../components/edge/origin";
import { Ingress } from "../../components/ingress";
import { Workloads, type ServiceSettings } from "../../components/workloads";
import { cloudflareIpv4, cloudflareIpv6 } from "../../tools/plan/mocks";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { stackConfig } from "../support/stacks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const release = "kubernetes:helm.sh/v3:Release";
const labels = { "app.kubernetes.io/part-of": "platform-test" };

function ingressBehind(
  target: "aws" | "gcp" | "local",
  lock: OriginLock | undefined,
): { ingress: Ingress; values: () => Obj } {
  const recorded = useMocks();
  const ingress = new Ingress("ingress", {
    tier: "prod",
    target,
    acmeEmail: "platform-team@example.com",
    labels,
    ...(target === "gcp" && { loadBalancerIp: "203.0.113.10" }),
    ...(lock && { originLock: lock }),
  });
  return {
    ingress,
    values: () => recorded.inputs(recorded.one(release, "ingress-ingress-nginx")).values as Obj,
  };
}

describe("Origin lock from the Cloudflare provider", () => {
  let lock: OriginLock;

  before(async () => {
    useMocks();
    const provider = new cloudflare.Provider("cloudflare", { apiToken: "token" });
    lock = cloudflareOriginLock({ provider });
    await settle();
  });

  it("admits Cloudflare's published IPv4 ranges, which reach the IPv4 load balancers", async () => {
    const { value } = await resolve(pulumi.output(lock.sourceRanges));
    assert.deepEqual(value, cloudflareIpv4);
  });

  it("trusts CF-Connecting-IP from Cloudflare's IPv4 and IPv6 ranges", async () => {
    const { value } = await resolve(pulumi.output(lock.trustedProxies));
    assert.deepEqual(value, [...cloudflareIpv4, ...cloudflareIpv6]);
  });

  it("verifies clients against Cloudflare's origin-pull CA", () => {
    assert.equal(lock.clientCa, cloudflareOriginPullCa);
  });
});

describe("Cloudflare's origin-pull CA", () => {
  const ca = new X509Certificate(cloudflareOriginPullCa);

  it("is the CA Cloudflare publishes for Authenticated Origin Pulls", () => {
    assert.match(ca.subject, /CN=origin-pull\.cloudflare\.net/);
    assert.match(ca.subject, /OU=Origin Pull/);
    assert.equal(ca.ca, true);
    assert.equal(
      ca.fingerprint256,
      "9A:1A:C2:B4:BE:15:F9:F2:7E:EE:20:A7:34:CB:A4:E9:89:8F:61:00:1B:3B:D7:C8:4B:69:B5:6A:3E:25:A2:B9",
    );
  });

  it("stays valid for 90 days more at least (it ends 2029-11-01): time to put its successor in", () => {
    const end = new Date(ca.validTo);
    assert.equal(end.toISOString(), "2029-11-01T17:00:00.000Z");
    const ninetyDays = 90 * 86_400_000;
    assert.ok(Date.now() + ninetyDays < end.getTime(), `it ends ${ca.validTo}`);
  });
});

for (const target of ["aws", "gcp"] as const) {
  describe(`Ingress on ${target} in prod behind the edge`, () => {
    const trusted = [...cloudflareIpv4, ...cloudflareIpv6];
    let values: () => Obj;
    let ingress: Ingress;

    before(async () => {
      ({ ingress, values } = ingressBehind(target, {
        sourceRanges: cloudflareIpv4,
        trustedProxies: trusted,
        clientCa: cloudflareOriginPullCa,
      }));
      await settle();
    });

    it("admits only Cloudflare's ranges at the load balancer", () => {
      const service = values().controller.service;
      assert.deepEqual(service.loadBalancerSourceRanges, cloudflareIpv4);
      // The client address reaches nginx (and the source ranges apply to it) only without SNAT.
      assert.equal(service.externalTrafficPolicy, "Local");
    });

    it("takes the client address from CF-Connecting-IP, from Cloudflare's ranges only", () => {
      const config = values().controller.config;
      assert.equal(config["enable-real-ip"], "true");
      assert.equal(config["forwarded-for-header"], "CF-Connecting-IP");
      assert.deepEqual(config["proxy-real-ip-cidr"].split(","), trusted);
      assert.ok(!config["proxy-real-ip-cidr"].includes("0.0.0.0/0"));
      // X-Forwarded-For is the visitor's to write: never believed.
      assert.equal(config["use-forwarded-headers"], "false");
    });

    it("keys the limit-rps zones on the address realip rewrote, so each visitor has a budget", () => {
      const config = values().controller.config;
      assert.equal(config["limit-conn-zone-variable"], "$binary_remote_addr");
      assert.equal(config["enable-real-ip"], "true");
    });

    it("hands the workloads Cloudflare's origin-pull CA for their Ingresses", () => {
      assert.equal(ingress.originPullCa, cloudflareOriginPullCa);
    });
  });
}

describe("Ingress on aws in prod without the edge", () => {
  let values: () => Obj;
  let ingress: Ingress;

  before(async () => {
    ({ ingress, values } = ingressBehind("aws", undefined));
    await settle();
  });

  it("keeps nginx's own client address and no proxy trusted", () => {
    const config = values().controller.config;
    assert.equal(config["enable-real-ip"], undefined);
    assert.equal(config["proxy-real-ip-cidr"], undefined);
    assert.equal(values().controller.service.loadBalancerSourceRanges, undefined);
    assert.equal(ingress.originPullCa, undefined);
  });
});

describe("Ingress on local with an origin lock", () => {
  let values: () => Obj;
  let ingress: Ingress;

  before(async () => {
    ({ ingress, values } = ingressBehind("local", {
      sourceRanges: cloudflareIpv4,
      trustedProxies: cloudflareIpv4,
      clientCa: cloudflareOriginPullCa,
    }));
    await settle();
  });

  it("ignores it: no edge reaches a local cluster", () => {
    assert.equal(values().controller.service.loadBalancerSourceRanges, undefined);
    assert.equal(values().controller.config["enable-real-ip"], undefined);
    assert.equal(ingress.originPullCa, undefined);
  });
});

describe("Workloads behind the edge (Authenticated Origin Pulls)", () => {
  let recorded: Recorded;
  const config = stackConfig("prod");
  const namespace = config.appNamespace.name;
  const exposed = config.services.filter(
    (s): s is ServiceSettings & { exposure: { kind: "ingress" } } => s.exposure.kind === "ingress",
  );

  before(async () => {
    recorded = useMocks({ stack: "prod" });
    new Workloads("workloads", {
      namespaces: config.namespaces,
      labels,
      target: "aws",
      services: config.services,
      connectionSecrets: {
        "database-url": pulumi.secret("postgresql://app:pw@db:5432/app"),
        "redis-url": pulumi.secret("redis://:token@cache:6379"),
      },
      connectionData: { buckets: { uploads: "uploads-bucket" } },
      originPullCa: cloudflareOriginPullCa,
    });
    await settle();
  });

  it("exposes at least one service by ingress", () => {
    assert.ok(exposed.length > 0);
  });

  it("puts the CA in a Secret beside each Ingress, where ingress-nginx reads it", () => {
    for (const service of exposed) {
      const secret = recorded.inputs(
        recorded.one("kubernetes:core/v1:Secret", `workloads-${service.name}-origin-pull-ca`),
      ) as Obj;
      assert.equal(secret.metadata.name, `${service.name}-origin-pull-ca`);
      assert.equal(secret.metadata.namespace, namespace);
      assert.deepEqual(secret.stringData, { "ca.crt": cloudflareOriginPullCa });
    }
  });

  it("makes every Ingress demand a client certificate that CA signs", () => {
    for (const service of exposed) {
      const resource = recorded.one(
        "kubernetes:networking.k8s.io/v1:Ingress",
        `workloads-${service.name}-ingress`,
      );
      const annotations = (recorded.inputs(resource) as Obj).metadata.annotations;
      assert.equal(
        annotations["nginx.ingress.kubernetes.io/auth-tls-secret"],
        `${namespace}/${service.name}-origin-pull-ca`,
      );
      assert.equal(annotations["nginx.ingress.kubernetes.io/auth-tls-verify-client"], "on");
      assert.equal(annotations["nginx.ingress.kubernetes.io/auth-tls-verify-depth"], "1");
      assert.equal(
        annotations["nginx.ingress.kubernetes.io/limit-rps"],
        String(service.exposure.rateLimit),
      );
      // The controller refuses an Ingress whose auth-tls Secret does not exist yet.
      assert.ok(
        resource.dependencies.some((urn) =>
          urn.endsWith(`::workloads-${service.name}-origin-pull-ca`),
        ),
        `${service.name}: ${resource.dependencies.join(", ")}`,
      );
    }
  });
});
