import { strict as assert } from "node:assert";
import { unknownValue } from "../../tools/plan/values";
import type { FakeResource } from "../support/policy";
import { assertFindings, ownMessage, usePack } from "./pack";

const sse =
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const kmsRules = [
  {
    applyServerSideEncryptionByDefault: {
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: "arn:aws:kms:us-east-1:1:key/s3",
    },
  },
];
const bucketUrn = "urn:pulumi:test::platform::aws:s3/bucket:Bucket::assets";

describe("What every policy relies on, through the analyzer protocol", function () {
  const pack = usePack({
    "prod-final-snapshot": { enforcementLevel: "mandatory", environment: "prod" },
  });

  describe("prod-only policies", () => {
    it("take the environment from the stack's policy config, dev unless it says prod", () => {
      for (const info of pack.infos.filter((i) => "environment" in i.configSchema)) {
        assert.deepEqual(
          info.configSchema.environment,
          {
            type: "string",
            enum: ["dev", "staging", "prod"],
            default: "dev",
            description:
              'The environment of the stack; the rule applies only when "prod" (set it in Pulumi.prod.policy.json).',
          },
          info.name,
        );
      }
      assert.ok(
        pack.infos.some((i) => i.name === "prod-final-snapshot" && "environment" in i.configSchema),
      );
    });
  });

  describe("relating a bucket's companions", () => {
    const bucket = (
      props: Record<string, unknown>,
      type = "aws:s3/bucket:Bucket",
    ): FakeResource => ({
      type,
      name: "assets",
      urn: bucketUrn,
      props,
    });

    it("follows the engine's property dependency, whatever name the companion holds", async () => {
      const companion: FakeResource = {
        type: sse,
        name: "assets-sse",
        props: { bucket: unknownValue, rules: kmsRules },
        propertyDependencies: { bucket: [bucketUrn] },
      };
      const found = await pack.analyzeStack(
        [bucket({ bucket: "platform-assets" }), companion],
        "aws-s3-bucket-kms",
      );
      assert.deepEqual(found, []);
    });

    it("relates nothing by a dependency on another resource, or by a name not known yet", async () => {
      const companion: FakeResource = {
        type: sse,
        name: "assets-sse",
        props: { bucket: unknownValue, rules: kmsRules },
        propertyDependencies: { bucket: ["urn:pulumi:test::platform::aws:s3/bucket:Bucket::logs"] },
      };
      const found = await pack.analyzeStack(
        [bucket({ bucket: unknownValue }), companion],
        "aws-s3-bucket-kms",
      );
      assertFindings(found, "aws-s3-bucket-kms", [/has no server-side encryption configuration/]);
    });

    it("matches an auto-named bucket by its id, and names it by its resource name alone", async () => {
      const autoNamed = bucket({ id: "assets-0a1b2c3" });
      const matched = await pack.analyzeStack(
        [
          autoNamed,
          { type: sse, name: "assets-sse", props: { bucket: "assets-0a1b2c3", rules: kmsRules } },
        ],
        "aws-s3-bucket-kms",
      );
      assert.deepEqual(matched, []);
      const alone = await pack.analyzeStack([autoNamed], "aws-s3-bucket-kms");
      assert.equal(alone.length, 1);
      assert.match(
        ownMessage(alone[0]!),
        /^Bucket assets has no server-side encryption configuration/,
      );
    });

    it("holds a BucketV2 to the same rules", async () => {
      const found = await pack.analyzeStack(
        [bucket({ bucket: "platform-assets" }, "aws:s3/bucketV2:BucketV2")],
        "aws-s3-bucket-kms",
      );
      assertFindings(found, "aws-s3-bucket-kms", [
        /^Bucket assets \(platform-assets\) has no server-side/,
      ]);
    });
  });

  describe("reading values", () => {
    it("counts a value the engine cannot know during preview as set", async () => {
      const found = await pack.analyze(
        { type: "aws:sns/topic:Topic", name: "events", props: { kmsMasterKeyId: unknownValue } },
        "aws-sns-encrypted",
      );
      assert.deepEqual(found, []);
    });

    it("counts an empty or null value as unset", async () => {
      for (const kmsMasterKeyId of ["", null]) {
        const found = await pack.analyze(
          { type: "aws:sns/topic:Topic", name: "events", props: { kmsMasterKeyId } },
          "aws-sns-encrypted",
        );
        assertFindings(found, "aws-sns-encrypted", [/^events: messages are not encrypted/]);
      }
    });

    it("shows a null setting as unset", async () => {
      const found = await pack.analyze(
        {
          type: "gcp:container/cluster:Cluster",
          name: "gke",
          props: { databaseEncryption: { state: null } },
        },
        "gcp-gke-secrets-encrypted",
      );
      assertFindings(found, "gcp-gke-secrets-encrypted", [
        /^gke: databaseEncryption.state is unset;/,
      ]);
    });

    it("exempts only RDS instances that replicate a source, not a cluster that names one", async () => {
      const found = await pack.analyze(
        {
          type: "aws:rds/cluster:Cluster",
          name: "aurora",
          props: { replicateSourceDb: "platform-prod-database", skipFinalSnapshot: false },
        },
        "prod-final-snapshot",
      );
      assertFindings(found, "prod-final-snapshot", [/^aurora: no finalSnapshotIdentifier/]);
    });
  });
});
