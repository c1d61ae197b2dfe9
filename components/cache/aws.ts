import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { clientGroupProblems, createClientsOnlySecurityGroup } from "../aws/clients";
import { createServiceKey } from "../aws/kms";
import { ComponentError } from "../errors";
import type { AwsPlacement } from "../placement";
import type { CacheArgs, CacheOutputs } from "./index";

export const redisPort = 6379;

/** ElastiCache's rules on the args, one line each; `cacheArgProblems` gathers them. */
export function elasticacheProblems(
  args: CacheArgs & { readonly placement: AwsPlacement },
): string[] {
  const problems = clientGroupProblems(args.placement.clientSecurityGroupIds);
  if (args.highAvailability && args.nodes < 2) {
    problems.push(
      `nodes: ${args.nodes}; highAvailability needs at least 2 nodes (a primary and a replica)`,
    );
  }
  return problems;
}

/**
 * An ElastiCache Redis replication group: encrypted at rest with a customer KMS key and in
 * transit with TLS, AUTH token generated and kept secret, slow log to an encrypted
 * CloudWatch log group, private subnets, the workload clients alone admitted on 6379.
 */
export function createAwsCache(
  name: string,
  args: CacheArgs & { placement: AwsPlacement },
  parent: pulumi.Resource,
): CacheOutputs {
  const problems = elasticacheProblems(args);
  if (problems.length > 0) throw new ComponentError("Cache", name, problems);
  const opts = { parent };
  const protect = args.deletionProtection;
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
  const region = aws.getRegionOutput({}, opts).region;

  const key = createServiceKey(
    `${name}-key`,
    {
      description: `${identifier}: Redis data, snapshots and slow log`,
      servicePrincipals: [pulumi.interpolate`logs.${region}.amazonaws.com`],
      protect,
      tags: args.tags,
    },
    opts,
  );

  const securityGroup = createClientsOnlySecurityGroup(
    `${name}-sg`,
    {
      vpcId: args.placement.vpcId,
      description: "Redis from the workload clients only",
      port: redisPort,
      clientSecurityGroupIds: args.placement.clientSecurityGroupIds,
      tags: args.tags,
    },
    opts,
  );

  const subnetGroup = new aws.elasticache.SubnetGroup(
    `${name}-subnets`,
    {
      description: `${identifier}: private subnets`,
      subnetIds: args.placement.subnetIds,
      tags: args.tags,
    },
    opts,
  );

  const slowLog = new aws.cloudwatch.LogGroup(
    `${name}-slow-log`,
    {
      retentionInDays: args.slowLogRetentionDays,
      kmsKeyId: key.arn,
      tags: args.tags,
    },
    opts,
  );

  const authToken = new random.RandomPassword(
    `${name}-auth-token`,
    { length: 64, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
    opts,
  );

  const parameterGroup = createParameterGroup(name, identifier, args, opts);
  const group = new aws.elasticache.ReplicationGroup(
    `${name}-redis`,
    {
      description: `${identifier}: Redis ${args.engineVersion}`,
      engine: "redis",
      engineVersion: args.engineVersion,
      parameterGroupName: parameterGroup?.name ?? `default.${parameterFamily(args.engineVersion)}`,
      nodeType: args.nodeType,
      port: redisPort,
      numCacheClusters: args.nodes,
      automaticFailoverEnabled: args.highAvailability,
      multiAzEnabled: args.highAvailability,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [securityGroup.id],
      atRestEncryptionEnabled: true,
      kmsKeyId: key.arn,
      transitEncryptionEnabled: true,
      authToken: authToken.result,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: args.snapshotRetentionDays,
      snapshotWindow: "02:00-03:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      ...(args.deletionProtection && { finalSnapshotIdentifier: `${identifier}-final-snapshot` }),
      logDeliveryConfigurations: [
        {
          destination: slowLog.name,
          destinationType: "cloudwatch-logs",
          logFormat: "text",
          logType: "slow-log",
        },
      ],
      tags: { ...args.tags, Name: identifier },
    },
    { parent, protect },
  );

  const host = group.primaryEndpointAddress;
  const port = pulumi.output(redisPort);
  return {
    host,
    port,
    authToken: pulumi.secret(authToken.result),
    connectionString: pulumi.secret(
      pulumi.interpolate`rediss://:${authToken.result}@${host}:${port}`,
    ),
    nodeIds: memberClusterIds(group.id, args.nodes),
  };
}

/** ElastiCache's parameter group family of a Redis version: "redis7" for 7.0 and 7.1. */
export function parameterFamily(engineVersion: string): string {
  return `redis${engineVersion.split(".")[0]}`;
}

/**
 * A parameter group of the version's family holding the stack's settings, when it has any;
 * without settings the group runs on ElastiCache's `default.redis<major>`. Replacing the
 * group's family (a major upgrade) needs a new group, so its name carries the family.
 */
function createParameterGroup(
  name: string,
  identifier: string,
  args: CacheArgs,
  opts: pulumi.CustomResourceOptions,
): aws.elasticache.ParameterGroup | undefined {
  const entries = Object.entries(args.parameters ?? {});
  if (entries.length === 0) return undefined;
  const family = parameterFamily(args.engineVersion);
  return new aws.elasticache.ParameterGroup(
    `${name}-params`,
    {
      name: `${identifier}-${family}`,
      family,
      description: `${identifier}: Redis settings`,
      parameters: entries.map(([parameter, value]) => ({ name: parameter, value })),
      tags: args.tags,
    },
    opts,
  );
}

/**
 * ElastiCache names the member clusters of a replication group `<id>-001`, `-002`, ...; the
 * count is the configured node count, known before the group exists.
 */
export function memberClusterIds(
  replicationGroupId: pulumi.Input<string>,
  nodes: number,
): pulumi.Output<string>[] {
  return Array.from(
    { length: nodes },
    (_, i) => pulumi.interpolate`${replicationGroupId}-${String(i + 1).padStart(3, "0")}`,
  );
}
