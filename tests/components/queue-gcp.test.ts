import { strict as assert } from "node:assert";
import { apiOfResourceType, gcpApisFor } from "../../components/gcp/apis";
import { buildsQueue } from "../../compose/gcp";
import { parseStackConfig } from "../../config";
import { source } from "../support/config";
import type { GcpPlacement } from "../../components/placement";
import {
  Queue,
  queueDefaults,
  type QueueOutputs,
  type QueueSettings,
} from "../../components/queue";
import { pubSubSettingProblems, queueKeyRotationPeriod } from "../../components/queue/gcp";
import { ServiceIdentity } from "../../components/service-identity";
import type { ServiceUses } from "../../components/workloads";
import { mockGcpProjectNumber } from "../../tools/plan/mocks";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { tags } from "./support";

const placement: GcpPlacement = { target: "gcp", networkId: "projects/p/global/networks/n" };
const topicType = "gcp:pubsub/topic:Topic";
const subscriptionType = "gcp:pubsub/subscription:Subscription";
const agent = `serviceAccount:service-${mockGcpProjectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
const labels = { project: "platform", stack: "test", "managed-by": "pulumi" };

function queueOnGcp(settings: Partial<QueueSettings> = {}, region?: string): Queue {
  return new Queue("notifications", {
    ...queueDefaults.staging,
    ...settings,
    tier: "staging",
    placement,
    tags,
    ...(region !== undefined && { region }),
  });
}

describe("Queue on gcp in staging", () => {
  let recorded: Recorded;
  let queue: QueueOutputs;
  before(async () => {
    recorded = useMocks();
    queue = queueOnGcp({}, "europe-west1");
    await settle();
  });
  const one = (type: string, name: string) => recorded.one(type, name);
  const key = () => one("gcp:kms/cryptoKey:CryptoKey", "notifications-key");
  const keyGrant = () =>
    one("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "notifications-key-pubsub");
  const topic = () => one(topicType, "notifications-topic");
  const deadLetterTopic = () => one(topicType, "notifications-dlq-topic");
  const subscription = () => one(subscriptionType, "notifications-queue");
  const deadLetters = () => one(subscriptionType, "notifications-dlq");

  it("keeps its key in a key ring of the region, rotated every 90 days", () => {
    const ring = one("gcp:kms/keyRing:KeyRing", "notifications-keyring");
    assert.deepEqual(recorded.inputs(ring), { location: "europe-west1" });
    assert.deepEqual(recorded.inputs(key()), {
      name: "notifications-key",
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: queueKeyRotationPeriod,
      labels,
    });
    assert.equal(queueKeyRotationPeriod, `${90 * 86_400}s`);
  });

  it("generates the Pub/Sub service agent, then grants it encrypt/decrypt on the key", () => {
    const identity = one(
      "gcp:projects/serviceIdentity:ServiceIdentity",
      "notifications-pubsub-agent",
    );
    assert.deepEqual(recorded.inputs(identity), { service: "pubsub.googleapis.com" });
    assert.deepEqual(recorded.inputs(keyGrant()), {
      cryptoKeyId: key().id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: agent,
    });
    assert.ok(keyGrant().dependencies.includes(identity.urn));
  });

  it("encrypts the topic and the dead letters' topic with the key, once the agent may use it, and stores messages in the region only", () => {
    for (const t of [topic(), deadLetterTopic()]) {
      const inputs = recorded.inputs(t);
      assert.equal(inputs.kmsKeyName, key().id, t.name);
      assert.deepEqual(
        inputs.messageStoragePolicy,
        { allowedPersistenceRegions: ["europe-west1"] },
        t.name,
      );
      assert.ok(t.dependencies.includes(keyGrant().urn), `${t.name} is created before the grant`);
    }
    assert.deepEqual(recorded.inputs(topic()).labels, labels);
    assert.deepEqual(recorded.inputs(deadLetterTopic()).labels, {
      ...labels,
      purpose: "dead-letter",
    });
  });

  it("pulls from the topic with a 30-second ack deadline, keeps messages 4 days, and never expires", () => {
    assert.deepEqual(recorded.inputs(subscription()), {
      topic: topic().id,
      ackDeadlineSeconds: 30,
      messageRetentionDuration: `${4 * 86_400}s`,
      expirationPolicy: { ttl: "" },
      deadLetterPolicy: { deadLetterTopic: deadLetterTopic().id, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      labels,
    });
  });

  it("keeps dead letters 14 days in a subscription of the dead letters' topic", () => {
    assert.deepEqual(recorded.inputs(deadLetters()), {
      topic: deadLetterTopic().id,
      ackDeadlineSeconds: 30,
      messageRetentionDuration: `${14 * 86_400}s`,
      expirationPolicy: { ttl: "" },
      labels: { ...labels, purpose: "dead-letter" },
    });
  });

  it("lets the Pub/Sub agent publish to the dead letters' topic before the queue forwards anything", () => {
    const publisher = one(
      "gcp:pubsub/topicIAMMember:TopicIAMMember",
      "notifications-dlq-publisher",
    );
    assert.deepEqual(recorded.inputs(publisher), {
      topic: deadLetterTopic().id,
      role: "roles/pubsub.publisher",
      member: agent,
    });
    assert.ok(subscription().dependencies.includes(publisher.urn));
    assert.ok(subscription().dependencies.includes(deadLetters().urn));
  });

  it("lets the Pub/Sub agent acknowledge what it dead-letters on the queue", () => {
    const subscriber = one(
      "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
      "notifications-queue-subscriber",
    );
    assert.deepEqual(recorded.inputs(subscriber), {
      subscription: subscription().id,
      role: "roles/pubsub.subscriber",
      member: agent,
    });
  });

  it("answers with the subscription as the queue, the topic, the dead letters' subscription and the key", async () => {
    assert.equal((await resolve(queue.queueUrl)).value, subscription().id);
    assert.equal((await resolve(queue.queueArn)).value, subscription().id);
    assert.equal((await resolve(queue.topicArn)).value, topic().id);
    assert.equal((await resolve(queue.deadLetterQueueUrl)).value, deadLetters().id);
    assert.equal((await resolve(queue.keyArn)).value, key().id);
  });

  it("parents every resource to the component and names it after it", () => {
    const component = recorded.one("platform:index:Queue", "notifications");
    const children = recorded.all.filter((r) => r.type.startsWith("gcp:"));
    assert.equal(children.length, 10);
    for (const r of children) {
      assert.equal(r.parent, component.urn, r.name);
      assert.match(r.name, /^notifications-/);
    }
  });
});

describe("Queue on gcp with redeliveryDelaySeconds 60", () => {
  it("waits a minute before giving a returned message out again, backing off up to 600 s", async () => {
    const recorded = useMocks();
    queueOnGcp({ redeliveryDelaySeconds: 60 }, "europe-west1");
    await settle();
    const queue = recorded.all.find((r) => r.name === "notifications-queue");
    assert.ok(queue);
    assert.deepEqual(recorded.inputs(queue).retryPolicy, {
      minimumBackoff: "60s",
      maximumBackoff: "600s",
    });
  });
});

describe("Queue on gcp: settings Pub/Sub refuses", () => {
  let recorded: Recorded;
  beforeEach(() => (recorded = useMocks()));

  it("refuses a queue without a region, before registering anything", () => {
    assert.throws(() => queueOnGcp(), {
      name: "ComponentError",
      message:
        'Queue notifications: invalid args:\n  - region is required on target "gcp" (e.g. "us-central1")',
    });
    assert.equal(recorded.all.length, 0);
  });

  it("refuses an ack deadline under 10 seconds and fewer than 5 delivery attempts, naming both", () => {
    assert.throws(
      () => queueOnGcp({ visibilityTimeoutSeconds: 5, maxReceiveCount: 3 }, "europe-west1"),
      {
        name: "ComponentError",
        message:
          "Queue notifications: invalid args:\n" +
          '  - visibilityTimeoutSeconds: 5 is outside Pub/Sub\'s ack deadline; expected seconds from 10 to 600 on target "gcp"\n' +
          '  - maxReceiveCount: 3 is outside Pub/Sub\'s delivery attempts before dead lettering; expected 5 to 100 on target "gcp"',
      },
    );
  });

  it("refuses a redelivery backoff past Pub/Sub's 600 seconds, before registering anything", () => {
    assert.throws(() => queueOnGcp({ redeliveryDelaySeconds: 601 }, "europe-west1"), {
      name: "ComponentError",
      message:
        "Queue notifications: invalid args:\n" +
        '  - redeliveryDelaySeconds: 601 is outside Pub/Sub\'s retry backoff; expected seconds from 0 to 600 on target "gcp"',
    });
    assert.equal(recorded.all.length, 0);
  });

  it("accepts every tier's defaults", () => {
    for (const tier of ["dev", "staging", "prod"] as const) {
      assert.deepEqual(pubSubSettingProblems(queueDefaults[tier]), [], tier);
    }
  });

  it("refuses a retention of no whole day, under what a subscription keeps", () => {
    assert.deepEqual(pubSubSettingProblems({ ...queueDefaults.prod, messageRetentionDays: 0 }), [
      {
        key: "messageRetentionDays",
        message:
          '0 is not a whole number of days, the platform\'s unit; expected 1 to 31 days on target "gcp"',
      },
    ]);
  });

  it("refuses a retention a message outlives before it can be dead-lettered", () => {
    const slow = {
      ...queueDefaults.prod,
      messageRetentionDays: 1,
      maxReceiveCount: 100,
      visibilityTimeoutSeconds: 600,
    };
    assert.deepEqual(pubSubSettingProblems(slow), [
      {
        key: "messageRetentionDays",
        message:
          '1 is shorter than 100 deliveries can take (119400 s of ack deadlines and retry backoff at most): a message would expire, not be dead-lettered; expected at least 2 days on target "gcp"',
      },
    ]);
    assert.deepEqual(pubSubSettingProblems({ ...slow, messageRetentionDays: 2 }), []);
  });

  it("refuses retention past a subscription's 31 days", () => {
    assert.deepEqual(
      pubSubSettingProblems({ ...queueDefaults.prod, deadLetterRetentionDays: 32 }).map(
        (p) => p.key,
      ),
      ["deadLetterRetentionDays"],
    );
  });
});

describe("Queue on gcp: the API it needs", () => {
  it("serves topics, subscriptions and their IAM from pubsub.googleapis.com", () => {
    for (const type of [
      topicType,
      subscriptionType,
      "gcp:pubsub/topicIAMMember:TopicIAMMember",
      "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    ]) {
      assert.equal(apiOfResourceType(type), "pubsub.googleapis.com", type);
    }
  });

  it("enables pubsub.googleapis.com on a site that builds the queue, and only then", () => {
    const site = { database: false, cache: false, objectStore: false, backupTransfer: false };
    assert.ok(gcpApisFor({ ...site, queue: true }).includes("pubsub.googleapis.com"));
    assert.ok(!gcpApisFor(site).includes("pubsub.googleapis.com"));
  });
});

describe("ServiceIdentity on gcp with the queue", () => {
  const subscription = "projects/platform-staging/subscriptions/notifications-queue-1a2b3c";
  const topic = "projects/platform-staging/topics/notifications-topic-1a2b3c";

  async function grantsFor(uses: ServiceUses): Promise<Record<string, unknown>[]> {
    const recorded = useMocks();
    new ServiceIdentity("identity-worker", {
      clusterName: "platform-staging",
      namespace: "production",
      serviceAccount: "worker",
      uses,
      cloud: {
        target: "gcp",
        project: "platform-staging",
        buckets: {},
        poolReady: [],
        subscription,
        topic,
      },
      tags,
    });
    await settle();
    const grants = recorded.all
      .filter((r) => r.type.startsWith("gcp:pubsub/"))
      .map((r) => ({ type: r.type, name: r.name, ...recorded.inputs(r) }));
    return grants;
  }
  const member = "serviceAccount:platform-staging-worker@platform-staging.iam.gserviceaccount.com";

  it("lets a consumer of the queue subscribe to its subscription, and nothing else", async () => {
    const grants = await grantsFor({ buckets: {}, queue: "read" });
    assert.deepEqual(grants, [
      {
        type: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
        name: "identity-worker-queue",
        subscription,
        role: "roles/pubsub.subscriber",
        member,
      },
    ]);
  });

  it("lets a sender to the queue or a publisher to the topic publish to the topic, once", async () => {
    const grants = await grantsFor({ buckets: {}, queue: "write", topic: "write" });
    assert.deepEqual(grants, [
      {
        type: "gcp:pubsub/topicIAMMember:TopicIAMMember",
        name: "identity-worker-topic",
        topic,
        role: "roles/pubsub.publisher",
        member,
      },
    ]);
  });

  it("grants a service that uses no messaging no Pub/Sub role", async () => {
    const grants = await grantsFor({ buckets: {} });
    assert.deepEqual(grants, []);
  });

  it("refuses a consumer and a publisher when no queue or topic was passed, before registering anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        new ServiceIdentity("identity-worker", {
          clusterName: "platform-staging",
          namespace: "production",
          serviceAccount: "worker",
          uses: { buckets: {}, queue: "readwrite" },
          cloud: { target: "gcp", project: "platform-staging", buckets: {}, poolReady: [] },
          tags,
        }),
      {
        name: "ComponentError",
        message:
          "ServiceIdentity identity-worker: invalid args:\n" +
          "  - uses the queue, which no resource was passed for\n" +
          "  - uses the topic, which no resource was passed for",
      },
    );
    assert.equal(recorded.all.length, 0);
  });
});

describe("Queue on gcp: which site builds it", () => {
  const stack = (target: "aws" | "gcp") =>
    parseStackConfig(
      source({
        tier: "prod",
        target,
        ...(target === "aws"
          ? { aws: { region: "us-east-1", replicaRegion: "us-west-2" }, standby: "gcp" }
          : { backup: { enabled: false } }),
        gcp: { project: "platform-prod", region: "us-central1" },
        queue: { enabled: true },
      }),
    );

  it("a GCP primary builds the queue the stack asks for", () => {
    assert.equal(buildsQueue(stack("gcp"), false), true);
  });

  it("the GCP standby of an AWS primary builds none: its services' queue is the primary's", () => {
    assert.equal(buildsQueue(stack("aws"), true), false);
  });
});
