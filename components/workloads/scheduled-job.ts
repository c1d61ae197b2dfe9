import * as k8s from "@pulumi/kubernetes";
import type { ServiceContext } from "./application";
import { environment } from "./deployment";
import type { ScheduledJobSettings } from "./index";
import { dnsEgress, egressPeer } from "./network-policy";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

/** Labels that select one job's pods. */
export function jobSelectorOf(job: ScheduledJobSettings): Record<string, string> {
  return { "app.kubernetes.io/name": job.name, "app.kubernetes.io/component": "scheduled-job" };
}

/** The CronJob's spec: the schedule, its bookkeeping and the pod every run starts. */
export function cronJobSpec(
  context: Pick<ServiceContext, "labels">,
  job: ScheduledJobSettings,
): k8s.types.input.batch.v1.CronJobSpec {
  const labels = { ...context.labels, ...jobSelectorOf(job) };
  return {
    schedule: job.schedule,
    ...(job.timeZone !== undefined && { timeZone: job.timeZone }),
    concurrencyPolicy: job.concurrencyPolicy,
    startingDeadlineSeconds: job.startingDeadlineSeconds,
    successfulJobsHistoryLimit: job.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: job.failedJobsHistoryLimit,
    jobTemplate: {
      metadata: { labels },
      spec: {
        activeDeadlineSeconds: job.activeDeadlineSeconds,
        backoffLimit: job.backoffLimit,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: job.name,
                image: job.image,
                ...(job.command && { command: [...job.command] }),
                ...(job.args && { args: [...job.args] }),
                env: environment(job),
                resources: {
                  requests: { ...job.resources.requests },
                  limits: { ...job.resources.limits },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
          },
        },
      },
    },
  };
}

/**
 * One scheduled job: a `batch/v1` CronJob whose pods run with the services' restricted
 * security context, and a NetworkPolicy letting them out to DNS and their declared egress
 * only (nothing may connect in).
 */
export function createScheduledJob(
  context: ServiceContext,
  job: ScheduledJobSettings,
  secrets: k8s.core.v1.Secret[],
): { cronJob: k8s.batch.v1.CronJob; networkPolicy: k8s.networking.v1.NetworkPolicy } {
  const prefix = `${context.componentName}-${job.name}`;
  const labels = { ...context.labels, ...jobSelectorOf(job) };
  const cronJob = new k8s.batch.v1.CronJob(
    `${prefix}-cronjob`,
    {
      metadata: { name: job.name, namespace: context.namespace, labels },
      spec: cronJobSpec(context, job),
    },
    { parent: context.parent, dependsOn: [...context.dependsOn, ...secrets] },
  );
  const networkPolicy = new k8s.networking.v1.NetworkPolicy(
    `${prefix}-network-policy`,
    {
      metadata: { name: job.name, namespace: context.namespace, labels },
      spec: {
        podSelector: { matchLabels: jobSelectorOf(job) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [
          dnsEgress,
          ...job.egress.map((rule) => ({
            to: [egressPeer(rule)],
            ports: [{ protocol: "TCP", port: rule.port }],
          })),
        ],
      },
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
  return { cronJob, networkPolicy };
}
