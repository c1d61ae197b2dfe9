import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { transitiveWaits } from "../../tools/plan/chains";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { runPlanCli } from "../support/run";

/**
 * tests/fixtures/gcp-queue: a staging stack on target gcp with the queue on and a worker that
 * consumes it and publishes to its topic, planned as `npm run plan` does.
 */
describe("Queue on gcp in a planned stack (tests/fixtures/gcp-queue, staging)", () => {
  let report: PlanReport;
  let byUrn: Map<string, ReportResource>;
  before(function () {
    this.timeout(240_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gcp-queue-"));
    const json = path.join(dir, "plan.json");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/gcp-queue",
      "--stack",
      "staging",
      "--quiet",
      "--json",
      json,
    ]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
    byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  });
  const one = (type: string, name: string): ReportResource => {
    const found = report.resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}`);
    return found[0]!;
  };
  const inputs = (r: ReportResource) => r.inputs as Record<string, unknown>;
  const waitsFor = (r: ReportResource, on: ReportResource) => transitiveWaits(r, byUrn).has(on.urn);

  it("enables pubsub.googleapis.com before any topic, subscription or grant on them", () => {
    const pubsub = report.resources.find(
      (r) =>
        r.type === "gcp:projects/service:Service" && inputs(r).service === "pubsub.googleapis.com",
    );
    assert.ok(pubsub, "pubsub.googleapis.com is never enabled");
    const users = report.resources.filter((r) => r.type.startsWith("gcp:pubsub/"));
    assert.equal(users.length, 8);
    assert.deepEqual(
      users.filter((r) => !waitsFor(r, pubsub)).map((r) => r.name),
      [],
    );
  });

  it("creates both topics after the Pub/Sub agent may use the key, and grants the agent once it exists", () => {
    const grant = one("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "notifications-key-pubsub");
    const agent = one("gcp:projects/serviceIdentity:ServiceIdentity", "notifications-pubsub-agent");
    assert.ok(waitsFor(grant, agent));
    for (const name of ["notifications-topic", "notifications-dlq-topic"]) {
      assert.ok(waitsFor(one("gcp:pubsub/topic:Topic", name), grant), name);
    }
  });

  it("gives the worker the queue's subscription and the topic, which its account may consume and publish to", () => {
    const queue = one("gcp:pubsub/subscription:Subscription", "notifications-queue");
    const subscriber = one(
      "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
      "identity-worker-queue",
    );
    const publisher = one("gcp:pubsub/topicIAMMember:TopicIAMMember", "identity-worker-topic");
    const account =
      "serviceAccount:gcp-queue-staging-worker@platform-staging.iam.gserviceaccount.com";
    assert.equal(inputs(subscriber).role, "roles/pubsub.subscriber");
    assert.equal(inputs(subscriber).member, account);
    assert.equal(inputs(publisher).role, "roles/pubsub.publisher");
    assert.equal(inputs(publisher).member, account);
    assert.equal(inputs(publisher).topic, inputs(queue).topic);
    const data = inputs(one("kubernetes:core/v1:ConfigMap", "workloads-worker-connection-data"));
    assert.deepEqual(data.data, {
      QUEUE_URL: inputs(subscriber).subscription,
      TOPIC_ARN: inputs(queue).topic,
    });
    const outputs = report.outputs as Record<string, unknown>;
    assert.equal(outputs.notificationQueueUrl, inputs(subscriber).subscription);
    assert.equal(outputs.notificationTopicArn, inputs(queue).topic);
  });

  it("lets the worker reach the metadata server for its token and Pub/Sub's API on 443", () => {
    const policy = one(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "workloads-worker-network-policy",
    );
    const egress = (inputs(policy).spec as { egress: unknown[] }).egress;
    assert.ok(
      egress.some(
        (rule) =>
          JSON.stringify(rule) ===
          JSON.stringify({
            ports: [
              { port: 80, protocol: "TCP" },
              { port: 8080, protocol: "TCP" },
            ],
            to: [{ ipBlock: { cidr: "169.254.169.254/32" } }],
          }),
      ),
    );
    assert.ok(
      egress.some(
        (rule) =>
          JSON.stringify(rule) ===
          JSON.stringify({
            ports: [{ port: 443, protocol: "TCP" }],
            to: [
              {
                ipBlock: {
                  cidr: "0.0.0.0/0",
                  except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
                },
              },
            ],
          }),
      ),
    );
  });

  it("passes the policy pack", () => {
    assert.deepEqual(
      report.violations.map((v) => `${v.policyName} on ${v.urn}`),
      [],
    );
  });
});
