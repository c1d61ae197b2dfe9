import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { ComponentError, refuseArgs } from "../errors";
import { unsupportedTarget, unsupportedTargetProblem } from "../unsupported";
import { createAwsQueue } from "./aws";
import { createGcpQueue, pubSubSettingProblems } from "./gcp";

const queueTargets = ["aws", "gcp"] as const;
const pubSubRegionRequired = 'region is required on target "gcp" (e.g. "us-central1")';

/**
 * The Queue contract: the notification path of seed 001 (services publish to a topic, a
 * worker consumes a queue subscribed to it), with a dead-letter queue for poison messages.
 */
export interface QueueSettings {
  /** Seconds a received message stays invisible to other consumers. @default 30 */
  readonly visibilityTimeoutSeconds: number;
  /** Days an unconsumed message is kept. @default 4 */
  readonly messageRetentionDays: number;
  /** Days a message is kept in the dead-letter queue. @default 14 (the SQS maximum) */
  readonly deadLetterRetentionDays: number;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount: number;
  /**
   * Seconds a receive waits for a message to arrive (SQS long polling, 0-20): the workers of
   * seeds 001 and 002 poll the queue all day, and a receive that waits is answered as soon as a
   * message lands instead of returning empty and being paid for. 0 returns at once. Pub/Sub
   * has no counterpart on target "gcp": a pull waits as long as its client asks.
   * @default 20 (the SQS maximum)
   */
  readonly receiveWaitTimeSeconds: number;
  /**
   * Seconds before a message a consumer gave back (or whose ack deadline ran out) is delivered
   * again, 0-600: Pub/Sub's retry policy's minimum backoff on target "gcp", growing exponentially
   * (best effort) up to 600 s. Without it Pub/Sub redelivers at once, so a failing consumer spins
   * through `maxReceiveCount` in seconds. On "aws" the visibility timeout plays this role (SQS
   * redelivers when it runs out), and this setting is not read.
   * @default 10 on every tier (Pub/Sub's own minimum backoff when a retry policy is set)
   */
  readonly redeliveryDelaySeconds: number;
}

const common: QueueSettings = {
  visibilityTimeoutSeconds: 30,
  messageRetentionDays: 4,
  deadLetterRetentionDays: 14,
  maxReceiveCount: 5,
  receiveWaitTimeSeconds: 20,
  redeliveryDelaySeconds: 10,
};

export const queueDefaults: PerTier<QueueSettings> = {
  dev: common,
  staging: common,
  prod: common,
};

/**
 * Whether a stack builds the notification queue (SQS + SNS) unless its config says otherwise:
 * opt-in on every tier, since only some systems use one (seeds 001 and 002 do). @default false
 */
export const queueEnabledDefaults: PerTier<boolean> = { dev: false, staging: false, prod: false };

export interface QueueArgs extends QueueSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Pub/Sub only: region of the queue's key ring and the only region its messages are stored
   * in; required on target "gcp". Ignored elsewhere (SQS lives in the provider's region).
   */
  readonly region?: string;
}

export interface QueueOutputs {
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;
  /** ARN of the KMS key the topic and queues are encrypted with. */
  readonly keyArn: pulumi.Output<string>;
}

/**
 * What the Queue refuses, one line per problem: a target it has no implementation for, and on
 * "gcp" a missing region or a setting outside Pub/Sub's limits. The stack config reports the
 * Pub/Sub limits by key before this runs (config/data-services.ts).
 */
export function queueArgProblems(args: QueueArgs): string[] {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return [];
    case "gcp":
      return [
        ...(args.region === undefined ? [pubSubRegionRequired] : []),
        ...pubSubSettingProblems(args).map((p) => `${p.key}: ${p.message}`),
      ];
    default:
      return [unsupportedTargetProblem(placement, queueTargets)];
  }
}

/** An encrypted topic feeding an encrypted queue with a dead-letter queue. */
export class Queue extends pulumi.ComponentResource implements QueueOutputs {
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: QueueArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Queue", name, queueArgProblems(args));
    super("platform:index:Queue", name, {}, opts);
    const built = build(name, args, this);
    this.queueUrl = built.queueUrl;
    this.queueArn = built.queueArn;
    this.deadLetterQueueUrl = built.deadLetterQueueUrl;
    this.topicArn = built.topicArn;
    this.keyArn = built.keyArn;
    this.registerOutputs({
      keyArn: this.keyArn,
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      topicArn: this.topicArn,
    });
  }
}

function build(name: string, args: QueueArgs, parent: pulumi.Resource): QueueOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsQueue(name, args, parent);
    case "gcp":
      if (args.region === undefined)
        throw new ComponentError("Queue", name, [pubSubRegionRequired]);
      return createGcpQueue(name, { ...args, region: args.region }, parent);
    default:
      throw unsupportedTarget("Queue", name, placement, queueTargets);
  }
}
