import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import {
  Workloads,
  autoscalingDefaults,
  containerLimitDefaults,
  probeTimingDefaults,
  quotaDefaults,
  type ServiceSettings,
} from "../../components/workloads";
import type { Target } from "../../config/tiers";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const websocket = {
  name: "websocket",
  image: "ghcr.io/stefanprodan/podinfo:6.14.1",
  port: 9898,
  replicas: 1,
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "250m", memory: "256Mi" },
  },
  probes: {
    liveness: { httpGet: { path: "/healthz", port: 9898 }, ...probeTimingDefaults.liveness },
    readiness: { httpGet: { path: "/readyz", port: 9898 }, ...probeTimingDefaults.readiness },
  },
  env: {},
  secretEnv: {},
  autoscaling: { ...autoscalingDefaults.dev, podsMetrics: [] },
  exposure: { kind: "loadBalancer" },
  serviceAccount: { annotations: {}, automountToken: false },
  calls: [],
  egress: [],
} satisfies ServiceSettings;

async function build(
  target: Target,
  dependencies: () => k8s.core.v1.ConfigMap[] = () => [],
): Promise<{ recorded: Recorded; workloads: Workloads }> {
  const recorded = useMocks({ stack: "dev" });
  const dependsOn = dependencies();
  const workloads = new Workloads(
    "workloads",
    {
      namespaces: [
        { name: "dev", quota: quotaDefaults.dev, containerLimits: containerLimitDefaults.dev },
      ],
      labels: { "app.kubernetes.io/part-of": "platform-dev" },
      target,
      services: [websocket],
    },
    { dependsOn },
  );
  await settle();
  return { recorded, workloads };
}

describe("Workloads on a local cluster, a service exposed as a load balancer", () => {
  let recorded: Recorded;
  let workloads: Workloads;
  before(async () => {
    ({ recorded, workloads } = await build("local"));
  });

  it("gets a NodePort Service, which needs no address from a cloud, on port 80", () => {
    const svc = recorded.inputs(
      recorded.one("kubernetes:core/v1:Service", "workloads-websocket-service"),
    ) as Obj;
    assert.equal(svc.spec.type, "NodePort");
    assert.deepEqual(svc.metadata.annotations, {});
    assert.deepEqual(svc.spec.ports, [
      { name: "http", port: 80, targetPort: 9898, protocol: "TCP" },
    ]);
  });

  it("reports no load-balancer host", () => {
    assert.deepEqual(Object.keys(workloads.loadBalancers), []);
  });
});

describe("Workloads on AWS, a service exposed as a load balancer", () => {
  let recorded: Recorded;
  let workloads: Workloads;
  before(async () => {
    ({ recorded, workloads } = await build("aws"));
  });

  it("keeps its LoadBalancer Service (an NLB) and reports its host", () => {
    const svc = recorded.inputs(
      recorded.one("kubernetes:core/v1:Service", "workloads-websocket-service"),
    ) as Obj;
    assert.equal(svc.spec.type, "LoadBalancer");
    assert.equal(
      svc.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"],
      "nlb",
    );
    assert.deepEqual(Object.keys(workloads.loadBalancers), ["websocket"]);
  });
});

describe("Workloads that depend on a resource (metrics-server, the ingress controller)", () => {
  it("create their namespaces, which every other child waits for, after it", async () => {
    const { recorded } = await build("local", () => [
      new k8s.core.v1.ConfigMap("metrics-server-ready", { data: {} }),
    ]);
    const namespace = recorded.one("kubernetes:core/v1:Namespace", "workloads-dev");
    const needed = recorded.one("kubernetes:core/v1:ConfigMap", "metrics-server-ready");
    assert.deepEqual(namespace.dependencies, [needed.urn]);
    const deployment = recorded.one(
      "kubernetes:apps/v1:Deployment",
      "workloads-websocket-deployment",
    );
    assert.ok(deployment.dependencies.includes(namespace.urn));
  });
});
