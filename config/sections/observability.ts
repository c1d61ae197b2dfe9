import { z } from "zod";
import type { Target, Tier } from "../tiers";

/** Retention values CloudWatch Logs accepts, days. */
export const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const secretText = z.string().min(1, { error: "is empty; expected the key or URL" });

export const alertingSection = z
  .object({
    /** PagerDuty Events v2 integration key (secret). */
    pagerdutyKey: secretText.optional(),
    /** PagerDuty Amazon CloudWatch integration key, for the managed alarms (secret). */
    pagerdutyCloudwatchKey: secretText.optional(),
    /**
     * Slack incoming webhook (secret). Opaque like the other credentials: the offline plan
     * cannot decrypt it, so its form is not checked here.
     */
    slackWebhookUrl: secretText.optional(),
    slackChannel: z
      .string()
      .regex(/^#[a-z0-9_-]+$/, { error: 'is not a Slack channel; expected e.g. "#alerts"' })
      .optional(),
    emailTo: z.email({ error: "is not an email address" }).optional(),
    emailFrom: z.email({ error: "is not an email address" }).optional(),
    emailSmarthost: z
      .string()
      .regex(/^[a-z0-9.-]+:\d{2,5}$/, {
        error: 'is not "host:port"; expected e.g. smtp.example.com:587',
      })
      .optional(),
    emailUsername: z.string().min(1).optional(),
    /** SMTP password (secret). */
    emailPassword: secretText.optional(),
  })
  .strict();

export const observabilitySection = z
  .object({
    alerting: alertingSection.optional(),
    /** Prometheus retention, e.g. "15d". */
    metricsRetention: z
      .string()
      .regex(/^\d+[hdw]$/, { error: 'is not a Prometheus retention; expected e.g. "15d" or "48h"' })
      .optional(),
    /** Days container logs are kept in the cloud's log store. */
    logRetentionDays: z
      .number()
      .refine((d) => (logRetentionDays as readonly number[]).includes(d), {
        error: `is not a CloudWatch Logs retention; expected one of ${logRetentionDays.join(", ")}`,
      })
      .optional(),
    /** Days the ingress controller's access logs are kept (their own log group on aws). */
    accessLogRetentionDays: z
      .number()
      .refine((d) => (logRetentionDays as readonly number[]).includes(d), {
        error: `is not a CloudWatch Logs retention; expected one of ${logRetentionDays.join(", ")}`,
      })
      .optional(),
    /** CloudWatch alarms on the managed database and cache. */
    managedAlarms: z.boolean({ error: "is not a boolean; expected true or false" }).optional(),
    /** Exporters for data services running in the cluster (local target). */
    inClusterExporters: z.boolean({ error: "is not a boolean; expected true or false" }).optional(),
  })
  .strict();

export type ObservabilitySection = z.output<typeof observabilitySection>;

/** Where a stack's alerts can go, as the program resolves it. */
export interface AlertingContext {
  readonly tier: Tier;
  readonly target: Target;
  /** Alarms on the managed data services, resolved over the tier's default. */
  readonly managedAlarms: boolean;
  readonly alerting?: z.output<typeof alertingSection>;
}

const alertingKey = "platform:observability.alerting";

/**
 * Receivers that cannot deliver, or alerts that would reach nobody:
 * - Alertmanager refuses an e-mail receiver without a sender and an SMTP relay ("no global
 *   SMTP smarthost set"), and then loads no configuration at all;
 * - prod pages or mails someone on critical alerts;
 * - prod's CloudWatch alarm topic on aws has a subscriber;
 * - the Cloud Monitoring policies on gcp have a notification channel.
 */
export function alertingProblems(ctx: AlertingContext): string[] {
  const a = ctx.alerting ?? {};
  const problems: string[] = [];
  if (a.emailTo !== undefined) {
    for (const key of ["emailFrom", "emailSmarthost"] as const) {
      if (a[key] === undefined) {
        problems.push(
          `${alertingKey}.${key}: (missing) is required with emailTo; Alertmanager refuses an e-mail receiver without a sender and an SMTP relay, expected e.g. ${key === "emailFrom" ? "alerts@example.com" : "smtp.example.com:587"}`,
        );
      }
    }
  }
  const email = a.emailTo !== undefined;
  if (ctx.tier === "prod" && a.pagerdutyKey === undefined && !email) {
    problems.push(
      `${alertingKey}: (missing) a prod stack needs a receiver for critical alerts, or they reach nobody; set pagerdutyKey (a secret: a PagerDuty Events v2 integration key) or emailTo with emailFrom and emailSmarthost`,
    );
  }
  if (
    ctx.tier === "prod" &&
    ctx.target === "aws" &&
    ctx.managedAlarms &&
    a.pagerdutyCloudwatchKey === undefined &&
    !email
  ) {
    problems.push(
      `${alertingKey}: (missing) the CloudWatch alarms of a prod stack on aws notify an SNS topic with no subscriber; set pagerdutyCloudwatchKey (a secret: a PagerDuty Amazon CloudWatch integration key) or emailTo (an e-mail subscription), or platform:observability.managedAlarms false`,
    );
  }
  if (ctx.target === "gcp" && ctx.managedAlarms && a.pagerdutyKey === undefined && !email) {
    problems.push(
      `${alertingKey}: (missing) the Cloud Monitoring alert policies on gcp have no notification channel; set pagerdutyKey (a secret) or emailTo, or platform:observability.managedAlarms false`,
    );
  }
  return problems;
}
