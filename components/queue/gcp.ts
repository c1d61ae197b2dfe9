import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../gcp/labels";
import type { QueueArgs, QueueOutputs, QueueSettings } from "./index";

export interface PubSubQueueArgs extends QueueArgs {
  /** Region the key ring lives in and the only region Pub/Sub may store the messages in. */
  readonly region: string;
}

const day = 24 * 60 * 60;

/** Rotation period of the queue's Cloud KMS key: 90 days, as the buckets' key. */
export const queueKeyRotationPeriod = "7776000s";

/**
 * Pub/Sub's limits on the settings it receives: the ack deadline (the visibility timeout's
 * counterpart) from 10 to 600 seconds, a retry policy's backoff from 0 to 600 seconds,
 * delivery attempts before dead lettering from 5 to 100, and a subscription's message
 * retention at most 31 days.
 */
export const pubSubLimits = {
  ackDeadlineSeconds: { min: 10, max: 600 },
  backoffSeconds: { min: 0, max: 600 },
  maxDeliveryAttempts: { min: 5, max: 100 },
  retentionDays: { max: 31 },
} as const;

/** A setting Pub/Sub refuses, by its key in `QueueSettings`. */
export interface QueueSettingProblem {
  readonly key: keyof QueueSettings;
  readonly message: string;
}

/** The settings Pub/Sub would refuse, each with what it accepts; [] when all are valid. */
export function pubSubSettingProblems(settings: QueueSettings): QueueSettingProblem[] {
  const { ackDeadlineSeconds: ack, maxDeliveryAttempts: attempts } = pubSubLimits;
  const problems: QueueSettingProblem[] = [];
  const v = settings.visibilityTimeoutSeconds;
  if (v < ack.min || v > ack.max) {
    problems.push({
      key: "visibilityTimeoutSeconds",
      message: `${v} is outside Pub/Sub's ack deadline; expected seconds from ${ack.min} to ${ack.max} on target "gcp"`,
    });
  }
  const n = settings.maxReceiveCount;
  if (n < attempts.min || n > attempts.max) {
    problems.push({
      key: "maxReceiveCount",
      message: `${n} is outside Pub/Sub's delivery attempts before dead lettering; expected ${attempts.min} to ${attempts.max} on target "gcp"`,
    });
  }
  const delay = settings.redeliveryDelaySeconds;
  const backoff = pubSubLimits.backoffSeconds;
  if (delay < backoff.min || delay > backoff.max) {
    problems.push({
      key: "redeliveryDelaySeconds",
      message: `${delay} is outside Pub/Sub's retry backoff; expected seconds from ${backoff.min} to ${backoff.max} on target "gcp"`,
    });
  }
  for (const key of ["messageRetentionDays", "deadLetterRetentionDays"] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) {
      problems.push({
        key,
        message: `${settings[key]} is not a whole number of days, the platform's unit; expected 1 to ${pubSubLimits.retentionDays.max} days on target "gcp"`,
      });
    } else if (settings[key] > pubSubLimits.retentionDays.max) {
      problems.push({
        key,
        message: `${settings[key]} is longer than a Pub/Sub subscription keeps messages; expected at most ${pubSubLimits.retentionDays.max} days on target "gcp"`,
      });
    }
  }
  const outlived = retentionOutlivedBy(settings);
  if (problems.length === 0 && outlived > settings.messageRetentionDays * day) {
    problems.push({
      key: "messageRetentionDays",
      message: `${settings.messageRetentionDays} is shorter than ${n} deliveries can take (${outlived} s of ack deadlines and retry backoff at most): a message would expire, not be dead-lettered; expected at least ${Math.ceil(outlived / day)} days on target "gcp"`,
    });
  }
  return problems;
}

/**
 * The longest a message can stay in the queue before Pub/Sub dead-letters it, in seconds:
 * every delivery waits out its ack deadline and every redelivery the retry policy's largest
 * backoff. Retention counts from publishing, so a shorter one drops the message instead.
 */
function retentionOutlivedBy(settings: QueueSettings): number {
  const n = settings.maxReceiveCount;
  return n * settings.visibilityTimeoutSeconds + (n - 1) * pubSubLimits.backoffSeconds.max;
}

/** Pub/Sub's service agent of a project, which encrypts, forwards and dead-letters messages. */
export function pubSubServiceAgent(projectNumber: string): string {
  return `service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
}

/** A duration as Pub/Sub receives it, in seconds. */
const seconds = (days: number) => `${days * day}s`;

interface QueueKey {
  readonly key: gcp.kms.CryptoKey;
  /** The Pub/Sub service agent's encrypt/decrypt grant on the key. */
  readonly grant: gcp.kms.CryptoKeyIAMMember;
}

/**
 * The queue's key ring and key in the region, and the Pub/Sub service agent's grant on the
 * key: Pub/Sub refuses to create a topic with a key its agent cannot use. The agent is
 * generated first (`ServiceIdentity`): IAM refuses a grant to an account that does not exist.
 */
function createQueueKey(
  name: string,
  args: PubSubQueueArgs,
  agentMember: pulumi.Output<string>,
  parent: pulumi.Resource,
): QueueKey {
  const opts = { parent };
  const agent = new gcp.projects.ServiceIdentity(
    `${name}-pubsub-agent`,
    { service: "pubsub.googleapis.com" },
    opts,
  );
  // Key rings can never be deleted: an auto-name (random suffix) lets the stack be destroyed
  // and built again without a name clash.
  const keyRing = new gcp.kms.KeyRing(`${name}-keyring`, { location: args.region }, opts);
  const key = new gcp.kms.CryptoKey(
    `${name}-key`,
    {
      name: `${name}-key`,
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: queueKeyRotationPeriod,
      labels: gcpLabels(args.tags),
    },
    opts,
  );
  const grant = new gcp.kms.CryptoKeyIAMMember(
    `${name}-key-pubsub`,
    {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: agentMember,
    },
    { parent, dependsOn: [agent] },
  );
  return { key, grant };
}

/**
 * A Pub/Sub topic feeding a pull subscription (the queue), dead letters forwarded to a topic
 * of their own and kept by its subscription, the messages' data encrypted with the queue's
 * Cloud KMS key (Pub/Sub does not encrypt message attributes with it) and stored in the region
 * only. What the AWS queue's settings become here:
 * - `visibilityTimeoutSeconds`: the subscription's ack deadline;
 * - `messageRetentionDays`, `deadLetterRetentionDays`: the retention of the queue's and the
 *   dead letters' subscriptions;
 * - `maxReceiveCount`: the delivery attempts before a message is dead-lettered;
 * - `redeliveryDelaySeconds`: the queue's retry policy, from that backoff growing exponentially to 600 s;
 * - `receiveWaitTimeSeconds`: none; a pull waits for messages as a client asks it to.
 */
export function createGcpQueue(
  name: string,
  args: PubSubQueueArgs,
  parent: pulumi.Resource,
): QueueOutputs {
  const project = gcp.organizations.getProjectOutput({}, { parent });
  const agentMember = pulumi.interpolate`serviceAccount:${project.number.apply(pubSubServiceAgent)}`;
  const { key, grant } = createQueueKey(name, args, agentMember, parent);
  const labels = gcpLabels(args.tags);
  const topicArgs = {
    kmsKeyName: key.id,
    messageStoragePolicy: { allowedPersistenceRegions: [args.region] },
  };
  // Pub/Sub checks the key when a topic is created: the agent's grant comes first.
  const afterGrant = { parent, dependsOn: [grant] };
  const deadLetterTopic = new gcp.pubsub.Topic(
    `${name}-dlq-topic`,
    { ...topicArgs, labels: { ...labels, purpose: "dead-letter" } },
    afterGrant,
  );
  const topic = new gcp.pubsub.Topic(`${name}-topic`, { ...topicArgs, labels }, afterGrant);
  const deadLetters = createDeadLetters(name, args, deadLetterTopic, agentMember, parent);
  const queue = createSubscription(name, args, { topic, deadLetters, agentMember }, parent);
  return {
    queueUrl: queue.id,
    queueArn: queue.id,
    deadLetterQueueUrl: deadLetters.subscription.id,
    topicArn: topic.id,
    keyArn: key.id,
  };
}

/**
 * An expiration policy without a TTL: Pub/Sub otherwise deletes a subscription no one has
 * pulled from for 31 days, and a quiet queue (or its dead letters) with it.
 */
const neverExpires = { ttl: "" };

interface DeadLetters {
  readonly topic: gcp.pubsub.Topic;
  /** Keeps the dead letters: Pub/Sub drops what reaches a topic without a subscription. */
  readonly subscription: gcp.pubsub.Subscription;
  /** The Pub/Sub service agent's right to publish dead letters to the topic. */
  readonly publisher: gcp.pubsub.TopicIAMMember;
}

function createDeadLetters(
  name: string,
  args: PubSubQueueArgs,
  topic: gcp.pubsub.Topic,
  agentMember: pulumi.Output<string>,
  parent: pulumi.Resource,
): DeadLetters {
  const subscription = new gcp.pubsub.Subscription(
    `${name}-dlq`,
    {
      topic: topic.id,
      ackDeadlineSeconds: args.visibilityTimeoutSeconds,
      messageRetentionDuration: seconds(args.deadLetterRetentionDays),
      expirationPolicy: neverExpires,
      labels: { ...gcpLabels(args.tags), purpose: "dead-letter" },
    },
    { parent },
  );
  const publisher = new gcp.pubsub.TopicIAMMember(
    `${name}-dlq-publisher`,
    { topic: topic.id, role: "roles/pubsub.publisher", member: agentMember },
    { parent },
  );
  return { topic, subscription, publisher };
}

/**
 * The queue: a pull subscription of the topic that dead-letters a message after
 * `maxReceiveCount` deliveries. Pub/Sub's agent acknowledges the message on the queue when it
 * forwards it, so it is granted subscriber on the queue, and publisher on the dead letters'
 * topic before the queue forwards anything.
 */
function createSubscription(
  name: string,
  args: PubSubQueueArgs,
  from: {
    topic: gcp.pubsub.Topic;
    deadLetters: DeadLetters;
    agentMember: pulumi.Output<string>;
  },
  parent: pulumi.Resource,
): gcp.pubsub.Subscription {
  const { deadLetters } = from;
  const queue = new gcp.pubsub.Subscription(
    `${name}-queue`,
    {
      topic: from.topic.id,
      ackDeadlineSeconds: args.visibilityTimeoutSeconds,
      messageRetentionDuration: seconds(args.messageRetentionDays),
      expirationPolicy: neverExpires,
      deadLetterPolicy: {
        deadLetterTopic: deadLetters.topic.id,
        maxDeliveryAttempts: args.maxReceiveCount,
      },
      // Without a retry policy Pub/Sub redelivers a message given back at once.
      retryPolicy: {
        minimumBackoff: `${args.redeliveryDelaySeconds}s`,
        maximumBackoff: `${pubSubLimits.backoffSeconds.max}s`,
      },
      labels: gcpLabels(args.tags),
    },
    { parent, dependsOn: [deadLetters.subscription, deadLetters.publisher] },
  );
  new gcp.pubsub.SubscriptionIAMMember(
    `${name}-queue-subscriber`,
    { subscription: queue.id, role: "roles/pubsub.subscriber", member: from.agentMember },
    { parent },
  );
  return queue;
}
