import { strict as assert } from "node:assert";
import { unknownValue } from "../../tools/plan/values";
import type { FakeResource } from "../support/policy";
import { assertFindings, usePack, withField } from "./pack";

/** A compliant bucket and its companions, related by the bucket name they reference. */
function bucketSet(name: string, bucket = `platform-${name}`): FakeResource[] {
  return [
    { type: "aws:s3/bucket:Bucket", name, props: { bucket } },
    {
      type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      name: `${name}-sse`,
      props: {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: "arn:aws:kms:us-east-1:1:key/s3",
            },
          },
        ],
      },
    },
    {
      type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      name: `${name}-pab`,
      props: {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    },
    {
      type: "aws:s3/bucketPolicy:BucketPolicy",
      name: `${name}-policy`,
      props: {
        bucket,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
    },
    {
      type: "aws:s3/bucketVersioning:BucketVersioning",
      name: `${name}-versioning`,
      props: { bucket, versioningConfiguration: { status: "Enabled" } },
    },
  ];
}

const without = (set: FakeResource[], suffix: string) =>
  set.filter((r) => !r.name.endsWith(suffix));
const changed = (set: FakeResource[], suffix: string, path: string, value: unknown) =>
  set.map((r) => (r.name.endsWith(suffix) ? withField(r, path, value) : r));
const bucketUrn = "urn:pulumi:test::platform::aws:s3/bucket:Bucket::assets";

describe("S3 bucket policies, stack-wide through the analyzer protocol", function () {
  const pack = usePack({
    "prod-backup-bucket-versioned": { enforcementLevel: "mandatory", environment: "prod" },
  });
  const assets = bucketSet("assets");

  it("pass a bucket with every companion in place", async () => {
    assert.deepEqual(await pack.analyzeStack([...assets, ...bucketSet("db-backups")]), []);
  });

  describe("aws-s3-bucket-kms", () => {
    const policy = "aws-s3-bucket-kms";

    it("fails a bucket with no encryption configuration", async () => {
      const found = await pack.analyzeStack(without(assets, "-sse"), policy);
      assertFindings(found, policy, [
        /^Bucket assets \(platform-assets\) has no server-side encryption configuration; add a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms"\.$/,
      ]);
      assert.equal(found[0]?.urn, bucketUrn);
    });

    it("passes a bucket encrypted with dual-layer SSE-KMS (aws:kms:dsse)", async () => {
      const dsse = changed(
        assets,
        "-sse",
        "props.rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",
        "aws:kms:dsse",
      );
      assert.deepEqual(await pack.analyzeStack(dsse, policy), []);
    });

    it("fails a bucket encrypted with SSE-S3 only", async () => {
      const found = await pack.analyzeStack(
        changed(
          assets,
          "-sse",
          "props.rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",
          "AES256",
        ),
        policy,
      );
      assertFindings(found, policy, [
        /^Bucket assets \(platform-assets\) is encrypted with AES256, not SSE-KMS; set sseAlgorithm "aws:kms"\.$/,
      ]);
    });

    it("does not count another bucket's configuration", async () => {
      const other = changed(bucketSet("logs"), "-sse", "props.bucket", "platform-logs");
      const found = await pack.analyzeStack([...without(assets, "-sse"), ...other], policy);
      assertFindings(found, policy, [
        /^Bucket assets \(platform-assets\) has no server-side encryption/,
      ]);
    });
  });

  describe("aws-s3-bucket-tls-only", () => {
    const policy = "aws-s3-bucket-tls-only";

    it("fails a bucket with no bucket policy", async () => {
      assertFindings(await pack.analyzeStack(without(assets, "-policy"), policy), policy, [
        /^Bucket assets \(platform-assets\) accepts requests without TLS; add a bucket policy denying aws:SecureTransport "false"\.$/,
      ]);
    });

    it("fails a bucket policy that allows rather than denies insecure transport", async () => {
      const allow = changed(
        assets,
        "-policy",
        "props.policy",
        JSON.stringify({
          Statement: { Effect: "Allow", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        }),
      );
      assertFindings(await pack.analyzeStack(allow, policy), policy, [
        /accepts requests without TLS/,
      ]);
    });

    it("fails a bucket policy that is not JSON", async () => {
      assertFindings(
        await pack.analyzeStack(changed(assets, "-policy", "props.policy", "{not json"), policy),
        policy,
        [/accepts requests without TLS/],
      );
    });

    it("passes a TLS deny that follows other statements, with and without conditions", async () => {
      const document = {
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::1:role/app" },
            Action: "s3:GetObject",
          },
          {
            Effect: "Deny",
            Action: "s3:*",
            Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1" } },
          },
          {
            Effect: "Deny",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      };
      const policies = changed(assets, "-policy", "props.policy", JSON.stringify(document));
      assert.deepEqual(await pack.analyzeStack(policies, policy), []);
    });

    it("fails a policy whose only Deny is on another condition than aws:SecureTransport", async () => {
      const mfaOnly = changed(
        assets,
        "-policy",
        "props.policy",
        JSON.stringify({
          Statement: [
            { Effect: "Deny", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } },
          ],
        }),
      );
      assertFindings(await pack.analyzeStack(mfaOnly, policy), policy, [
        /accepts requests without TLS/,
      ]);
    });

    it("counts a policy document the engine cannot know during preview as denying", async () => {
      const unknown = changed(assets, "-policy", "props.policy", unknownValue);
      assert.deepEqual(await pack.analyzeStack(unknown, policy), []);
    });

    it("passes a policy given as an object with a single statement", async () => {
      const single = changed(assets, "-policy", "props.policy", {
        Statement: { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": false } } },
      });
      assert.deepEqual(await pack.analyzeStack(single, policy), []);
    });
  });

  describe("aws-s3-public-access-block", () => {
    const policy = "aws-s3-public-access-block";

    it("fails a bucket with no public access block", async () => {
      assertFindings(await pack.analyzeStack(without(assets, "-pab"), policy), policy, [
        /^Bucket assets \(platform-assets\) has no public access block; add a BucketPublicAccessBlock with all four flags true\.$/,
      ]);
    });

    it("fails a block that leaves public policies allowed", async () => {
      assertFindings(
        await pack.analyzeStack(changed(assets, "-pab", "props.blockPublicPolicy", false), policy),
        policy,
        [
          /^Bucket assets \(platform-assets\)'s public access block leaves blockPublicPolicy off; set them to true\.$/,
        ],
      );
    });
  });

  describe("aws-s3-public-access-block on a block judged by itself", () => {
    const policy = "aws-s3-public-access-block";
    /** The block of a bucket another stack creates: no bucket of this program matches it. */
    const block = assets.find((r) => r.name.endsWith("-pab")) as FakeResource;
    const foreign = withField({ ...block, name: "logs-pab" }, "props.bucket", "platform-logs");
    const account: FakeResource = {
      type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
      name: "account-pab",
      props: {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    };

    it("passes a block of a bucket created elsewhere with all four flags true", async () => {
      assert.deepEqual(await pack.analyzeStack([foreign, account], policy), []);
    });

    for (const flag of [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
    ]) {
      it(`fails that block, on the block itself, when ${flag} is false`, async () => {
        const found = await pack.analyzeStack([withField(foreign, `props.${flag}`, false)], policy);
        assertFindings(found, policy, [
          new RegExp(
            `^logs-pab: the public access block of platform-logs leaves ${flag} off; set them to true\\.$`,
          ),
        ]);
        assert.equal(
          found[0]?.urn,
          "urn:pulumi:test::platform::aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::logs-pab",
        );
      });
    }

    it("fails a block that leaves its flags unset", async () => {
      const bare = { ...foreign, props: { bucket: "platform-logs", blockPublicAcls: true } };
      assertFindings(await pack.analyzeStack([bare], policy), policy, [
        /leaves blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off;/,
      ]);
    });

    it("fails an account-wide block with a flag false", async () => {
      const found = await pack.analyzeStack(
        [withField(account, "props.restrictPublicBuckets", false)],
        policy,
      );
      assertFindings(found, policy, [
        /^account-pab: the public access block of the account leaves restrictPublicBuckets off; set them to true\.$/,
      ]);
    });

    it("reports a weak block of this program's bucket once, on the bucket", async () => {
      const found = await pack.analyzeStack(
        changed(assets, "-pab", "props.ignorePublicAcls", false),
        policy,
      );
      assert.deepEqual(
        found.map((d) => d.urn),
        [bucketUrn],
      );
    });
  });

  describe("prod-backup-bucket-versioned", () => {
    const policy = "prod-backup-bucket-versioned";
    const backups = bucketSet("db-backups");

    it("fails a backup bucket without versioning", async () => {
      assertFindings(await pack.analyzeStack(without(backups, "-versioning"), policy), policy, [
        /^Backup bucket db-backups \(platform-db-backups\) does not keep versions; add a BucketVersioning with status "Enabled"\.$/,
      ]);
    });

    it("fails a backup bucket whose versioning is suspended", async () => {
      const suspended = changed(
        backups,
        "-versioning",
        "props.versioningConfiguration.status",
        "Suspended",
      );
      assertFindings(await pack.analyzeStack(suspended, policy), policy, [
        /does not keep versions/,
      ]);
    });

    it("recognises a backup bucket by its real name", async () => {
      const renamed = bucketSet("store", "platform-backup-store");
      assertFindings(await pack.analyzeStack(without(renamed, "-versioning"), policy), policy, [
        /^Backup bucket store \(platform-backup-store\)/,
      ]);
    });

    it("leaves buckets that hold no backups alone", async () => {
      assert.deepEqual(await pack.analyzeStack(without(assets, "-versioning"), policy), []);
    });

    it("matches backup buckets by the configured pattern", async () => {
      await pack.configure({
        [policy]: {
          enforcementLevel: "mandatory",
          environment: "prod",
          backupBucketPattern: "^assets$",
        },
      });
      try {
        assertFindings(await pack.analyzeStack(without(assets, "-versioning"), policy), policy, [
          /^Backup bucket assets/,
        ]);
      } finally {
        await pack.configure();
      }
    });

    it("stays silent outside prod", async () => {
      await pack.configure({ [policy]: { enforcementLevel: "mandatory", environment: "staging" } });
      try {
        assert.deepEqual(await pack.analyzeStack(without(backups, "-versioning"), policy), []);
      } finally {
        await pack.configure();
      }
    });
  });
});
