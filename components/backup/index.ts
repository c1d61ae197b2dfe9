import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { refuseArgs } from "../errors";
import { unsupportedTarget, unsupportedTargetProblem } from "../unsupported";
import { awsBackupProblems, createAwsBackup } from "./aws";

/** The targets Backups are built on. */
const backupTargets = ["aws"] as const;

/** One backup rule: when it runs and how long its recovery points are kept. */
export interface BackupRule {
  /** Rule name: "daily", "weekly", "monthly". */
  readonly name: string;
  /** When it runs, an AWS cron expression in UTC. */
  readonly schedule: string;
  /** Days a recovery point is kept. */
  readonly retentionDays: number;
}

/** The Backups contract: scheduled, encrypted recovery points of the data stores. */
export interface BackupSettings {
  /**
   * @default seed 003: daily at 02:00 UTC kept 7 days, weekly on Sunday 03:00 kept 30 days,
   * monthly on the 1st at 03:00 kept 365 days
   */
  readonly rules: readonly BackupRule[];
  /** Copy every recovery point to the replica region. @default true in prod (seed 001), false otherwise */
  readonly crossRegionCopy: boolean;
  /** `protect` the vaults and their keys. @default true in prod, false otherwise */
  readonly deletionProtection: boolean;
}

/** Seed 003's backup table. */
export const seedBackupRules: readonly BackupRule[] = [
  { name: "daily", schedule: "cron(0 2 * * ? *)", retentionDays: 7 },
  { name: "weekly", schedule: "cron(0 3 ? * SUN *)", retentionDays: 30 },
  { name: "monthly", schedule: "cron(0 3 1 * ? *)", retentionDays: 365 },
];

export const backupDefaults: PerTier<BackupSettings> = {
  dev: { rules: seedBackupRules, crossRegionCopy: false, deletionProtection: false },
  staging: { rules: seedBackupRules, crossRegionCopy: false, deletionProtection: false },
  prod: { rules: seedBackupRules, crossRegionCopy: true, deletionProtection: true },
};

/** Whether a stack builds the backup plan unless its config says otherwise. @default true in prod only */
export const backupEnabledDefaults: PerTier<boolean> = { dev: false, staging: false, prod: true };

export interface BackupArgs extends BackupSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  /** What is backed up: the target's resource identifiers (ARNs on AWS). */
  readonly resources: pulumi.Input<string>[];
  /**
   * S3 buckets backed up as well (ARNs). AWS Backup refuses a bucket without versioning, and
   * needs its S3 policies on the role it assumes. @default none
   */
  readonly bucketArns?: pulumi.Input<string>[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface BackupOutputs {
  readonly vaultName: pulumi.Output<string>;
  /** Name of the vault in the replica region, when copies are on. */
  readonly replicaVaultName?: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
}

/**
 * Problems with the args, one line each, the placement's target's own rules included; the
 * constructor refuses args that have any.
 */
export function backupArgProblems(args: BackupArgs): string[] {
  const placement = args.placement;
  if (placement.target !== "aws") return [unsupportedTargetProblem(placement, backupTargets)];
  return awsBackupProblems({ ...args, placement });
}

/** A backup plan with the seed's retention over an encrypted vault, copied across regions in prod. */
export class Backups extends pulumi.ComponentResource implements BackupOutputs {
  readonly vaultName: pulumi.Output<string>;
  readonly replicaVaultName?: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;

  constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Backups", name, backupArgProblems(args));
    super("platform:index:Backups", name, {}, opts);
    const built = build(name, args, this);
    this.vaultName = built.vaultName;
    this.replicaVaultName = built.replicaVaultName;
    this.planId = built.planId;
    this.registerOutputs({
      vaultName: this.vaultName,
      replicaVaultName: this.replicaVaultName,
      planId: this.planId,
    });
  }
}

function build(name: string, args: BackupArgs, parent: pulumi.Resource): BackupOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsBackup(name, { ...args, placement }, parent);
    default:
      throw unsupportedTarget("Backups", name, placement, backupTargets);
  }
}
