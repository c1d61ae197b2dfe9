import { createHash } from "node:crypto";
import { ComponentError } from "./errors";

/**
 * How a resource type's own physical name is given and how long the service lets it be.
 * Names the provider generates (Pulumi's auto-naming: the logical name and a random suffix)
 * are not listed: they cannot collide and their logical names are fixed.
 */
export interface PhysicalNameRule {
  /** The input that holds the name. */
  readonly key: string;
  /** The longest name the service accepts, characters. */
  readonly limit: number;
  /** Where the name must be unique: per AWS account and region, per account, worldwide, per GCP project, per Cloudflare account or zone. */
  readonly scope: "region" | "account" | "global" | "project" | "cloudflare-account" | "zone";
  /** Where the limit was read. */
  readonly source: string;
}

/** Every resource type the platform names itself, with its service's limit. */
export const physicalNameRules: Readonly<Record<string, PhysicalNameRule>> = {
  "aws:eks/cluster:Cluster": {
    key: "name",
    limit: 100,
    scope: "region",
    source: "EKS API CreateCluster: name, 1-100 characters",
  },
  "aws:eks/nodeGroup:NodeGroup": {
    key: "nodeGroupNamePrefix",
    limit: 37,
    scope: "region",
    source:
      "EKS API CreateNodegroup: nodegroupName, up to 63 characters; the provider appends a 26-character unique suffix to a prefix",
  },
  "aws:rds/instance:Instance": {
    key: "identifier",
    limit: 63,
    scope: "region",
    source: "RDS API CreateDBInstance: DBInstanceIdentifier, 1-63 letters, digits or hyphens",
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    key: "replicationGroupId",
    limit: 40,
    scope: "region",
    source: "ElastiCache API CreateReplicationGroup: ReplicationGroupId, 1-40 characters",
  },
  "aws:opensearch/domain:Domain": {
    key: "domainName",
    limit: 28,
    scope: "region",
    source: "OpenSearch API CreateDomain: DomainName, 3-28 characters",
  },
  "aws:s3/bucket:Bucket": {
    key: "bucket",
    limit: 63,
    scope: "global",
    source: "S3 bucket naming rules: 3-63 characters, unique across all accounts",
  },
  "aws:s3/bucketV2:BucketV2": {
    key: "bucket",
    limit: 63,
    scope: "global",
    source: "S3 bucket naming rules: 3-63 characters, unique across all accounts",
  },
  "aws:iam/role:Role": {
    key: "name",
    limit: 64,
    scope: "account",
    source: "IAM API CreateRole: RoleName, 1-64 characters",
  },
  "aws:iam/policy:Policy": {
    key: "name",
    limit: 128,
    scope: "account",
    source: "IAM API CreatePolicy: PolicyName, 1-128 characters",
  },
  "aws:sqs/queue:Queue": {
    key: "name",
    limit: 80,
    scope: "region",
    source: "SQS API CreateQueue: QueueName, up to 80 characters (.fifo included)",
  },
  "aws:sns/topic:Topic": {
    key: "name",
    limit: 256,
    scope: "region",
    source: "SNS API CreateTopic: Name, up to 256 characters",
  },
  "aws:backup/vault:Vault": {
    key: "name",
    limit: 50,
    scope: "region",
    source: "AWS Backup API CreateBackupVault: BackupVaultName, 2-50 characters",
  },
  "aws:backup/plan:Plan": {
    key: "name",
    limit: 50,
    scope: "region",
    source: "AWS Backup API CreateBackupPlan: BackupPlanName, 1-50 characters",
  },
  "aws:backup/selection:Selection": {
    key: "name",
    limit: 50,
    scope: "region",
    source: "AWS Backup API CreateBackupSelection: SelectionName, 1-50 characters",
  },
  "aws:kms/alias:Alias": {
    key: "name",
    limit: 256,
    scope: "region",
    source: "KMS API CreateAlias: AliasName, 1-256 characters",
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    key: "name",
    limit: 512,
    scope: "region",
    source: "CloudWatch Logs API CreateLogGroup: logGroupName, 1-512 characters",
  },
  "gcp:serviceaccount/account:Account": {
    key: "accountId",
    limit: 30,
    scope: "project",
    source: "IAM API projects.serviceAccounts.create: accountId, 6-30 characters",
  },
  "gcp:projects/iAMCustomRole:IAMCustomRole": {
    key: "roleId",
    limit: 64,
    scope: "project",
    source: "IAM API projects.roles.create: roleId, up to 64 characters",
  },
  "gcp:container/cluster:Cluster": {
    key: "name",
    limit: 40,
    scope: "project",
    source: "GKE API projects.locations.clusters: name, up to 40 characters",
  },
  "gcp:sql/databaseInstance:DatabaseInstance": {
    key: "name",
    limit: 98,
    scope: "project",
    source: "Cloud SQL instance ID: project ID and instance ID together up to 98 characters",
  },
  "gcp:redis/instance:Instance": {
    key: "name",
    limit: 40,
    scope: "project",
    source: "Memorystore for Redis instance ID: 1-40 characters",
  },
  "gcp:storage/bucket:Bucket": {
    key: "name",
    limit: 63,
    scope: "global",
    source: "Cloud Storage bucket names: 3-63 characters, unique worldwide",
  },
  "cloudflare:index/loadBalancerPool:LoadBalancerPool": {
    key: "name",
    limit: 63,
    scope: "cloudflare-account",
    source:
      "Cloudflare pool names: letters, digits, hyphens and underscores, no length documented; held to a DNS label's 63 here",
  },
  "cloudflare:index/dnsRecord:DnsRecord": {
    key: "name",
    limit: 255,
    scope: "zone",
    source: "DNS: a name is at most 255 octets",
  },
  "cloudflare:index/loadBalancer:LoadBalancer": {
    key: "name",
    limit: 255,
    scope: "zone",
    source: "DNS: a name is at most 255 octets",
  },
};

/**
 * What components append to the stack's base name (`<project>-<stack>`), with the limit of the
 * name it makes. The tightest sets the longest base name a stack may have.
 */
export const baseNameSuffixes: readonly { suffix: string; limit: number; what: string }[] = [
  { suffix: "-", limit: 37, what: "the EKS node group name prefix" },
  { suffix: "-database-replica", limit: 63, what: "the RDS read replica identifier" },
  { suffix: "-backups-replica", limit: 50, what: "the AWS Backup replica vault" },
  { suffix: "-backups-data-stores", limit: 50, what: "the AWS Backup selection" },
];

/** The longest base name every suffixed name stays within its limit for. */
export const maxBaseNameLength = Math.min(
  ...baseNameSuffixes.map((s) => s.limit - s.suffix.length),
);

/**
 * Problems with a stack's base name: the tightest of the names built from it (RDS identifiers)
 * take lowercase letters, digits and single hyphens, starting with a letter, and each name must
 * stay within its service's limit.
 */
export function baseNameProblems(project: string, stack: string): string[] {
  const base = `${project}-${stack}`;
  const what = `the base of physical names "${base}" (project "${project}" in Pulumi.yaml, stack "${stack}")`;
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(base) || base.includes("--") || base.endsWith("-")) {
    problems.push(
      `${what} is not a valid resource name; expected lowercase letters, digits and single hyphens, starting with a letter (RDS identifiers allow no more): rename the project or the stack`,
    );
  }
  if (base.length > maxBaseNameLength) {
    const tightest = baseNameSuffixes.find((s) => s.limit - s.suffix.length === maxBaseNameLength)!;
    problems.push(
      `${what} is ${base.length} characters; expected at most ${maxBaseNameLength}, since ${tightest.what} "${base}${tightest.suffix}" may have ${tightest.limit}: shorten the project or the stack name`,
    );
  }
  return problems;
}

/**
 * `<base>-<suffix>` when it fits `limit`; longer, the base is cut and six hex characters of a
 * hash of the whole name are put before the suffix, so two long bases that share a beginning
 * still give different names, and the same base always gives the same name.
 */
export function boundedName(base: string, suffix: string, limit: number): string {
  const full = `${base}-${suffix}`;
  if (full.length <= limit) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const keep = limit - suffix.length - hash.length - 2;
  if (keep < 1) {
    throw new ComponentError("boundedName", JSON.stringify(full), [
      `"${suffix}" leaves no room for a name within ${limit} characters`,
    ]);
  }
  return `${base.slice(0, keep).replace(/-+$/, "")}-${hash}-${suffix}`;
}
