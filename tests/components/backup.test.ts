import { strict as assert } from "node:assert";
import { Backups, backupDefaults, type BackupArgs } from "../../components/backup";
import { completionWindowMinutes, startWindowMinutes } from "../../components/backup/aws";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, policy, tags } from "./support";

const databaseArn = "arn:aws:rds:us-east-1:123456789012:db:platform-test-database";
const planType = "aws:backup/plan:Plan";
const vaultType = "aws:backup/vault:Vault";

function args(tier: "staging" | "prod"): BackupArgs {
  return {
    ...backupDefaults[tier],
    tier,
    placement: awsPlacement(tier === "prod" ? "us-west-2" : undefined),
    resources: [databaseArn],
    tags,
  };
}

describe("Backups on aws in prod", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Backups("backups", args("prod"));
    await settle();
  });
  const rules = () =>
    recorded.inputs(recorded.one(planType, "backups-plan")).rules as Record<string, unknown>[];

  it("keeps daily backups 7 days, weekly 30 days and monthly 365 days (seed 003)", () => {
    assert.deepEqual(
      rules().map((r) => [
        r.ruleName,
        r.schedule,
        (r.lifecycle as { deleteAfter: number }).deleteAfter,
      ]),
      [
        ["daily", "cron(0 2 * * ? *)", 7],
        ["weekly", "cron(0 3 ? * SUN *)", 30],
        ["monthly", "cron(0 3 1 * ? *)", 365],
      ],
    );
    for (const rule of rules()) {
      assert.equal(rule.scheduleExpressionTimezone, "Etc/UTC");
      assert.equal(rule.startWindow, startWindowMinutes);
      assert.equal(rule.completionWindow, completionWindowMinutes);
    }
  });

  it("encrypts the vault with its own customer key and protects both", () => {
    const vault = recorded.one(vaultType, "backups-vault");
    const key = recorded.one("aws:kms/key:Key", "backups-key");
    assert.equal(recorded.inputs(vault).kmsKeyArn, key.outputs.arn);
    assert.equal(recorded.inputs(vault).forceDestroy, false);
    assert.equal(vault.protect, true);
    assert.equal(key.protect, true);
  });

  it("copies every recovery point to a vault in us-west-2 with the same retention", () => {
    const replicaVault = recorded.one(vaultType, "backups-replica-vault");
    const provider = recorded.one("pulumi:providers:aws", "backups-replica-provider");
    assert.equal(recorded.inputs(provider).region, "us-west-2");
    assert.ok(replicaVault.provider.startsWith(provider.urn));
    assert.equal(replicaVault.protect, true);
    for (const rule of rules()) {
      assert.deepEqual(rule.copyActions, [
        { destinationVaultArn: replicaVault.outputs.arn, lifecycle: rule.lifecycle },
      ]);
    }
  });

  it("selects the database by ARN, with a role only AWS Backup may assume", () => {
    const selection = recorded.inputs(
      recorded.one("aws:backup/selection:Selection", "backups-selection"),
    );
    assert.deepEqual(selection.resources, [databaseArn]);
    const role = recorded.one("aws:iam/role:Role", "backups-role");
    assert.equal(selection.iamRoleArn, role.outputs.arn);
    assert.deepEqual(policy(recorded.inputs(role).assumeRolePolicy).Statement, [
      { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const attached = recorded
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => recorded.inputs(a).policyArn);
    assert.deepEqual(attached, [
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });
});

describe("Backups on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Backups("backups", args("staging"));
    await settle();
  });

  it("keeps the seed's schedule in one region, without copies", () => {
    assert.equal(recorded.ofType(vaultType).length, 1);
    const rules = recorded.inputs(recorded.one(planType, "backups-plan")).rules as Record<
      string,
      unknown
    >[];
    assert.equal(rules.length, 3);
    assert.ok(rules.every((r) => r.copyActions === undefined));
    assert.equal(recorded.one(vaultType, "backups-vault").protect, false);
  });
});
