import { strict as assert } from "node:assert";
import type { ObjectStoreOutputs } from "../../components/objectstore";
import {
  createGcsObjectStore,
  createS3ToGcsTransfer,
  gcsLocation,
  kmsLocationOf,
  type GcsObjectStoreArgs,
  type S3ToGcsTransferOutputs,
} from "../../components/objectstore/gcp";
import type { Tier } from "../../config/tiers";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { testParent } from "./gcp-support";

const buckets = [
  { role: "uploads", noncurrentVersionDays: 30, infrequentAccessAfterDays: 90, expireAfterDays: 0 },
  {
    role: "backups",
    noncurrentVersionDays: 7,
    infrequentAccessAfterDays: 30,
    expireAfterDays: 365,
  },
];

function args(tier: Tier, overrides: Partial<GcsObjectStoreArgs> = {}): GcsObjectStoreArgs {
  return {
    tier,
    buckets,
    crossRegionReplication: false,
    deletionProtection: tier === "prod",
    placement: { target: "gcp", networkId: "projects/p/global/networks/n" },
    tags: { tier },
    region: "us-central1",
    ...overrides,
  };
}

async function build(
  a: GcsObjectStoreArgs,
): Promise<{ recorded: Recorded; built: ObjectStoreOutputs }> {
  const recorded = useMocks();
  const built = createGcsObjectStore("store", a, testParent());
  await settle();
  return { recorded, built };
}

const bucketType = "gcp:storage/bucket:Bucket";

describe("ObjectStore on gcp in prod", () => {
  let recorded: Recorded;
  let built: ObjectStoreOutputs;

  before(async () => {
    ({ recorded, built } = await build(args("prod")));
  });

  it("creates one bucket per role in the region", () => {
    assert.deepEqual(
      recorded.ofType(bucketType).map((b) => [b.name, recorded.inputs(b).location]),
      [
        ["store-uploads", "US-CENTRAL1"],
        ["store-backups", "US-CENTRAL1"],
      ],
    );
  });

  it("allows no object ACLs and no public access, and keeps every version", () => {
    for (const b of recorded.ofType(bucketType)) {
      const inputs = recorded.inputs(b);
      assert.equal(inputs.uniformBucketLevelAccess, true, b.name);
      assert.equal(inputs.publicAccessPrevention, "enforced", b.name);
      assert.deepEqual(inputs.versioning, { enabled: true }, b.name);
      assert.equal(inputs.forceDestroy, false, b.name);
    }
  });

  it("applies each bucket's retention as lifecycle rules", () => {
    const backups = recorded.inputs(recorded.one(bucketType, "store-backups"));
    assert.deepEqual(backups.lifecycleRules, [
      {
        action: { type: "Delete" },
        condition: { daysSinceNoncurrentTime: 7, withState: "ARCHIVED" },
      },
      { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
      {
        action: { type: "SetStorageClass", storageClass: "NEARLINE" },
        condition: { age: 30, withState: "LIVE" },
      },
      { action: { type: "Delete" }, condition: { age: 365, withState: "LIVE" } },
    ]);
    const uploads = recorded.inputs(recorded.one(bucketType, "store-uploads"));
    assert.equal((uploads.lifecycleRules as unknown[]).length, 3);
  });

  it("protects prod buckets from deletion", () => {
    for (const b of recorded.ofType(bucketType)) assert.equal(b.protect, true, b.name);
  });

  it("returns the bucket names by role and the GCS endpoint", async () => {
    assert.deepEqual(Object.keys(built.bucketNames), ["uploads", "backups"]);
    assert.equal(
      (await resolve(built.bucketNames.backups!)).value,
      recorded.one(bucketType, "store-backups").outputs.name,
    );
    assert.equal((await resolve(built.endpoint)).value, "https://storage.googleapis.com");
  });

  it("uses Google-managed encryption when no key is given", () => {
    for (const b of recorded.ofType(bucketType))
      assert.equal(recorded.inputs(b).encryption, undefined);
  });
});

describe("ObjectStore on gcp with a customer key and cross-region replication", () => {
  const key = "projects/p/locations/us/keyRings/r/cryptoKeys/objects";

  it("encrypts with the key once the Cloud Storage agent may use it, in the US multi-region", async () => {
    const { recorded } = await build(
      args("prod", { kmsKeyName: key, crossRegionReplication: true }),
    );
    const grant = recorded.one("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "store-kms-gcs");
    assert.deepEqual(recorded.inputs(grant), {
      cryptoKeyId: key,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "serviceAccount:service-412345678901@gs-project-accounts.iam.gserviceaccount.com",
    });
    for (const b of recorded.ofType(bucketType)) {
      assert.deepEqual(recorded.inputs(b).encryption, { defaultKmsKeyName: key });
      assert.equal(recorded.inputs(b).location, "US");
      assert.ok(b.dependencies.includes(grant.urn));
    }
  });
});

describe("ObjectStore on gcp in dev", () => {
  it("keeps the same privacy but may be deleted", async () => {
    const { recorded } = await build(args("dev"));
    for (const b of recorded.ofType(bucketType)) {
      assert.equal(b.protect, false);
      assert.equal(recorded.inputs(b).publicAccessPrevention, "enforced");
    }
  });
});

describe("ObjectStore settings for GCS", () => {
  const locations: [string, boolean, string][] = [
    ["us-central1", false, "US-CENTRAL1"],
    ["us-central1", true, "US"],
    ["europe-west1", true, "EU"],
    ["asia-east1", true, "ASIA"],
  ];
  for (const [region, replicated, expected] of locations) {
    it(`places ${replicated ? "replicated " : ""}buckets of ${region} in ${expected}`, () =>
      assert.equal(gcsLocation(region, replicated), expected));
  }

  const kmsLocations: [string, string][] = [
    ["US", "us"],
    ["EU", "europe"],
    ["ASIA", "asia"],
    ["EUROPE-WEST1", "europe-west1"],
  ];
  for (const [bucketLocation, keyLocation] of kmsLocations) {
    it(`keeps the key of buckets in ${bucketLocation} in Cloud KMS location ${keyLocation}`, () =>
      assert.equal(kmsLocationOf(bucketLocation), keyLocation));
  }

  it("refuses every bad setting at once, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        createGcsObjectStore(
          "bad",
          args("prod", {
            region: "australia-southeast1",
            crossRegionReplication: true,
            buckets: [
              {
                role: "Logs",
                noncurrentVersionDays: 0,
                infrequentAccessAfterDays: 30,
                expireAfterDays: 10,
              },
              buckets[0]!,
              buckets[0]!,
            ],
          }),
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "ObjectStore",
        resourceName: "bad",
        problems: [
          "bucket roles repeat: uploads",
          'bucket role "Logs": expected 1-20 lowercase letters, digits or hyphens',
          "bucket Logs: noncurrentVersionDays 0; expected >= 1",
          "bucket Logs: infrequentAccessAfterDays 30 is not before expireAfterDays 10",
          'crossRegionReplication: region "australia-southeast1" has no GCS multi-region; use one of asia-east1, asia-northeast1, asia-northeast2, asia-northeast3, asia-south1, asia-south2, asia-southeast1, europe-central2, europe-north1, europe-north2, europe-southwest1, europe-west1, europe-west3, europe-west4, europe-west8, europe-west9, europe-west10, europe-west12, us-central1, us-east1, us-east4, us-east5, us-south1, us-west1, us-west2, us-west3, us-west4',
        ],
      },
    );
    assert.equal(recorded.ofType(bucketType).length, 0);
  });
});

describe("Standby data path: S3 backups to GCS with Storage Transfer Service", () => {
  const roleArn = "arn:aws:iam::123456789012:role/platform-prod-gcs-transfer";
  let recorded: Recorded;
  let built: S3ToGcsTransferOutputs;

  before(async () => {
    recorded = useMocks();
    built = createS3ToGcsTransfer(
      "standby",
      {
        sourceBucket: "platform-prod-backups",
        roleArn,
        sinkBucket: "standby-backups",
        intervalMinutes: 60,
      },
      testParent(),
    );
    await settle();
  });

  it("copies new and changed objects from the S3 bucket every hour, deleting nothing", () => {
    const job = recorded.inputs(
      recorded.one("gcp:storage/transferJob:TransferJob", "standby-transfer"),
    );
    assert.equal(job.status, "ENABLED");
    assert.deepEqual(job.transferSpec, {
      awsS3DataSource: { bucketName: "platform-prod-backups", roleArn },
      gcsDataSink: { bucketName: "standby-backups" },
      transferOptions: {
        overwriteWhen: "DIFFERENT",
        deleteObjectsUniqueInSink: false,
        deleteObjectsFromSourceAfterTransfer: false,
      },
    });
    assert.deepEqual(job.schedule, {
      scheduleStartDate: { year: 2026, month: 1, day: 1 },
      repeatInterval: "3600s",
    });
  });

  it("lets the transfer service find the sink bucket, list, compare and write its objects before the job starts", () => {
    const member =
      "serviceAccount:project-412345678901@storage-transfer-service.iam.gserviceaccount.com";
    const grants = ["writer", "reader"].map((suffix) =>
      recorded.one("gcp:storage/bucketIAMMember:BucketIAMMember", `standby-sink-${suffix}`),
    );
    assert.deepEqual(
      grants.map((g) => recorded.inputs(g)),
      [
        // storage.buckets.get, objects.create, objects.delete, objects.list
        { bucket: "standby-backups", role: "roles/storage.legacyBucketWriter", member },
        // storage.objects.get: overwriting only objects that differ reads the sink's copy
        { bucket: "standby-backups", role: "roles/storage.objectViewer", member },
      ],
    );
    const job = recorded.one("gcp:storage/transferJob:TransferJob");
    for (const grant of grants) assert.ok(job.dependencies.includes(grant.urn));
  });

  it("gives the subject id the AWS role must trust", async () => {
    assert.equal((await resolve(built.transferServiceSubjectId)).value, "104112233445566778899");
  });

  it("copies each object as it lands when an SQS event queue is given", async () => {
    const events = useMocks();
    const queue = "arn:aws:sqs:us-east-1:123456789012:platform-prod-backups-events";
    createS3ToGcsTransfer(
      "standby",
      { sourceBucket: "b", roleArn, sinkBucket: "s", intervalMinutes: 60, eventQueueArn: queue },
      testParent(),
    );
    await settle();
    const job = events.inputs(events.one("gcp:storage/transferJob:TransferJob"));
    assert.deepEqual(job.eventStream, { name: queue });
    assert.equal(job.schedule, undefined);
  });

  it("refuses a schedule more often than hourly", () => {
    useMocks();
    assert.throws(
      () =>
        createS3ToGcsTransfer(
          "standby",
          { sourceBucket: "b", roleArn, sinkBucket: "s", intervalMinutes: 5 },
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "S3ToGcsTransfer",
        resourceName: "standby",
        problems: [
          "intervalMinutes is 5; Storage Transfer Service runs at most hourly (expected a whole number >= 60)",
        ],
      },
    );
  });
});
