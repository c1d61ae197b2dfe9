import { strict as assert } from "node:assert";
import { Backups, backupDefaults, type BackupArgs } from "../../components/backup";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, tags } from "./support";

const databaseArn = "arn:aws:rds:us-east-1:123456789012:db:platform-test-database";
const bucketArn = "arn:aws:s3:::objects-uploads-0123456";
const attachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

function args(bucketArns?: string[]): BackupArgs {
  return {
    ...backupDefaults.prod,
    tier: "prod",
    placement: awsPlacement("us-west-2"),
    resources: [databaseArn],
    ...(bucketArns && { bucketArns }),
    tags,
  };
}

function policiesOf(recorded: Recorded): Record<string, unknown> {
  return Object.fromEntries(
    recorded
      .ofType(attachment)
      .filter((a) => a.name.startsWith("backups-role-"))
      .map((a) => [a.name, recorded.inputs(a).policyArn]),
  );
}

describe("Backups on aws covering S3 buckets", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Backups("backups", args([bucketArn]));
    await settle();
  });

  it("selects the buckets beside the database", () => {
    const selection = recorded.one("aws:backup/selection:Selection", "backups-selection");
    assert.deepEqual(recorded.inputs(selection).resources, [databaseArn, bucketArn]);
  });

  it("gives its role AWS Backup's S3 policies, which the general pair lacks", () => {
    assert.deepEqual(policiesOf(recorded), {
      "backups-role-backup":
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "backups-role-restore":
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      "backups-role-s3-backup": "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "backups-role-s3-restore": "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    });
  });

  it("creates the selection only once every policy is attached", () => {
    const selection = recorded.one("aws:backup/selection:Selection", "backups-selection");
    for (const a of recorded.ofType(attachment).filter((a) => a.name.startsWith("backups-role-"))) {
      assert.ok(selection.dependencies.includes(a.urn), `${a.name} not awaited`);
    }
  });
});

describe("Backups on aws without buckets", () => {
  it("attaches only the general backup and restore policies", async () => {
    const recorded = useMocks();
    new Backups("backups", args());
    await settle();
    assert.deepEqual(Object.keys(policiesOf(recorded)).sort(), [
      "backups-role-backup",
      "backups-role-restore",
    ]);
  });
});
