import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import { BackupTransfer, transferReadPolicy } from "../../components/objectstore/transfer";
import { autoscalingDefaults, type ServiceSettings } from "../../components/workloads";
import {
  buildGcpSite,
  buildStandbyWorkloads,
  gcpManagedServicesCidr,
  servicesTheStandbyCanRun,
  standbyServices,
} from "../../compose/gcp";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { stackConfig } from "../support/stacks";
import { tags } from "./support";

describe("The standby's copy of the primary's backups", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new BackupTransfer("standby-backups", {
      sourceBucket: "objects-backups-8314601",
      sourceKeyArn: "arn:aws:kms:us-east-1:123456789012:key/objects-key",
      sinkBucket: "standby-objects-backups-61022bc",
      tags,
    });
    await settle();
  });

  it("copies the S3 backups bucket into the GCS one every 60 minutes, deleting nothing", () => {
    const job = recorded.inputs(
      recorded.one("gcp:storage/transferJob:TransferJob", "standby-backups-transfer"),
    );
    const spec = job.transferSpec as Record<string, Record<string, unknown>>;
    assert.equal(spec.awsS3DataSource!.bucketName, "objects-backups-8314601");
    assert.deepEqual(spec.gcsDataSink, { bucketName: "standby-objects-backups-61022bc" });
    assert.equal(spec.transferOptions!.deleteObjectsUniqueInSink, false);
    assert.equal(spec.transferOptions!.deleteObjectsFromSourceAfterTransfer, false);
    assert.equal((job.schedule as Record<string, unknown>).repeatInterval, "3600s");
  });

  it("reads through a role only Google's transfer identity may assume", () => {
    const role = recorded.one("aws:iam/role:Role", "standby-backups-reader");
    const trust = JSON.parse(String(recorded.inputs(role).assumeRolePolicy)) as {
      Statement: { Principal: unknown; Action: string; Condition: unknown }[];
    };
    assert.equal(trust.Statement.length, 1);
    assert.deepEqual(trust.Statement[0]!.Principal, { Federated: "accounts.google.com" });
    assert.equal(trust.Statement[0]!.Action, "sts:AssumeRoleWithWebIdentity");
    const condition = trust.Statement[0]!.Condition as {
      StringEquals: Record<string, string>;
    };
    assert.match(condition.StringEquals["accounts.google.com:sub"]!, /^\d+$/);
    const job = recorded.inputs(
      recorded.one("gcp:storage/transferJob:TransferJob", "standby-backups-transfer"),
    );
    const source = (job.transferSpec as Record<string, Record<string, unknown>>).awsS3DataSource!;
    assert.equal(source.roleArn, role.outputs.arn);
  });

  it("lets the role list and read the bucket and decrypt its SSE-KMS objects with the bucket's key, nothing else", () => {
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "standby-backups-reader"),
    );
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation"],
          Resource: "arn:aws:s3:::objects-backups-8314601",
        },
        {
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: "arn:aws:s3:::objects-backups-8314601/*",
        },
        {
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: "arn:aws:kms:us-east-1:123456789012:key/objects-key",
        },
      ],
    });
  });

  it("asks for no KMS permission when the source bucket is not SSE-KMS encrypted", () => {
    assert.deepEqual(JSON.parse(transferReadPolicy("arn:aws:s3:::b")), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation"],
          Resource: "arn:aws:s3:::b",
        },
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
      ],
    });
  });
});

describe("Services on the warm standby", () => {
  const api = {
    name: "api",
    replicas: 3,
    autoscaling: {
      ...autoscalingDefaults.prod,
      podsMetrics: [
        { name: "requests_per_second", averageValue: "100", counter: "http_requests_total" },
      ],
    },
    egress: [
      { port: 5432, cidr: "10.10.0.0/16" },
      { port: 6379, cidr: "10.10.0.0/16" },
      { port: 443, cidr: "0.0.0.0/0" },
    ],
  } as unknown as ServiceSettings;
  const [standby] = standbyServices([api], "10.10.0.0/16");

  it("run one replica at rest and keep the tier's autoscaling ceiling for a failover", () => {
    assert.equal(standby!.replicas, 1);
    assert.equal(standby!.autoscaling.min, 1);
    assert.equal(standby!.autoscaling.max, 20);
  });

  it("scale on CPU and memory only: the standby serves no custom metrics for a Pods metric", () => {
    assert.deepEqual(standby!.autoscaling.podsMetrics, []);
    assert.deepEqual(
      [standby!.autoscaling.cpuPercent, standby!.autoscaling.memoryPercent],
      [70, 80],
    );
  });

  it("reach the data services in GCP's private service range, Redis on its TLS port 6378", () => {
    assert.equal(gcpManagedServicesCidr, "10.30.0.0/16");
    assert.deepEqual(standby!.egress, [
      { port: 5432, cidr: "10.30.0.0/16" },
      { port: 6378, cidr: "10.30.0.0/16" },
      { port: 443, cidr: "0.0.0.0/0" },
    ]);
  });
});

describe("Services the standby leaves out", () => {
  const service = (name: string, keys: string[], calls: string[] = []) =>
    ({
      name,
      secretEnv: Object.fromEntries(
        keys.map((key) => [key.toUpperCase(), { secret: "connections", key }]),
      ),
      calls,
    }) as unknown as ServiceSettings;
  const services = [
    service("search-api", ["search-url"]),
    service("gateway", [], ["search-api"]),
    service("edge-proxy", [], ["gateway"]),
    service("users", ["database-url"]),
  ];

  it("leaves out a service whose connection has no counterpart, and every caller of it", () => {
    const { kept, leftOut } = servicesTheStandbyCanRun(services, ["database-url", "redis-url"]);
    assert.deepEqual(
      kept.map((s) => s.name),
      ["users"],
    );
    assert.deepEqual(leftOut.sort(), ["edge-proxy", "gateway", "search-api"]);
  });

  it("runs everything when every connection is there", () => {
    const { kept, leftOut } = servicesTheStandbyCanRun(services, ["database-url", "search-url"]);
    assert.equal(kept.length, 4);
    assert.deepEqual(leftOut, []);
  });
});

describe("Connections on the warm standby", function () {
  this.timeout(60_000);
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks({ stack: "prod" });
    const config = stackConfig("prod");
    const provider = new gcp.Provider("gcp", { project: "p", region: "us-central1" });
    const site = buildGcpSite("standby-", config, provider, true);
    buildStandbyWorkloads(config, site, { "app.kubernetes.io/part-of": config.baseName });
    await settle();
  });

  it("hand the services Memorystore's CA beside its rediss:// URL, as redis-ca", () => {
    const secret = recorded.one("kubernetes:core/v1:Secret", "standby-workloads-connections");
    const data = recorded.inputs(secret).stringData as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), ["database-url", "redis-ca", "redis-url"]);
    const redis = recorded.one("gcp:redis/instance:Instance", "standby-cache-redis");
    assert.equal(data["redis-ca"], `mock-redis-ca-${String(redis.outputs.name)}\n`);
  });
});
