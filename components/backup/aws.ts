import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createServiceKey } from "../aws/kms";
import { ComponentError } from "../errors";
import type { AwsPlacement } from "../placement";
import type { BackupArgs, BackupOutputs } from "./index";

/** Minutes a job may wait to start, and to finish, before AWS Backup calls it failed. */
export const startWindowMinutes = 60;
export const completionWindowMinutes = 360;

/** AWS Backup's rules on the args, one line each; `backupArgProblems` gathers them. */
export function awsBackupProblems(
  args: BackupArgs & { readonly placement: AwsPlacement },
): string[] {
  const problems: string[] = [];
  if (args.crossRegionCopy && !args.placement.replicaRegion) {
    problems.push(
      "crossRegionCopy is on but the placement has no replicaRegion; set platform:aws.replicaRegion",
    );
  }
  if (args.resources.length + (args.bucketArns ?? []).length === 0) {
    problems.push("resources: nothing to back up; give at least one resource");
  }
  return problems;
}

/**
 * AWS Backup: a vault encrypted with a customer KMS key, a plan with one rule per schedule,
 * a selection of the given resources by ARN with the role AWS Backup assumes, and with
 * cross-region copy on, a second vault (own key, own provider) in the replica region that
 * every rule copies to with the same retention.
 */
export function createAwsBackup(
  name: string,
  args: BackupArgs & { placement: AwsPlacement },
  parent: pulumi.Resource,
): BackupOutputs {
  const replicaRegion = args.placement.replicaRegion;
  const problems = awsBackupProblems(args);
  if (problems.length > 0) throw new ComponentError("Backups", name, problems);
  const bucketArns = args.bucketArns ?? [];
  const opts = { parent };
  const protect = args.deletionProtection;
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

  const key = createServiceKey(
    `${name}-key`,
    { description: `${identifier}: recovery points`, protect, tags: args.tags },
    opts,
  );
  const vault = new aws.backup.Vault(
    `${name}-vault`,
    { name: identifier, kmsKeyArn: key.arn, forceDestroy: false, tags: args.tags },
    { parent, protect },
  );

  let replicaVault: aws.backup.Vault | undefined;
  if (args.crossRegionCopy && replicaRegion) {
    const replicaProvider = new aws.Provider(
      `${name}-replica-provider`,
      { region: replicaRegion as aws.Region, defaultTags: { tags: args.tags } },
      opts,
    );
    const replicaOpts = { parent, provider: replicaProvider };
    const replicaKey = createServiceKey(
      `${name}-replica-key`,
      { description: `${identifier}: copied recovery points`, protect, tags: args.tags },
      replicaOpts,
    );
    replicaVault = new aws.backup.Vault(
      `${name}-replica-vault`,
      {
        name: `${identifier}-replica`,
        kmsKeyArn: replicaKey.arn,
        forceDestroy: false,
        tags: args.tags,
      },
      { ...replicaOpts, protect },
    );
  }

  const plan = new aws.backup.Plan(
    `${name}-plan`,
    {
      name: identifier,
      rules: args.rules.map((rule) => ({
        ruleName: rule.name,
        targetVaultName: vault.name,
        schedule: rule.schedule,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: startWindowMinutes,
        completionWindow: completionWindowMinutes,
        lifecycle: { deleteAfter: rule.retentionDays },
        recoveryPointTags: { ...args.tags, BackupRule: rule.name },
        ...(replicaVault && {
          copyActions: [
            {
              destinationVaultArn: replicaVault.arn,
              lifecycle: { deleteAfter: rule.retentionDays },
            },
          ],
        }),
      })),
      tags: args.tags,
    },
    opts,
  );

  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `${identifier}: AWS Backup`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "backup.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags: args.tags,
    },
    opts,
  );
  const attachments = Object.entries(rolePolicies(bucketArns.length > 0)).map(
    ([role_, policy]) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-role-${role_}`,
        { role: role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
        opts,
      ),
  );
  new aws.backup.Selection(
    `${name}-selection`,
    {
      name: `${identifier}-data-stores`,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [...args.resources, ...bucketArns],
    },
    { parent, dependsOn: attachments },
  );

  return { vaultName: vault.name, replicaVaultName: replicaVault?.name, planId: plan.id };
}

/**
 * The AWS managed policies the backup role carries, by the child name's suffix. The general
 * pair covers RDS, DynamoDB, EFS and EBS; S3 has a pair of its own (reading every version, the
 * bucket's EventBridge rule, and `kms:Decrypt` through S3 for SSE-KMS objects), which the
 * general pair does not grant.
 */
export function rolePolicies(withBuckets: boolean): Record<string, string> {
  return {
    backup: "service-role/AWSBackupServiceRolePolicyForBackup",
    restore: "service-role/AWSBackupServiceRolePolicyForRestores",
    ...(withBuckets && {
      "s3-backup": "AWSBackupServiceRolePolicyForS3Backup",
      "s3-restore": "AWSBackupServiceRolePolicyForS3Restore",
    }),
  };
}
