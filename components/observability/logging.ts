import type * as aws from "@pulumi/aws";
import { createEncryptedLogGroup } from "../aws/logs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createFluentBitRole } from "./identity-aws";
import { nodeAgentNamespace, releaseWait, sized } from "./prometheus-stack";
import { releaseNames, type ObservabilityContext } from "./index";

export const loggingChart = {
  chart: "fluent-bit",
  version: "0.47.10",
  repo: "https://fluent.github.io/helm-charts",
} as const;

/** CloudWatch log group of the cluster's container logs. */
export function logGroupName(clusterName: string): string {
  return `/platform/${clusterName}/containers`;
}

/**
 * CloudWatch log group of the edge's access logs: everything the ingress controller's pods
 * write (nginx's access and error log), kept apart from the containers' group so that it can be
 * kept longer (seed 003: access logs 1 year).
 */
export function accessLogGroupName(clusterName: string): string {
  return `/platform/${clusterName}/access`;
}

/** Namespace of the ingress controller, whose logs are the access logs. */
export const accessLogNamespace = "ingress-nginx";

/**
 * The Fluent Bit `[FILTER]` section. Every target adds Kubernetes metadata (the chart's
 * default filter). On aws a `rewrite_tag` filter then re-tags the ingress controller's records
 * `access.*` and drops the `kube.*` original, so they reach the access log group only.
 */
export function fluentBitFilters(ctx: ObservabilityContext): string {
  // The chart's own default (fluent-bit 0.47.10 values.yaml `config.filters`): setting
  // `config.filters` replaces it, and the rule below reads the metadata it adds.
  const kubernetes = [
    "[FILTER]",
    "    Name kubernetes",
    "    Match kube.*",
    "    Merge_Log On",
    "    Keep_Log Off",
    "    K8S-Logging.Parser On",
    "    K8S-Logging.Exclude On",
    "",
  ];
  if (ctx.args.target !== "aws") return kubernetes.join("\n");
  return [
    ...kubernetes,
    "[FILTER]",
    "    Name rewrite_tag",
    "    Match kube.*",
    `    Rule $kubernetes['namespace_name'] ^${accessLogNamespace}$ access.$TAG false`,
    "    Emitter_Name access_logs",
    "",
  ].join("\n");
}

/** The Fluent Bit `[OUTPUT]` section per target: CloudWatch Logs, Cloud Logging or stdout. */
export function fluentBitOutputs(ctx: ObservabilityContext): string {
  const { args } = ctx;
  switch (args.target) {
    case "aws":
      return [
        "[OUTPUT]",
        "    Name cloudwatch_logs",
        "    Match kube.*",
        `    region ${args.region ?? ""}`,
        `    log_group_name ${logGroupName(args.clusterName)}`,
        "    log_stream_prefix pod-",
        "    auto_create_group false",
        "",
        "[OUTPUT]",
        "    Name cloudwatch_logs",
        "    Match access.*",
        `    region ${args.region ?? ""}`,
        `    log_group_name ${accessLogGroupName(args.clusterName)}`,
        "    log_stream_prefix ingress-",
        "    auto_create_group false",
        "",
      ].join("\n");
    case "gcp":
      return [
        "[OUTPUT]",
        "    Name stackdriver",
        "    Match kube.*",
        "    resource k8s_container",
        `    k8s_cluster_name ${args.clusterName}`,
        `    k8s_cluster_location ${args.region ?? ""}`,
        "",
      ].join("\n");
    case "local":
      return ["[OUTPUT]", "    Name stdout", "    Match kube.*", "    Format json_lines", ""].join(
        "\n",
      );
  }
}

export function fluentBitValues(
  ctx: ObservabilityContext,
  serviceAccountAnnotations: Record<string, pulumi.Input<string>>,
): Record<string, unknown> {
  return {
    fullnameOverride: releaseNames.logging,
    serviceAccount: {
      create: true,
      name: releaseNames.logging,
      annotations: serviceAccountAnnotations,
    },
    resources: sized(ctx.args.tier, 200, 128),
    config: { filters: fluentBitFilters(ctx), outputs: fluentBitOutputs(ctx) },
    serviceMonitor: { enabled: true, interval: "30s" },
  };
}

/**
 * Fluent Bit on every node ships container logs: to a KMS-encrypted CloudWatch log group with
 * the tier's retention on aws (through an IAM role only its service account assumes, allowed to
 * write that group only), to Cloud Logging on gcp (Workload Identity of the node
 * pool), to its own stdout on local.
 */
export function createLogging(
  ctx: ObservabilityContext,
  opts: { dependsOn: pulumi.Resource[] },
): { destination: pulumi.Output<string> } {
  const { name, args, parent } = ctx;
  let annotations: Record<string, pulumi.Input<string>> = {};
  let destination: pulumi.Output<string>;
  let dependsOn: pulumi.Resource[] = [];
  if (args.target === "aws") {
    const group = createLogGroup(ctx);
    const accessGroup = createAccessLogGroup(ctx);
    const role = createFluentBitRole(ctx, nodeAgentNamespace, releaseNames.logging, [
      group.arn,
      accessGroup.arn,
    ]);
    annotations = { "eks.amazonaws.com/role-arn": role.id };
    destination = pulumi.interpolate`cloudwatch:${group.arn}`;
    dependsOn = [group, accessGroup, ...role.ready];
  } else if (args.target === "gcp") {
    destination = pulumi.output(
      `cloud-logging:projects/${args.gcpProject ?? ""}/logs (k8s_container, cluster ${args.clusterName})`,
    );
  } else {
    destination = pulumi.output(`stdout:${nodeAgentNamespace}/${releaseNames.logging}`);
  }
  new k8s.helm.v3.Release(
    `${name}-logging`,
    {
      name: releaseNames.logging,
      // Reading /var/log on the host is refused in the restricted monitoring namespace.
      namespace: nodeAgentNamespace,
      chart: loggingChart.chart,
      version: loggingChart.version,
      repositoryOpts: { repo: loggingChart.repo },
      values: fluentBitValues(ctx, annotations),
      ...releaseWait,
    },
    // Chart 0.47.10 renders its ServiceMonitor only when the cluster already serves
    // monitoring.coreos.com/v1: after kube-prometheus-stack, which installs that CRD.
    { parent, dependsOn: [...opts.dependsOn, ...dependsOn] },
  );
  return { destination };
}

function createLogGroup(ctx: ObservabilityContext): aws.cloudwatch.LogGroup {
  const { name, args, parent } = ctx;
  return createEncryptedLogGroup(
    `${name}-logs`,
    {
      logGroupName: logGroupName(args.clusterName),
      retentionDays: ctx.settings.logRetentionDays,
      keyAlias: `alias/${args.clusterName}-container-logs`,
      purpose: `the container logs of ${args.clusterName}`,
      tags: args.tags,
      protect: args.tier === "prod",
    },
    parent,
  ).logGroup;
}

/** The access logs' own group, with its own key and the tier's access log retention. */
function createAccessLogGroup(ctx: ObservabilityContext): aws.cloudwatch.LogGroup {
  const { name, args, parent } = ctx;
  return createEncryptedLogGroup(
    `${name}-access-logs`,
    {
      logGroupName: accessLogGroupName(args.clusterName),
      retentionDays: ctx.settings.accessLogRetentionDays ?? ctx.settings.logRetentionDays,
      keyAlias: `alias/${args.clusterName}-access-logs`,
      purpose: `the edge access logs of ${args.clusterName}`,
      tags: args.tags,
      protect: args.tier === "prod",
    },
    parent,
  ).logGroup;
}
