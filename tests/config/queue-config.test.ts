import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const staging = { tier: "staging", target: "aws", aws: { region: "us-east-1" } };

describe("platform:queue.receiveWaitTimeSeconds", () => {
  it("defaults to 20 seconds of long polling", () => {
    const { queue } = parseStackConfig(source({ ...staging, queue: { enabled: true } }));
    assert.equal(queue.receiveWaitTimeSeconds, 20);
  });

  it("is read from the stack", () => {
    const { queue } = parseStackConfig(
      source({ ...staging, queue: { enabled: true, receiveWaitTimeSeconds: 5 } }),
    );
    assert.equal(queue.receiveWaitTimeSeconds, 5);
  });

  it("refuses more than SQS's 20 seconds", () => {
    assert.deepEqual(problems({ ...staging, queue: { receiveWaitTimeSeconds: 30 } }), [
      "platform:queue.receiveWaitTimeSeconds: 30 is too large; expected seconds from 0 to 20",
    ]);
  });
});

describe("platform:queue.redeliveryDelaySeconds", () => {
  it("defaults to 10 seconds", () => {
    const { queue } = parseStackConfig(source({ ...staging, queue: { enabled: true } }));
    assert.equal(queue.redeliveryDelaySeconds, 10);
  });

  it("is read from the stack", () => {
    const { queue } = parseStackConfig(
      source({ ...staging, queue: { enabled: true, redeliveryDelaySeconds: 120 } }),
    );
    assert.equal(queue.redeliveryDelaySeconds, 120);
  });

  it("refuses more than Pub/Sub's 600 seconds", () => {
    assert.deepEqual(problems({ ...staging, queue: { redeliveryDelaySeconds: 900 } }), [
      "platform:queue.redeliveryDelaySeconds: 900 is too large; expected seconds from 0 to 600",
    ]);
  });
});

describe("platform:queue on target gcp", () => {
  const onGcp = {
    tier: "staging",
    target: "gcp",
    gcp: { project: "platform-staging", region: "europe-west1" },
    cache: { nodes: 1 },
  };

  it("builds the queue (Pub/Sub) with the tier's defaults", () => {
    const { queue } = parseStackConfig(source({ ...onGcp, queue: { enabled: true } }));
    assert.equal(queue.enabled, true);
    assert.equal(queue.visibilityTimeoutSeconds, 30);
    assert.equal(queue.maxReceiveCount, 5);
  });

  it("lets a service consume the queue and publish to the topic", () => {
    const service = {
      name: "worker",
      image: "project/worker:v1.0.0",
      port: 8080,
      resources: {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "200m", memory: "256Mi" },
      },
      uses: { queue: "read", topic: "write" },
    };
    const { services } = parseStackConfig(
      source({ ...onGcp, queue: { enabled: true }, workloads: { services: [service] } }),
    );
    assert.deepEqual(services[0]?.uses, { buckets: {}, queue: "read", topic: "write" });
  });
});
