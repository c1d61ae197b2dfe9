import { strict as assert } from "node:assert";
import { autoscalingDefaults, type ServiceSettings } from "../../components/workloads";
import { parseStackConfig } from "../../config";
import {
  hpaScaleUpSyncs,
  nodeProvisionAllowanceSeconds,
  podReadySeconds,
  recoveryTime,
  serviceScaleUp,
  standardMachine,
} from "../../config/recovery";
import { source as sourceOf } from "../support/config";

const prodUp = autoscalingDefaults.prod.behavior.scaleUp;
const stagingUp = autoscalingDefaults.staging.behavior.scaleUp;

describe("Recovery time: the HPA's climb on the standby", () => {
  const cases = [
    { what: "1 -> 3 at 100 % per 15 s (seed 000)", from: 1, to: 3, rules: prodUp, syncs: 2 },
    {
      what: "1 -> 20 at 100 % per 15 s: 2, 4, 8, 16, 20",
      from: 1,
      to: 20,
      rules: prodUp,
      syncs: 5,
    },
    {
      // 1 -> 3 at once (2 pods), then nothing more until the 60 s period has passed.
      what: "1 -> 6 at 100 % or 2 pods per 60 s (seed 001)",
      from: 1,
      to: 6,
      rules: stagingUp,
      syncs: 5,
    },
    { what: "already there", from: 3, to: 3, rules: prodUp, syncs: 0 },
  ];
  for (const { what, from, to, rules, syncs } of cases) {
    it(`takes ${syncs} HPA syncs for ${what}`, () => {
      assert.equal(hpaScaleUpSyncs(from, to, rules), syncs);
    });
  }

  it("counts a pod ready after its start allowance, its startup probe and one readiness period", () => {
    const probe = {
      initialDelaySeconds: 5,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    };
    assert.equal(podReadySeconds({ readiness: probe }), 30 + 5 + 5);
    assert.equal(
      podReadySeconds({
        readiness: probe,
        startup: { ...probe, initialDelaySeconds: 10, periodSeconds: 10 },
      }),
      30 + 20 + 10,
    );
  });

  it("reads Compute Engine standard machines as 4 GiB per vCPU", () => {
    assert.deepEqual(standardMachine("n2-standard-4"), { cpu: 4, memoryGi: 16 });
    assert.equal(standardMachine("n2-highmem-4"), undefined);
  });
});

// Behind the edge, both origins' certificates are issued by DNS-01 with a secret token.
const source = (values: Record<string, unknown>) => sourceOf(values, ["ingress"]);

const resources = {
  requests: { cpu: "500m", memory: "512Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};

function prod(services: unknown[], edge: Record<string, unknown> = {}) {
  return {
    tier: "prod",
    target: "aws",
    standby: "gcp",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    gcp: { project: "platform-prod-standby", region: "us-central1" },
    workloads: { acmeEmail: "platform-team@example.com", services },
    ingress: { cloudflareApiToken: "cloudflare-dns-token" },
    edge: {
      enabled: true,
      zoneName: "example.com",
      accountId: "0123456789abcdef0123456789abcdef",
      hosts: ["api"],
      ...edge,
    },
  };
}
const api = {
  name: "api",
  image: "example/api:1.0.0",
  port: 3000,
  resources,
  exposure: { kind: "ingress", host: "api.example.com" },
};

describe("Recovery time of a prod stack with a GCP standby", () => {
  it("adds the monitor's failover, DNS (none, proxied) and the slowest service's climb", () => {
    const rto = recoveryTime(parseStackConfig(source(prod([api]))))!;
    assert.deepEqual(
      [rto.detectionSeconds, rto.steeringSeconds, rto.dnsSeconds, rto.servingSeconds],
      [135, 30, 0, 165],
    );
    // metrics 60 + stabilization 60 + 2 syncs x 15 + ready (30 + readiness 5 + 5) = 190.
    assert.deepEqual(rto.slowestService, {
      service: "api",
      fromReplicas: 1,
      toReplicas: 3,
      seconds: 190,
      explanation:
        "api 1 -> 3 replicas: metrics 60 s + stabilization 60 s + 2 syncs x 15 s + pod ready 40 s = 190 s",
    });
    assert.equal(rto.nodesSeconds, 0);
    assert.equal(rto.seconds, 355);
    assert.equal(rto.targetSeconds, undefined);
  });

  it("adds a node when the standby's three nodes cannot hold the primary's replicas", () => {
    const big = {
      ...api,
      resources: { requests: { cpu: "1600m", memory: "3Gi" }, limits: { cpu: "2", memory: "3Gi" } },
      autoscaling: { min: 6, max: 10 },
    };
    const cfg = parseStackConfig(source(prod([big])));
    const rto = recoveryTime(cfg)!;
    assert.equal(rto.nodesSeconds, nodeProvisionAllowanceSeconds);
    assert.match(
      rto.explanation,
      /nodes 180 s \(9.6 vCPU \/ 18 GiB requested on 3 x n2-standard-4 \(9 vCPU \/ 36 GiB usable\)\)/,
    );
    assert.equal(
      rto.seconds,
      165 + serviceScaleUp(cfg.services[0] as ServiceSettings).seconds + 180,
    );
  });

  it("is not computed without a failover load balancer", () => {
    const cfg = parseStackConfig(source(prod([api], { loadBalancer: false })));
    assert.equal(recoveryTime(cfg), undefined);
  });
});
