import { strict as assert } from "node:assert";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { alertmanagerConfig } from "../../components/observability/alertmanager";
import { parseStackConfig, type PlatformConfig } from "../../config";
import { readStackSettings } from "../../tools/plan/project";
import { resolve } from "../support/mocks";
import { repoRoot } from "../support/run";
import { planExample, type PlannedExample } from "./plan";

const subscriptionType = "aws:sns/topicSubscription:TopicSubscription";
const placeholder = (key: string) =>
  `offline-secret-placeholder-for-platform:observability.alerting.${key}`;

/** An example stack's validated config, read from its files as the CLI would. */
function exampleConfig(system: string, stack: string): PlatformConfig {
  const settings = readStackSettings(path.join(repoRoot, "examples", system), stack);
  const values: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(settings.config)) {
    if (!key.startsWith("platform:")) continue;
    try {
      values[key.slice("platform:".length)] = JSON.parse(text);
    } catch {
      values[key.slice("platform:".length)] = text;
    }
  }
  return parseStackConfig({
    project: settings.project,
    stack,
    values,
    isSecret: (k) => settings.secretKeys.includes(`platform:${k}`),
  });
}

type Receiver = { name: string } & Record<string, Record<string, unknown>[]>;

/** The Alertmanager configuration the example's receivers render, secrets resolved. */
async function rendered(cfg: PlatformConfig): Promise<Map<string, Receiver>> {
  const r = cfg.observability.receivers;
  const reveal = async (v: pulumi.Input<string> | undefined) => {
    if (v === undefined) return undefined;
    const { value, secret } = await resolve(v as pulumi.Output<string>);
    assert.equal(secret, true, "a receiver credential is not a secret");
    return value;
  };
  const config = alertmanagerConfig({
    ...r,
    pagerdutyKey: await reveal(r.pagerdutyKey),
    slackWebhookUrl: await reveal(r.slackWebhookUrl),
    emailPassword: await reveal(r.emailPassword),
  }) as { receivers: Receiver[] };
  return new Map(config.receivers.map((rc) => [rc.name, rc]));
}

/** What each prod example's alarm topic is subscribed to, as the plan records the inputs. */
const expectedSubscriptions: Record<string, Record<string, unknown>[]> = {
  enrichment: [{ protocol: "email", endpoint: "oncall@enrichment.example.com" }],
  microservices: [{ protocol: "email", endpoint: "oncall@microservices.example.com" }],
  travelsense: [{ protocol: "https", endpoint: "[secret]", endpointAutoConfirms: true }],
  "corporate-intel": [
    { protocol: "email", endpoint: "incidents@example.com" },
    { protocol: "https", endpoint: "[secret]", endpointAutoConfirms: true },
  ],
  "company-directory": [{ protocol: "email", endpoint: "oncall@directory.example.com" }],
};

describe("Alerts reach a person in every prod example", function () {
  this.timeout(600_000);
  const plans = new Map<string, PlannedExample>();
  before(() => {
    for (const system of Object.keys(expectedSubscriptions)) {
      plans.set(system, planExample(system, "prod"));
    }
  });

  for (const [system, subscriptions] of Object.entries(expectedSubscriptions)) {
    it(`subscribes ${system}'s CloudWatch alarm topic: ${subscriptions.map((s) => s.protocol).join(" and ")}`, () => {
      const plan = plans.get(system)!;
      const region = system === "microservices" ? "us-west-2" : "us-east-1";
      const topic = `arn:aws:sns:${region}:123456789012:${system}-prod-alarms`;
      assert.equal(
        (plan.inputs("aws:sns/topic:Topic", "observability-alarms") as { name: string }).name,
        `${system}-prod-alarms`,
      );
      const got = plan
        .ofType(subscriptionType)
        .filter((s) => s.name.startsWith("observability-alarms-"))
        .map((s) => s.inputs as Record<string, unknown>)
        .sort((a, b) => String(a.protocol).localeCompare(String(b.protocol)));
      assert.deepEqual(
        got,
        subscriptions.map((s) => ({ ...s, topic })),
      );
    });

    it(`lets CloudWatch publish into ${system}'s encrypted alarm topic: its key grants the service decrypt and data keys`, () => {
      const plan = plans.get(system)!;
      const key = plan
        .ofType("aws:kms/key:Key")
        .find((k) => k.name === "observability-alarms-key")!;
      const statements = (
        JSON.parse(String((key.inputs as { policy: string }).policy)) as {
          Statement: { Sid: string; Principal: unknown; Action: unknown }[];
        }
      ).Statement;
      const cloudwatch = statements.find((st) => st.Sid === "CloudWatchPublishesAlarms");
      assert.deepEqual(cloudwatch?.Principal, { Service: "cloudwatch.amazonaws.com" });
      assert.deepEqual(cloudwatch?.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
      const topic = plan
        .ofType("aws:sns/topic:Topic")
        .find((t) => t.name === "observability-alarms")!;
      assert.ok(topic.dependencies.includes(key.urn), "the topic waits for its key");
    });

    it(`keeps ${system}'s receiver credentials secret in the plan`, () => {
      const plan = plans.get(system)!;
      assert.doesNotMatch(JSON.stringify(plan.report), /offline-secret-placeholder/);
      const secret = plan.inputs("kubernetes:core/v1:Secret", "observability-alertmanager-config");
      assert.equal((secret as { stringData: unknown }).stringData, "[secret]");
    });
  }

  it("routes seed 003's critical alerts to PagerDuty and e-mail, warnings to e-mail and Slack", async () => {
    const receivers = await rendered(exampleConfig("corporate-intel", "prod"));
    const critical = receivers.get("critical")!;
    const warning = receivers.get("warning")!;
    assert.deepEqual(
      critical.pagerduty_configs!.map((c) => c.routing_key),
      [placeholder("pagerdutyKey")],
    );
    assert.deepEqual(
      critical.email_configs!.map((c) => [c.to, c.from, c.smarthost, c.auth_password]),
      [
        [
          "incidents@example.com",
          "alerts@corporate-intel.example.com",
          "smtp.example.com:587",
          placeholder("emailPassword"),
        ],
      ],
    );
    assert.equal(critical.slack_configs, undefined);
    assert.deepEqual(
      warning.email_configs!.map((c) => c.to),
      ["incidents@example.com"],
    );
    assert.deepEqual(
      warning.slack_configs!.map((c) => [c.api_url, c.channel]),
      [[placeholder("slackWebhookUrl"), "#corporate-intel-incidents"]],
    );
    assert.equal(warning.pagerduty_configs, undefined);
  });

  it("routes seed 002's critical alerts to PagerDuty, its only channel", async () => {
    const receivers = await rendered(exampleConfig("travelsense", "prod"));
    assert.deepEqual(Object.keys(receivers.get("critical")!).sort(), ["name", "pagerduty_configs"]);
    assert.equal(
      receivers.get("critical")!.pagerduty_configs![0]!.routing_key,
      placeholder("pagerdutyKey"),
    );
  });

  for (const [system, address] of [
    ["enrichment", "oncall@enrichment.example.com"],
    ["microservices", "oncall@microservices.example.com"],
    ["company-directory", "oncall@directory.example.com"],
  ] as const) {
    it(`routes ${system}'s critical and warning alerts to the team's address, its seed naming no channel`, async () => {
      const receivers = await rendered(exampleConfig(system, "prod"));
      for (const name of ["critical", "warning"]) {
        assert.deepEqual(
          receivers.get(name)!.email_configs!.map((c) => c.to),
          [address],
          name,
        );
      }
    });
  }
});

/** The managed data services each example's seed names; the others stay off. */
const seedDataServices: Record<string, { search: boolean; queue: boolean }> = {
  enrichment: { search: true, queue: false },
  microservices: { search: true, queue: true },
  travelsense: { search: false, queue: true },
  "corporate-intel": { search: false, queue: false },
  "company-directory": { search: false, queue: false },
};

describe("Each prod example builds only the data services its seed names", function () {
  this.timeout(600_000);
  for (const [system, wanted] of Object.entries(seedDataServices)) {
    it(`${system}: OpenSearch ${wanted.search ? "on" : "off"}, SQS+SNS ${wanted.queue ? "on" : "off"}`, () => {
      const plan = planExample(system, "prod");
      assert.equal(plan.ofType("aws:opensearch/domain:Domain").length, wanted.search ? 1 : 0);
      assert.equal(plan.ofType("aws:sqs/queue:Queue").length, wanted.queue ? 2 : 0);
      assert.equal(
        plan
          .ofType("aws:sns/topic:Topic")
          .map((t) => t.name)
          .sort()
          .join(","),
        wanted.queue ? "notifications-topic,observability-alarms" : "observability-alarms",
      );
    });
  }
});
