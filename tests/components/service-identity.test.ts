import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { ServiceIdentity, type ServiceIdentityArgs } from "../../components/service-identity";
import { servicePolicy } from "../../components/service-identity/aws";
import { gcpServiceAccountId, gcsRoleFor } from "../../components/service-identity/gcp";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { policy, tags } from "./support";

const providerArn =
  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
const issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
const bucketKey = "arn:aws:kms:us-east-1:123456789012:key/objects";
const queueKey = "arn:aws:kms:us-east-1:123456789012:key/notifications";
const queueArn = "arn:aws:sqs:us-east-1:123456789012:notifications-queue";
const topicArn = "arn:aws:sns:us-east-1:123456789012:notifications-topic";
const domainArn = "arn:aws:es:us-east-1:123456789012:domain/search-domain";

const awsCloud: ServiceIdentityArgs["cloud"] = {
  target: "aws",
  oidcProviderArn: providerArn,
  oidcIssuer: issuer,
  resources: {
    region: "us-east-1",
    buckets: { uploads: "platform-uploads", backups: "platform-backups" },
    bucketKeyArn: bucketKey,
    queueArn,
    topicArn,
    queueKeyArn: queueKey,
    searchDomainArn: domainArn,
  },
};

function identity(uses: ServiceIdentityArgs["uses"], cloud = awsCloud): ServiceIdentity {
  return new ServiceIdentity("identity-api", {
    clusterName: "platform-prod",
    namespace: "production",
    serviceAccount: "api",
    uses,
    cloud,
    tags,
  });
}

describe("ServiceIdentity on aws", () => {
  let recorded: Recorded;
  let built: ServiceIdentity;
  before(async () => {
    recorded = useMocks();
    built = identity({
      buckets: { uploads: "readwrite" },
      queue: "read",
      topic: "write",
      search: "read",
    });
    await settle();
  });
  const role = () => recorded.one("aws:iam/role:Role", "identity-api-role");
  const statements = () =>
    policy(
      recorded.inputs(recorded.one("aws:iam/rolePolicy:RolePolicy", "identity-api-policy")).policy,
    ).Statement;

  it("is trusted by the cluster's OIDC provider for exactly its ServiceAccount and STS", () => {
    assert.deepEqual(JSON.parse(recorded.inputs(role()).assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: "system:serviceaccount:production:api",
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });

  it("reads and writes the uploads bucket and its objects, and no other bucket", () => {
    const s3 = statements().filter((s) => (s.Action as string[])[0]!.startsWith("s3:"));
    assert.deepEqual(s3, [
      {
        Sid: "ListUploads",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::platform-uploads"],
      },
      {
        Sid: "ReadUploads",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: ["arn:aws:s3:::platform-uploads/*"],
      },
      {
        Sid: "WriteUploads",
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:DeleteObject",
          "s3:ListMultipartUploadParts",
          "s3:PutObject",
        ],
        Resource: ["arn:aws:s3:::platform-uploads/*"],
      },
    ]);
    assert.ok(!JSON.stringify(statements()).includes("platform-backups"));
  });

  it("may use the buckets' key only through S3, for this bucket, to decrypt and make data keys", () => {
    assert.deepEqual(
      statements().find((s) => s.Sid === "UseBucketKeyThroughS3"),
      {
        Sid: "UseBucketKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [bucketKey],
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.us-east-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::platform-uploads"],
          },
        },
      },
    );
  });

  it("consumes the queue, publishes to the topic, and uses their key through SQS and SNS", () => {
    const byId = (sid: string) => statements().find((s) => s.Sid === sid);
    assert.deepEqual(byId("ConsumeQueue"), {
      Sid: "ConsumeQueue",
      Effect: "Allow",
      Action: [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ],
      Resource: [queueArn],
    });
    assert.equal(byId("SendToQueue"), undefined, "a consumer does not send");
    assert.deepEqual(byId("PublishToTopic"), {
      Sid: "PublishToTopic",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: [topicArn],
    });
    assert.deepEqual(byId("UseQueueKeyThroughSqsAndSns"), {
      Sid: "UseQueueKeyThroughSqsAndSns",
      Effect: "Allow",
      // Publishing to an encrypted topic needs a data key.
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [queueKey],
      Condition: {
        StringEquals: {
          "kms:ViaService": ["sqs.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"],
        },
      },
    });
  });

  it("reads the search domain over HTTP, on this domain only", () => {
    assert.deepEqual(
      statements().find((s) => s.Sid === "UseSearchDomain"),
      {
        Sid: "UseSearchDomain",
        Effect: "Allow",
        Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"],
        Resource: [domainArn, `${domainArn}/*`],
      },
    );
  });

  it("names no wildcard resource", () => {
    for (const s of statements()) {
      for (const r of s.Resource as string[]) assert.ok(r !== "*", `${String(s.Sid)} on *`);
    }
  });

  it("annotates the ServiceAccount with the role's ARN", async () => {
    const arn = await new Promise<string>((done) =>
      built.annotations["eks.amazonaws.com/role-arn"]!.apply(done),
    );
    assert.equal(arn, role().outputs.arn);
    assert.deepEqual(Object.keys(built.annotations), ["eks.amazonaws.com/role-arn"]);
  });

  it("has pods wait for the role and its policy", () => {
    assert.deepEqual(
      built.ready.map((r) => (r as pulumi.CustomResource).constructor.name),
      ["Role", "RolePolicy"],
    );
  });

  it("parents its children to the component", () => {
    const component = recorded.one("platform:index:ServiceIdentity", "identity-api");
    assert.equal(role().parent, component.urn);
  });
});

describe("ServiceIdentity on aws: access levels", () => {
  const arns = {
    region: "us-east-1",
    buckets: { uploads: "platform-uploads" },
    bucketKeyArn: bucketKey,
    queueArn,
    queueKeyArn: queueKey,
    searchDomainArn: domainArn,
  };
  const actions = (doc: Record<string, unknown>) =>
    (doc.Statement as { Action: string[] }[]).flatMap((s) => s.Action);

  it("a reader of a bucket may only list, get and decrypt", () => {
    assert.deepEqual(actions(servicePolicy({ buckets: { uploads: "read" } }, arns)), [
      "s3:ListBucket",
      "s3:GetObject",
      "s3:GetObjectVersion",
      "kms:Decrypt",
    ]);
  });

  it("a writer of a bucket may put and delete objects and make data keys, not read", () => {
    assert.deepEqual(actions(servicePolicy({ buckets: { uploads: "write" } }, arns)), [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
      // Multipart uploads to an SSE-KMS bucket need Decrypt as well.
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
  });

  it("a sender to the queue may send and make data keys, not receive", () => {
    assert.deepEqual(actions(servicePolicy({ buckets: {}, queue: "write" }, arns)), [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:SendMessage",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
  });

  it("a consumer of the queue may decrypt but not make data keys", () => {
    const doc = servicePolicy({ buckets: {}, queue: "read" }, arns);
    assert.ok(!actions(doc).includes("kms:GenerateDataKey"));
    assert.ok(actions(doc).includes("kms:Decrypt"));
  });

  it("a writer of the search domain may put, post, patch and delete", () => {
    assert.deepEqual(actions(servicePolicy({ buckets: {}, search: "write" }, arns)), [
      "es:ESHttpDelete",
      "es:ESHttpPatch",
      "es:ESHttpPost",
      "es:ESHttpPut",
    ]);
  });

  it("a service using only a bucket is allowed nothing on the queue, topic or domain", () => {
    const doc = JSON.stringify(servicePolicy({ buckets: { uploads: "read" } }, arns));
    for (const arn of [queueArn, queueKey, domainArn]) assert.ok(!doc.includes(arn), arn);
  });
});

describe("ServiceIdentity on gcp", () => {
  let recorded: Recorded;
  let built: ServiceIdentity;
  before(async () => {
    recorded = useMocks();
    const pool = new gcp.container.Cluster("standby-cluster-gke", { location: "us-central1" });
    built = identity(
      { buckets: { uploads: "readwrite", backups: "read" } },
      {
        target: "gcp",
        project: "platform-prod-standby",
        buckets: { uploads: "standby-uploads", backups: "standby-backups" },
        poolReady: [pool],
      },
    );
    await settle();
  });
  const account = () => recorded.one("gcp:serviceaccount/account:Account", "identity-api-gsa");

  it("is a Google service account of the project", () => {
    assert.deepEqual(recorded.inputs(account()), {
      accountId: "platform-prod-api",
      displayName: "api in production of platform-prod",
      project: "platform-prod-standby",
    });
  });

  it("may be used only by the service's ServiceAccount, once the cluster's pool exists", () => {
    const binding = recorded.one(
      "gcp:serviceaccount/iAMMember:IAMMember",
      "identity-api-workload-identity",
    );
    assert.deepEqual(recorded.inputs(binding), {
      serviceAccountId: account().outputs.name,
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:platform-prod-standby.svc.id.goog[production/api]",
    });
    const cluster = recorded.one("gcp:container/cluster:Cluster", "standby-cluster-gke");
    assert.ok(binding.dependencies.includes(cluster.urn), "IAM refuses a pool that does not exist");
  });

  it("holds object roles on exactly the buckets it uses", () => {
    const grants = recorded
      .ofType("gcp:storage/bucketIAMMember:BucketIAMMember")
      .map((r) => recorded.inputs(r));
    assert.deepEqual(grants, [
      {
        bucket: "standby-backups",
        role: "roles/storage.objectViewer",
        member: account().outputs.member,
      },
      {
        bucket: "standby-uploads",
        role: "roles/storage.objectUser",
        member: account().outputs.member,
      },
    ]);
  });

  it("annotates the ServiceAccount with the account's e-mail", async () => {
    const email = await new Promise<string>((done) =>
      built.annotations["iam.gke.io/gcp-service-account"]!.apply(done),
    );
    assert.equal(email, account().outputs.email);
  });
});

describe("ServiceIdentity on gcp: names and roles", () => {
  it("names the account <cluster>-<service>, within 30 characters", () => {
    assert.equal(gcpServiceAccountId("platform-prod", "api"), "platform-prod-api");
    const long = gcpServiceAccountId("enrichment-prod", "notification-service");
    assert.equal(long.length, 30);
    assert.match(long, /^enrichment-prod-notific-[0-9a-f]{6}$/);
    assert.notEqual(long, gcpServiceAccountId("enrichment-prod", "notification-sender"));
  });

  it("grants objectViewer to read and objectUser to write", () => {
    assert.deepEqual((["read", "write", "readwrite"] as const).map(gcsRoleFor), [
      "roles/storage.objectViewer",
      "roles/storage.objectUser",
      "roles/storage.objectUser",
    ]);
  });
});
