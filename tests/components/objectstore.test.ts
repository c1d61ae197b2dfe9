import { strict as assert } from "node:assert";
import {
  ObjectStore,
  objectStoreDefaults,
  type ObjectStoreArgs,
} from "../../components/objectstore";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, policy, tags } from "./support";

const s3 = (kind: string) => `aws:s3/${kind.charAt(0).toLowerCase()}${kind.slice(1)}:${kind}`;

function args(tier: "staging" | "prod"): ObjectStoreArgs {
  return { ...objectStoreDefaults[tier], tier, placement: awsPlacement("us-west-2"), tags };
}

function bucketNames(recorded: Recorded): string[] {
  return recorded
    .ofType(s3("Bucket"))
    .map((b) => b.name)
    .sort();
}

/** Asserts every security setting of one bucket, primary or replica. */
function assertSecureBucket(recorded: Recorded, name: string, keyName: string): void {
  const bucket = recorded.one(s3("Bucket"), name);
  const key = recorded.one("aws:kms/key:Key", keyName);
  const of = (kind: string, suffix: string) =>
    recorded.inputs(recorded.one(s3(kind), `${name}-${suffix}`));

  assert.deepEqual(of("BucketPublicAccessBlock", "public-access"), {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  assert.deepEqual(of("BucketOwnershipControls", "ownership").rule, {
    objectOwnership: "BucketOwnerEnforced",
  });
  assert.deepEqual(of("BucketVersioning", "versioning").versioningConfiguration, {
    status: "Enabled",
  });
  assert.deepEqual(of("BucketServerSideEncryptionConfiguration", "encryption").rules, [
    {
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: "aws:kms",
        kmsMasterKeyId: key.outputs.arn,
      },
      bucketKeyEnabled: true,
    },
  ]);
  const arn = bucket.outputs.arn as string;
  assert.deepEqual(policy(of("BucketPolicy", "tls-only").policy).Statement, [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

function lifecycle(recorded: Recorded, name: string): unknown {
  return recorded.inputs(recorded.one(s3("BucketLifecycleConfiguration"), `${name}-lifecycle`))
    .rules;
}

describe("ObjectStore on aws in prod", () => {
  let recorded: Recorded;
  let store: ObjectStore;
  before(async () => {
    recorded = useMocks();
    store = new ObjectStore("objects", args("prod"));
    await settle();
  });

  it("builds uploads and backups buckets and a replica of each", () => {
    assert.deepEqual(bucketNames(recorded), [
      "objects-backups",
      "objects-backups-replica",
      "objects-uploads",
      "objects-uploads-replica",
    ]);
  });

  for (const name of ["objects-uploads", "objects-backups"]) {
    it(`makes ${name} private, owner-enforced, versioned, KMS-encrypted and TLS-only`, () => {
      assertSecureBucket(recorded, name, "objects-key");
    });
    it(`makes ${name}-replica just as secure under the replica region's key`, () => {
      assertSecureBucket(recorded, `${name}-replica`, "objects-replica-key");
    });
  }

  it("keeps backups by seed 003: Velero's and the database's expire after 365 days, noncurrent after 7, IA after 30; search/ never expires", () => {
    const expected = [
      {
        id: "retention",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
      },
      {
        id: "expire-k8s-backups",
        status: "Enabled",
        filter: { prefix: "k8s-backups/" },
        expiration: { days: 365 },
      },
      {
        id: "expire-postgres",
        status: "Enabled",
        filter: { prefix: "postgres/" },
        expiration: { days: 365 },
      },
    ];
    assert.deepEqual(lifecycle(recorded, "objects-backups"), expected);
    assert.deepEqual(lifecycle(recorded, "objects-backups-replica"), expected);
  });

  it("keeps uploads forever, noncurrent versions 30 days, IA after 90", () => {
    assert.deepEqual(lifecycle(recorded, "objects-uploads"), [
      {
        id: "retention",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
      },
    ]);
  });

  it("builds the replicas in us-west-2 through its own provider, parented to the component", () => {
    const component = recorded.one("platform:index:ObjectStore", "objects");
    const provider = recorded.one("pulumi:providers:aws", "objects-replica-provider");
    assert.equal(provider.inputs.region, "us-west-2");
    assert.equal(provider.parent, component.urn);
    const replicaKey = recorded.one("aws:kms/key:Key", "objects-replica-key");
    assert.ok(replicaKey.provider.startsWith(`${provider.urn}::`));
    for (const name of ["objects-uploads-replica", "objects-backups-replica"]) {
      const bucket = recorded.one(s3("Bucket"), name);
      assert.ok(bucket.provider.startsWith(`${provider.urn}::`), name);
      assert.equal(bucket.outputs.region, "us-west-2");
    }
  });

  it("replicates every object, KMS-encrypted, with the replication role", () => {
    const role = recorded.one("aws:iam/role:Role", "objects-replication-role");
    assert.deepEqual(policy(recorded.inputs(role).assumeRolePolicy).Statement, [
      { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    for (const bucketRole of ["uploads", "backups"]) {
      const config = recorded.inputs(
        recorded.one(s3("BucketReplicationConfig"), `objects-${bucketRole}-replication`),
      );
      const source = recorded.one(s3("Bucket"), `objects-${bucketRole}`);
      const replica = recorded.one(s3("Bucket"), `objects-${bucketRole}-replica`);
      assert.equal(config.bucket, source.id);
      assert.equal(config.role, role.outputs.arn);
      assert.deepEqual(config.rules, [
        {
          id: "replicate-all",
          status: "Enabled",
          priority: 1,
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: replica.outputs.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: {
              replicaKmsKeyId: recorded.one("aws:kms/key:Key", "objects-replica-key").outputs.arn,
            },
          },
        },
      ]);
    }
  });

  it("protects every bucket and both keys", () => {
    for (const b of recorded.ofType(s3("Bucket"))) assert.equal(b.protect, true, b.name);
    for (const k of recorded.ofType("aws:kms/key:Key")) assert.equal(k.protect, true, k.name);
  });

  it("reports bucket names by role and the regional endpoint", async () => {
    assert.deepEqual(Object.keys(store.bucketNames).sort(), ["backups", "uploads"]);
    const uploads = await resolve(store.bucketNames.uploads!);
    assert.equal(uploads.value, recorded.one(s3("Bucket"), "objects-uploads").outputs.bucket);
    assert.equal((await resolve(store.endpoint)).value, "https://s3.us-east-1.amazonaws.com");
  });
});

describe("ObjectStore on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new ObjectStore("objects", args("staging"));
    await settle();
  });

  it("builds the two buckets and no replicas", () => {
    assert.deepEqual(bucketNames(recorded), ["objects-backups", "objects-uploads"]);
    assert.deepEqual(recorded.ofType(s3("BucketReplicationConfig")), []);
    assert.deepEqual(
      recorded.ofType("pulumi:providers:aws").filter((p) => !p.name.startsWith("default")),
      [],
    );
  });

  for (const name of ["objects-uploads", "objects-backups"]) {
    it(`still makes ${name} private, versioned, KMS-encrypted and TLS-only`, () => {
      assertSecureBucket(recorded, name, "objects-key");
    });
  }

  it("protects nothing", () => {
    for (const r of recorded.all) assert.equal(r.protect, false, r.name);
  });
});

describe("ObjectStore settings", () => {
  it("refuse replication with no replica region", () => {
    useMocks();
    assert.throws(
      () => new ObjectStore("objects", { ...args("prod"), placement: awsPlacement() }),
      {
        name: "ComponentError",
        message:
          "ObjectStore objects: invalid args:\n  - crossRegionReplication is on but the placement has no replicaRegion; set platform:aws.replicaRegion",
      },
    );
  });

  it("refuse two buckets with the same role", () => {
    useMocks();
    const uploads = objectStoreDefaults.prod.buckets[0]!;
    assert.throws(
      () => new ObjectStore("objects", { ...args("staging"), buckets: [uploads, uploads] }),
      {
        name: "ComponentError",
        message: 'ObjectStore objects: invalid args:\n  - bucket role "uploads" is given twice',
      },
    );
  });
});
