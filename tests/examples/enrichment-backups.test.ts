import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

describe("Seed 000 backups (examples/enrichment, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("enrichment", "prod");
  });
  const selection = () => plan.inputs("aws:backup/selection:Selection", "backups-selection");

  it("backs up with AWS Backup every store it supports that the stack builds: the database and the uploads bucket", () => {
    const resources = at(selection(), "resources") as string[];
    assert.equal(resources.length, 2);
    assert.match(resources[0]!, /^arn:aws:rds:us-east-1:\d{12}:db:enrichment-prod-database$/);
    assert.match(resources[1]!, /^arn:aws:s3:::objects-uploads-[0-9a-f]+$/);
    // No DynamoDB table or EFS file system is built: nothing else AWS Backup could take.
    for (const type of ["aws:dynamodb/table:Table", "aws:efs/fileSystem:FileSystem"]) {
      assert.equal(plan.ofType(type).length, 0, type);
    }
  });

  it("selects only versioned buckets, which AWS Backup requires of S3", () => {
    const buckets = (at(selection(), "resources") as string[])
      .filter((r) => r.startsWith("arn:aws:s3:::"))
      .map((r) => r.slice("arn:aws:s3:::".length));
    for (const bucket of buckets) {
      const versioning = plan
        .ofType("aws:s3/bucketVersioning:BucketVersioning")
        .find((v) => at(v.inputs, "bucket") === bucket);
      assert.equal(at(versioning?.inputs, "versioningConfiguration", "status"), "Enabled", bucket);
    }
  });

  it("lets AWS Backup's role read the buckets through its S3 policies", () => {
    const attached = plan
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith("backups-role-"))
      .map((a) => at(a.inputs, "policyArn"));
    assert.ok(attached.includes("arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"));
    assert.ok(attached.includes("arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore"));
  });

  it("keeps the vaults protected and copies every recovery point to us-west-2", () => {
    const vaults = plan.ofType("aws:backup/vault:Vault");
    assert.deepEqual(vaults.map((v) => [v.name, v.protect]).sort(), [
      ["backups-replica-vault", true],
      ["backups-vault", true],
    ]);
  });

  it("snapshots Redis daily and keeps the snapshots 7 days, with a final snapshot on deletion", () => {
    const redis = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.equal(at(redis, "snapshotRetentionLimit"), 7);
    assert.equal(at(redis, "snapshotWindow"), "02:00-03:00");
    assert.equal(at(redis, "finalSnapshotIdentifier"), "enrichment-prod-cache-final-snapshot");
  });

  it("prepares an S3 snapshot repository for search: a role only OpenSearch assumes, writing search/ of the backups bucket, passable to OpenSearch only", () => {
    const trust = JSON.parse(
      at(plan.inputs("aws:iam/role:Role", "search-snapshot-role"), "assumeRolePolicy") as string,
    ) as { Statement: { Principal: unknown }[] };
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "es.amazonaws.com" });
    const backups = plan.ofType("aws:s3/bucket:Bucket").find((b) => b.name === "objects-backups");
    const bucket = at(backups?.outputs, "bucket") as string;
    const access = at(
      plan.inputs("aws:iam/rolePolicy:RolePolicy", "search-snapshot-access"),
      "policy",
    ) as string;
    assert.ok(access.includes(`arn:aws:s3:::${bucket}/search/*`), access);
    const registrar = at(
      plan.inputs("aws:iam/policy:Policy", "search-snapshot-registrar"),
      "policy",
    ) as string;
    assert.ok(registrar.includes('"iam:PassedToService":"es.amazonaws.com"'), registrar);
  });

  it("never expires the search snapshot repository: no lifecycle rule of the backups bucket that expires objects covers search/", () => {
    type Rule = { id: string; filter?: { prefix?: string }; expiration?: unknown };
    for (const name of ["objects-backups-lifecycle", "objects-backups-replica-lifecycle"]) {
      const rules = at(
        plan.inputs("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", name),
        "rules",
      ) as Rule[];
      const expiring = rules.filter((r) => r.expiration !== undefined);
      assert.ok(expiring.length > 0, `${name} expires nothing`);
      for (const rule of expiring) {
        assert.ok(!"search/".startsWith(rule.filter?.prefix ?? ""), `${name}: ${rule.id}`);
      }
    }
  });
});
