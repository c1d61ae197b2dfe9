import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createServiceKey } from "../aws/kms";
import type { QueueArgs, QueueOutputs } from "./index";

const day = 24 * 60 * 60;
/** Seconds SQS reuses a data key before asking KMS again. */
export const dataKeyReuseSeconds = 300;

/**
 * SNS topic -> SQS queue -> dead-letter queue, all encrypted with one customer KMS key that
 * SNS may use. The queue's policy admits this topic alone, over TLS only.
 */
export function createAwsQueue(
  name: string,
  args: QueueArgs,
  parent: pulumi.Resource,
): QueueOutputs {
  const opts = { parent };
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

  const key = createServiceKey(
    `${name}-key`,
    {
      description: `${identifier}: notification topic and queues`,
      servicePrincipals: ["sns.amazonaws.com"],
      protect: false,
      tags: args.tags,
    },
    opts,
  );
  const encryption = { kmsMasterKeyId: key.arn, kmsDataKeyReusePeriodSeconds: dataKeyReuseSeconds };

  const deadLetters = new aws.sqs.Queue(
    `${name}-dlq`,
    {
      ...encryption,
      messageRetentionSeconds: args.deadLetterRetentionDays * day,
      tags: { ...args.tags, Purpose: "dead-letter" },
    },
    opts,
  );
  const queue = new aws.sqs.Queue(
    `${name}-queue`,
    {
      ...encryption,
      visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
      messageRetentionSeconds: args.messageRetentionDays * day,
      receiveWaitTimeSeconds: args.receiveWaitTimeSeconds,
      redrivePolicy: pulumi.jsonStringify({
        deadLetterTargetArn: deadLetters.arn,
        maxReceiveCount: args.maxReceiveCount,
      }),
      tags: args.tags,
    },
    opts,
  );
  new aws.sqs.RedriveAllowPolicy(
    `${name}-dlq-redrive-allow`,
    {
      queueUrl: deadLetters.url,
      redriveAllowPolicy: pulumi.jsonStringify({
        redrivePermission: "byQueue",
        sourceQueueArns: [queue.arn],
      }),
    },
    opts,
  );

  const topic = new aws.sns.Topic(
    `${name}-topic`,
    { kmsMasterKeyId: key.arn, tags: args.tags },
    opts,
  );
  const queuePolicy = new aws.sqs.QueuePolicy(
    `${name}-queue-policy`,
    {
      queueUrl: queue.url,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "TopicDelivers",
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": topic.arn } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: queue.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    opts,
  );
  new aws.sns.TopicSubscription(
    `${name}-subscription`,
    { topic: topic.arn, protocol: "sqs", endpoint: queue.arn, rawMessageDelivery: true },
    { parent, dependsOn: [queuePolicy] },
  );

  return {
    queueUrl: queue.url,
    queueArn: queue.arn,
    deadLetterQueueUrl: deadLetters.url,
    topicArn: topic.arn,
    keyArn: key.arn,
  };
}
