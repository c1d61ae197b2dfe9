import { strict as assert } from "node:assert";
import {
  apiOfResourceType,
  GcpApis,
  gcpApisFor,
  providerAfterApis,
} from "../../components/gcp/apis";
import { gcpLabels } from "../../components/gcp/labels";
import { settle, useMocks } from "../support/mocks";

describe("GCP APIs of a site", () => {
  const network = [
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "servicenetworking.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "cloudkms.googleapis.com",
    "container.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
  ];

  it("always enables the network's, GKE's, its keys', IAM's, logging's and monitoring's", () => {
    assert.deepEqual(
      gcpApisFor({ database: false, cache: false, objectStore: false, backupTransfer: false }),
      network,
    );
  });

  it("adds Cloud SQL, Memorystore, Cloud Storage and Storage Transfer when the site builds them", () => {
    assert.deepEqual(
      gcpApisFor({ database: true, cache: true, objectStore: true, backupTransfer: true }),
      [
        ...network,
        "sqladmin.googleapis.com",
        "redis.googleapis.com",
        "storage.googleapis.com",
        "storagetransfer.googleapis.com",
      ],
    );
  });

  it("adds Database Migration Service when the primary's database is replicated into the site's", () => {
    const site = { database: true, cache: false, objectStore: false, backupTransfer: true };
    assert.deepEqual(gcpApisFor({ ...site, databaseReplication: true }), [
      ...network,
      "sqladmin.googleapis.com",
      "datamigration.googleapis.com",
    ]);
    assert.deepEqual(gcpApisFor({ ...site, databaseReplication: false }), [
      ...network,
      "sqladmin.googleapis.com",
    ]);
  });

  it("needs no Storage Transfer without buckets to copy into", () => {
    assert.deepEqual(
      gcpApisFor({ database: false, cache: false, objectStore: false, backupTransfer: true }),
      network,
    );
  });

  const types: [string, string | undefined][] = [
    ["gcp:compute/firewall:Firewall", "compute.googleapis.com"],
    ["gcp:servicenetworking/connection:Connection", "servicenetworking.googleapis.com"],
    ["gcp:container/nodePool:NodePool", "container.googleapis.com"],
    ["gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "cloudkms.googleapis.com"],
    ["gcp:serviceaccount/account:Account", "iam.googleapis.com"],
    ["gcp:projects/iAMCustomRole:IAMCustomRole", "iam.googleapis.com"],
    ["gcp:projects/iAMMember:IAMMember", "cloudresourcemanager.googleapis.com"],
    ["gcp:sql/user:User", "sqladmin.googleapis.com"],
    ["gcp:redis/instance:Instance", "redis.googleapis.com"],
    ["gcp:storage/bucketIAMMember:BucketIAMMember", "storage.googleapis.com"],
    ["gcp:storage/transferJob:TransferJob", "storagetransfer.googleapis.com"],
    ["gcp:databasemigrationservice/migrationJob:MigrationJob", "datamigration.googleapis.com"],
    [
      "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
      "datamigration.googleapis.com",
    ],
    ["gcp:compute/vPNTunnel:VPNTunnel", "compute.googleapis.com"],
    ["gcp:monitoring/alertPolicy:AlertPolicy", "monitoring.googleapis.com"],
    ["gcp:projects/service:Service", undefined],
    ["gcp:bigquery/dataset:Dataset", undefined],
    ["aws:s3/bucketV2:BucketV2", undefined],
  ];
  for (const [type, api] of types) {
    it(`serves ${type} from ${api ?? "no API it enables"}`, () => {
      assert.equal(apiOfResourceType(type), api);
    });
  }
});

describe("GCP API enablement", () => {
  it("enables each API once in the project and leaves it on when the stack is destroyed", async () => {
    const recorded = useMocks();
    new GcpApis("gcp-apis", {
      project: "platform-prod-standby",
      apis: ["compute.googleapis.com", "container.googleapis.com"],
    });
    await settle();
    assert.deepEqual(
      recorded.ofType("gcp:projects/service:Service").map((r) => [r.name, recorded.inputs(r)]),
      [
        [
          "gcp-apis-compute",
          {
            project: "platform-prod-standby",
            service: "compute.googleapis.com",
            disableOnDestroy: false,
          },
        ],
        [
          "gcp-apis-container",
          {
            project: "platform-prod-standby",
            service: "container.googleapis.com",
            disableOnDestroy: false,
          },
        ],
      ],
    );
  });

  it("readies the site's provider only after every API is enabled, with the stack's labels", async () => {
    const recorded = useMocks();
    const apis = new GcpApis("gcp-apis", {
      project: "p",
      apis: ["compute.googleapis.com", "sqladmin.googleapis.com"],
    });
    providerAfterApis(
      "gcp-site",
      { project: "p", region: "europe-west1", labels: gcpLabels({ Project: "Platform X" }) },
      apis,
    );
    await settle();
    const provider = recorded.one("pulumi:providers:gcp", "gcp-site");
    assert.deepEqual(recorded.inputs(provider), {
      project: "p",
      region: "europe-west1",
      defaultLabels: JSON.stringify({ project: "platform-x" }),
    });
    assert.deepEqual(
      [...provider.dependencies].sort(),
      recorded
        .ofType("gcp:projects/service:Service")
        .map((r) => r.urn)
        .sort(),
    );
  });
});
