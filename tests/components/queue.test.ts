import { strict as assert } from "node:assert";
import { Queue, queueDefaults } from "../../components/queue";
import { dataKeyReuseSeconds } from "../../components/queue/aws";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, policy, tags } from "./support";

const queueType = "aws:sqs/queue:Queue";
const day = 86_400;

describe("Queue on aws in prod", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Queue("notifications", {
      ...queueDefaults.prod,
      tier: "prod",
      placement: awsPlacement(),
      tags,
    });
    await settle();
  });
  const key = () => recorded.one("aws:kms/key:Key", "notifications-key");
  const queue = () => recorded.one(queueType, "notifications-queue");
  const deadLetters = () => recorded.one(queueType, "notifications-dlq");

  it("encrypts the queue, its dead-letter queue and the topic with one customer key", () => {
    for (const q of [queue(), deadLetters()]) {
      assert.equal(recorded.inputs(q).kmsMasterKeyId, key().outputs.arn);
      assert.equal(recorded.inputs(q).kmsDataKeyReusePeriodSeconds, dataKeyReuseSeconds);
    }
    const topic = recorded.one("aws:sns/topic:Topic", "notifications-topic");
    assert.equal(recorded.inputs(topic).kmsMasterKeyId, key().outputs.arn);
  });

  it("lets SNS use the key, and rotates it", () => {
    const inputs = recorded.inputs(key());
    assert.equal(inputs.enableKeyRotation, true);
    const services = policy(inputs.policy).Statement.find((s) => s.Sid === "ServicesUse");
    assert.deepEqual(services?.Principal, { Service: ["sns.amazonaws.com"] });
  });

  it("moves a message to the dead-letter queue after 5 receives", () => {
    const redrive = JSON.parse(recorded.inputs(queue()).redrivePolicy as string) as unknown;
    assert.deepEqual(redrive, {
      deadLetterTargetArn: deadLetters().outputs.arn,
      maxReceiveCount: 5,
    });
  });

  it("keeps messages 4 days and dead letters 14 days", () => {
    assert.equal(recorded.inputs(queue()).messageRetentionSeconds, 4 * day);
    assert.equal(recorded.inputs(queue()).visibilityTimeoutSeconds, 30);
    assert.equal(recorded.inputs(deadLetters()).messageRetentionSeconds, 14 * day);
  });

  it("answers receives by long polling for 20 seconds; the dead-letter queue, which no worker polls, does not", () => {
    assert.equal(recorded.inputs(queue()).receiveWaitTimeSeconds, 20);
    assert.equal(recorded.inputs(deadLetters()).receiveWaitTimeSeconds, undefined);
  });

  it("admits deliveries from its own topic only, and refuses plain HTTP", () => {
    const queuePolicy = recorded.one(
      "aws:sqs/queuePolicy:QueuePolicy",
      "notifications-queue-policy",
    );
    const statements = policy(recorded.inputs(queuePolicy).policy).Statement;
    const topicArn = recorded.one("aws:sns/topic:Topic", "notifications-topic").outputs.arn;
    assert.deepEqual(statements, [
      {
        Sid: "TopicDelivers",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queue().outputs.arn,
        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queue().outputs.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("subscribes the queue to the topic with raw delivery, after the queue admits it", () => {
    const subscription = recorded.one(
      "aws:sns/topicSubscription:TopicSubscription",
      "notifications-subscription",
    );
    assert.deepEqual(recorded.inputs(subscription), {
      topic: recorded.one("aws:sns/topic:Topic", "notifications-topic").outputs.arn,
      protocol: "sqs",
      endpoint: queue().outputs.arn,
      rawMessageDelivery: true,
    });
    const queuePolicy = recorded.one(
      "aws:sqs/queuePolicy:QueuePolicy",
      "notifications-queue-policy",
    );
    assert.ok(subscription.dependencies.includes(queuePolicy.urn));
  });

  it("lets only its own queue redrive into the dead-letter queue", () => {
    const allow = recorded.one(
      "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
      "notifications-dlq-redrive-allow",
    );
    assert.deepEqual(JSON.parse(recorded.inputs(allow).redriveAllowPolicy as string), {
      redrivePermission: "byQueue",
      sourceQueueArns: [queue().outputs.arn],
    });
  });
});

describe("Queue on aws with receiveWaitTimeSeconds 0", () => {
  it("returns each receive at once", async () => {
    const recorded = useMocks();
    new Queue("notifications", {
      ...queueDefaults.staging,
      receiveWaitTimeSeconds: 0,
      tier: "staging",
      placement: awsPlacement(),
      tags,
    });
    await settle();
    const queue = recorded.one(queueType, "notifications-queue");
    assert.equal(recorded.inputs(queue).receiveWaitTimeSeconds, 0);
  });
});
