import * as pulumi from "@pulumi/pulumi";
import { observabilityDefaults } from "../components/observability";
import type { PlatformConfig } from "./platform-config";
import type { StackConfig } from "./schema";

/** The observability settings over the tier's defaults, and the alert receivers as secrets. */
export function resolveObservability(cfg: StackConfig): PlatformConfig["observability"] {
  const o = cfg.observability;
  const a = o?.alerting;
  const secret = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
  return {
    settings: {
      ...observabilityDefaults[cfg.tier],
      ...(o?.metricsRetention !== undefined && { metricsRetention: o.metricsRetention }),
      ...(o?.logRetentionDays !== undefined && { logRetentionDays: o.logRetentionDays }),
      ...(o?.managedAlarms !== undefined && { managedAlarms: o.managedAlarms }),
      ...(o?.accessLogRetentionDays !== undefined && {
        accessLogRetentionDays: o.accessLogRetentionDays,
      }),
    },
    inClusterExporters: o?.inClusterExporters ?? cfg.target === "local",
    receivers: {
      pagerdutyKey: secret(a?.pagerdutyKey),
      pagerdutyCloudwatchKey: secret(a?.pagerdutyCloudwatchKey),
      slackWebhookUrl: secret(a?.slackWebhookUrl),
      emailPassword: secret(a?.emailPassword),
      slackChannel: a?.slackChannel,
      emailTo: a?.emailTo,
      emailFrom: a?.emailFrom,
      emailSmarthost: a?.emailSmarthost,
      emailUsername: a?.emailUsername,
    },
  };
}
