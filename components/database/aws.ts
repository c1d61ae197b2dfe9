import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createClientsOnlySecurityGroup } from "../aws/clients";
import { createServiceKey } from "../aws/kms";
import type { AwsPlacement } from "../placement";
import type { DatabaseArgs, DatabaseOutputs } from "./index";

export const postgresPort = 5432;
/** Enhanced monitoring granularity, seconds (seed 000). */
export const monitoringIntervalSeconds = 60;
/** Extensions RDS loads only through `shared_preload_libraries`. */
export const preloadedExtensions = ["pg_stat_statements", "pg_cron", "pgaudit", "auto_explain"];

/**
 * What logical replication out of RDS needs: `rds.logical_replication` (which sets
 * `wal_level` to logical), static, so applied at the next reboot.
 */
export const logicalReplicationParameters = [
  { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
] as const;

/** PostgreSQL's logs RDS publishes to CloudWatch Logs. */
export const exportedLogs = ["postgresql", "upgrade"] as const;

/**
 * RDS PostgreSQL: a customer KMS key for storage and Performance Insights, a parameter
 * group that refuses plain-text connections, a private subnet group, a security group for
 * the workload clients only, enhanced monitoring, and a generated master password kept in
 * Secrets Manager. In prod: Multi-AZ, an analytics replica, deletion protection, `protect`.
 */
export function createAwsDatabase(
  name: string,
  args: DatabaseArgs & { placement: AwsPlacement },
  parent: pulumi.Resource,
): DatabaseOutputs {
  const opts = { parent };
  const protect = args.deletionProtection;
  const major = args.engineVersion.split(".")[0];
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

  const region = aws.getRegionOutput({}, opts).region;
  const key = createServiceKey(
    `${name}-key`,
    {
      description: `${identifier}: PostgreSQL storage, Performance Insights, credentials and logs`,
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
      description: "PostgreSQL from the workload clients only",
      port: postgresPort,
      clientSecurityGroupIds: args.placement.clientSecurityGroupIds,
      clientCidrs: (args.replicationClientCidrs ?? []).map((cidr) => ({
        cidr,
        description: "Logical replication to the standby's replica",
      })),
      tags: args.tags,
    },
    opts,
  );

  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-subnets`,
    {
      description: `${identifier}: private subnets`,
      subnetIds: args.placement.subnetIds,
      tags: { ...args.tags, Name: `${name}-subnets` },
    },
    opts,
  );

  const replicates = (args.replicationClientCidrs ?? []).length > 0;
  const preload = [
    ...args.extensions.filter((e) => preloadedExtensions.includes(e)),
    // Database Migration Service replicates through pglogical, loaded at server start.
    ...(replicates ? ["pglogical"] : []),
  ];
  const parameterGroup = new aws.rds.ParameterGroup(
    `${name}-params`,
    {
      family: `postgres${major}`,
      description: `${identifier}: TLS required`,
      parameters: [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        ...(replicates ? logicalReplicationParameters.map((p) => ({ ...p })) : []),
        ...(preload.length > 0
          ? [
              {
                name: "shared_preload_libraries",
                value: preload.join(","),
                applyMethod: "pending-reboot",
              },
            ]
          : []),
      ],
      tags: { ...args.tags, Name: `${name}-params` },
    },
    opts,
  );

  const monitoringRole = new aws.iam.Role(
    `${name}-monitoring-role`,
    {
      description: `${identifier}: RDS enhanced monitoring`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "monitoring.rds.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags: args.tags,
    },
    opts,
  );
  const monitoringPolicy = new aws.iam.RolePolicyAttachment(
    `${name}-monitoring-policy`,
    {
      role: monitoringRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    },
    opts,
  );

  const password = new random.RandomPassword(
    `${name}-password`,
    { length: 32, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
    opts,
  );

  const monitoring = {
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: key.arn,
    performanceInsightsRetentionPeriod: 7,
    monitoringInterval: monitoringIntervalSeconds,
    monitoringRoleArn: monitoringRole.arn,
  };

  // RDS would create the export log groups itself, kept forever and without the customer
  // key; created first, they carry the retention and the key.
  const logGroups = (instanceId: string, child: string) =>
    exportedLogs.map(
      (log) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${child}-log-${log}`,
          {
            name: `/aws/rds/instance/${instanceId}/${log}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: key.arn,
            tags: args.tags,
          },
          opts,
        ),
    );

  const instance = new aws.rds.Instance(
    `${name}-instance`,
    {
      identifier,
      engine: "postgres",
      engineVersion: args.engineVersion,
      autoMinorVersionUpgrade: true,
      instanceClass: args.instanceClass,
      allocatedStorage: args.allocatedStorageGb,
      maxAllocatedStorage: args.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key.arn,
      dbName: args.databaseName,
      username: args.username,
      password: password.result,
      port: postgresPort,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      multiAz: args.highAvailability,
      backupRetentionPeriod: args.backupRetentionDays,
      backupWindow: args.backupWindow,
      maintenanceWindow: args.maintenanceWindow,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: [...exportedLogs],
      ...monitoring,
      deletionProtection: args.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final-snapshot`,
      tags: { ...args.tags, Name: identifier },
    },
    { parent, protect, dependsOn: [monitoringPolicy, ...logGroups(identifier, "instance")] },
  );

  const replica = args.readReplica
    ? new aws.rds.Instance(
        `${name}-replica`,
        {
          identifier: `${identifier}-replica`,
          replicateSourceDb: instance.identifier,
          instanceClass: args.readReplicaInstanceClass,
          autoMinorVersionUpgrade: true,
          storageType: "gp3",
          storageEncrypted: true,
          kmsKeyId: key.arn,
          vpcSecurityGroupIds: [securityGroup.id],
          parameterGroupName: parameterGroup.name,
          publiclyAccessible: false,
          enabledCloudwatchLogsExports: [...exportedLogs],
          ...monitoring,
          deletionProtection: args.deletionProtection,
          skipFinalSnapshot: true,
          tags: { ...args.tags, Name: `${identifier}-replica`, Purpose: "analytics" },
        },
        {
          parent,
          protect,
          dependsOn: [monitoringPolicy, ...logGroups(`${identifier}-replica`, "replica")],
        },
      )
    : undefined;

  const connectionString = pulumi.secret(
    pulumi.interpolate`postgresql://${instance.username}:${password.result}@${instance.address}:${instance.port}/${args.databaseName}?sslmode=require`,
  );

  const secret = new aws.secretsmanager.Secret(
    `${name}-credentials`,
    {
      description: `${identifier}: master credentials`,
      kmsKeyId: key.arn,
      recoveryWindowInDays: args.deletionProtection ? 30 : 7,
      tags: args.tags,
    },
    { parent, protect },
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-credentials-version`,
    {
      secretId: secret.id,
      secretString: pulumi.secret(
        pulumi.jsonStringify({
          engine: "postgres",
          host: instance.address,
          port: instance.port,
          dbname: args.databaseName,
          username: instance.username,
          password: password.result,
        }),
      ),
    },
    opts,
  );

  return {
    host: instance.address,
    port: instance.port,
    databaseName: pulumi.output(args.databaseName),
    username: instance.username,
    password: pulumi.secret(password.result),
    connectionString,
    readerHost: replica?.address,
    resourceId: instance.arn,
    instanceId: instance.identifier,
    replicaInstanceIds: replica ? [replica.identifier] : [],
  };
}
