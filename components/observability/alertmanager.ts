import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { ObservabilityContext } from "./index";

/** Secret the Alertmanager reads its whole configuration from (key `alertmanager.yaml`). */
export const alertmanagerConfigSecretName = "alertmanager-platform-config";

/** Receiver settings with the secrets resolved; only ever handled inside a secret Output. */
export interface ResolvedReceivers {
  readonly pagerdutyKey?: string;
  readonly slackWebhookUrl?: string;
  readonly slackChannel?: string;
  readonly emailTo?: string;
  readonly emailFrom?: string;
  readonly emailSmarthost?: string;
  readonly emailUsername?: string;
  readonly emailPassword?: string;
}

/**
 * Seed 003's notification channels: critical pages on-call (PagerDuty) and mails the team,
 * warning mails the team and posts to Slack, info goes to Slack only. The always-firing
 * Watchdog alert of the chart's default rules goes nowhere.
 */
export function alertmanagerConfig(r: ResolvedReceivers): Record<string, unknown> {
  const email =
    r.emailTo === undefined
      ? []
      : [
          {
            to: r.emailTo,
            ...(r.emailFrom !== undefined && { from: r.emailFrom }),
            ...(r.emailSmarthost !== undefined && { smarthost: r.emailSmarthost }),
            ...(r.emailUsername !== undefined && { auth_username: r.emailUsername }),
            ...(r.emailPassword !== undefined && { auth_password: r.emailPassword }),
            require_tls: true,
            send_resolved: true,
          },
        ];
  const slack =
    r.slackWebhookUrl === undefined
      ? []
      : [
          {
            api_url: r.slackWebhookUrl,
            ...(r.slackChannel !== undefined && { channel: r.slackChannel }),
            send_resolved: true,
            title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
            text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
          },
        ];
  const pagerduty =
    r.pagerdutyKey === undefined
      ? []
      : [{ routing_key: r.pagerdutyKey, severity: "critical", send_resolved: true }];
  const receiver = (name: string, configs: Record<string, unknown[]>) => ({
    name,
    ...Object.fromEntries(Object.entries(configs).filter(([, list]) => list.length > 0)),
  });
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: "warning",
      group_by: ["alertname", "namespace", "job"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        { matchers: ['alertname="Watchdog"'], receiver: "null" },
        { matchers: ['severity="critical"'], receiver: "critical", repeat_interval: "1h" },
        { matchers: ['severity="warning"'], receiver: "warning" },
        { matchers: ['severity="info"'], receiver: "info" },
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ["alertname", "namespace", "job"],
      },
    ],
    receivers: [
      { name: "null" },
      receiver("critical", { pagerduty_configs: pagerduty, email_configs: email }),
      receiver("warning", { email_configs: email, slack_configs: slack }),
      receiver("info", { slack_configs: slack }),
    ],
  };
}

/** The Alertmanager config Secret; its content is a Pulumi secret from config to cluster. */
export function createAlertmanagerConfig(ctx: ObservabilityContext): k8s.core.v1.Secret {
  const { name, args, parent } = ctx;
  const r = args.receivers;
  const rendered = pulumi
    .all([r.pagerdutyKey, r.slackWebhookUrl, r.emailPassword])
    .apply(([pagerdutyKey, slackWebhookUrl, emailPassword]) =>
      stringify(
        alertmanagerConfig({
          pagerdutyKey,
          slackWebhookUrl,
          emailPassword,
          slackChannel: r.slackChannel,
          emailTo: r.emailTo,
          emailFrom: r.emailFrom,
          emailSmarthost: r.emailSmarthost,
          emailUsername: r.emailUsername,
        }),
      ),
    );
  return new k8s.core.v1.Secret(
    `${name}-alertmanager-config`,
    {
      metadata: {
        name: alertmanagerConfigSecretName,
        namespace: args.namespace,
        labels: args.labels,
      },
      type: "Opaque",
      stringData: { "alertmanager.yaml": pulumi.secret(rendered) },
    },
    { parent },
  );
}
