/**
 * What the estimate cannot read from a plan: sizes and volumes that depend on use. Every
 * figure here is printed with the estimate, so a reader knows what it rests on.
 */
export interface CostAssumptions {
  /** Data held in each object-store bucket (S3, GCS), GB. @default 100 */
  readonly bucketGb: number;
  /** Share of a replicated bucket's data written anew each month, copied to its replica. @default 0.1 */
  readonly bucketMonthlyChange: number;
  /** Log volume ingested into each CloudWatch log group per month, GB. @default 5 */
  readonly logGbPerGroupMonth: number;
  /** Data each NAT gateway processes per month, GB. @default 100 */
  readonly natGbPerGatewayMonth: number;
  /** Data served to the internet (to the CDN) per month through each cloud ingress, GB. @default 500 */
  readonly egressGbPerIngressMonth: number;
  /** Share of a database's storage that changes per day, kept by each retained backup. @default 0.05 */
  readonly backupDailyChange: number;
  /** Data each S3-to-GCS backup transfer job copies per month, GB. @default 50 */
  readonly transferGbPerJobMonth: number;
  /** Load balancer capacity units (NLCU/LCU) each load balancer uses on average. @default 1 */
  readonly lbCapacityUnits: number;
  /** The Cloudflare plan of the zone the stack uses ("free", "pro", "business"). @default "pro" */
  readonly cloudflarePlan: string;
  /** Region of a resource whose provider names none, per cloud. */
  readonly defaultRegion: Readonly<Record<string, string>>;
}

export const defaultAssumptions: CostAssumptions = {
  bucketGb: 100,
  bucketMonthlyChange: 0.1,
  logGbPerGroupMonth: 5,
  natGbPerGatewayMonth: 100,
  egressGbPerIngressMonth: 500,
  backupDailyChange: 0.05,
  transferGbPerJobMonth: 50,
  lbCapacityUnits: 1,
  cloudflarePlan: "pro",
  defaultRegion: { aws: "us-east-1", gcp: "us-central1" },
};

/** One line per assumption, as the CLI prints them. */
export function describeAssumptions(a: CostAssumptions): string[] {
  return [
    `object-store bucket size: ${a.bucketGb} GB each; ${a.bucketMonthlyChange * 100} % rewritten a month (replicated)`,
    `CloudWatch log ingestion: ${a.logGbPerGroupMonth} GB a month per log group`,
    `NAT data processed: ${a.natGbPerGatewayMonth} GB a month per gateway`,
    `internet egress: ${a.egressGbPerIngressMonth} GB a month per cloud ingress`,
    `database backups: ${a.backupDailyChange * 100} % of storage changes per retained day`,
    `S3-to-GCS backup transfer: ${a.transferGbPerJobMonth} GB a month per job`,
    `load balancer capacity units: ${a.lbCapacityUnits} on average`,
    `Cloudflare plan: ${a.cloudflarePlan}`,
  ];
}
