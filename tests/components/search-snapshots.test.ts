import { strict as assert } from "node:assert";
import { Search, searchDefaults, type SearchArgs } from "../../components/search";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, tags } from "./support";

const keyArn = "arn:aws:kms:us-east-1:123456789012:key/objects";
const bucket = "objects-backups-0123456";

function args(overrides: Partial<SearchArgs> = {}): SearchArgs {
  return { ...searchDefaults.prod, tier: "prod", placement: awsPlacement(), tags, ...overrides };
}

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: unknown;
};
const statements = (json: unknown) =>
  (JSON.parse(json as string) as { Statement: Statement[] }).Statement;

describe("Search on aws with an S3 snapshot repository (seed 000: search backups to S3)", () => {
  let recorded: Recorded;
  let search: Search;
  before(async () => {
    recorded = useMocks();
    search = new Search(
      "search",
      args({ snapshotBucket: { name: bucket, keyArn, prefix: "search" } }),
    );
    await settle();
  });
  const domainArn = () =>
    recorded.one("aws:opensearch/domain:Domain", "search-domain").outputs.arn as string;

  it("builds a role only OpenSearch may assume", () => {
    const role = recorded.inputs(recorded.one("aws:iam/role:Role", "search-snapshot-role"));
    assert.deepEqual(statements(role.assumeRolePolicy), [
      {
        Effect: "Allow",
        Principal: { Service: "es.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  it("lets that role list, read, write and delete under search/ only, and use the bucket key through S3", () => {
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "search-snapshot-access"),
    );
    assert.deepEqual(statements(policy.policy), [
      {
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": ["search/*"] } },
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `arn:aws:s3:::${bucket}/search/*`,
      },
      {
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: keyArn,
        Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
      },
    ]);
  });

  it("gives whoever registers the repository iam:PassRole on the role, to OpenSearch only, and the domain's _snapshot and _sm requests", async () => {
    const role = recorded.one("aws:iam/role:Role", "search-snapshot-role");
    const policy = recorded.inputs(
      recorded.one("aws:iam/policy:Policy", "search-snapshot-registrar"),
    );
    const [passRole, requests] = statements(policy.policy);
    assert.deepEqual(passRole, {
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: role.outputs.arn,
      Condition: { StringEquals: { "iam:PassedToService": "es.amazonaws.com" } },
    });
    assert.deepEqual(requests?.Resource, [
      `${domainArn()}/_snapshot/*`,
      `${domainArn()}/_plugins/_sm/*`,
    ]);
    assert.equal((await resolve(search.snapshotRoleArn!)).value, role.outputs.arn);
  });
});

describe("Search on aws without a snapshot bucket", () => {
  it("builds no snapshot role or policy", async () => {
    const recorded = useMocks();
    new Search("search", args());
    await settle();
    assert.equal(recorded.all.filter((r) => r.name.startsWith("search-snapshot")).length, 0);
  });
});
