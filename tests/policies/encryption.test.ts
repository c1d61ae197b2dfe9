import { strict as assert } from "node:assert";
import type { FakeResource } from "../support/policy";
import { assertFindings, usePack, withField } from "./pack";

/** Compliant baselines, one per resource type; each test changes one field. */
const rdsInstance: FakeResource = {
  type: "aws:rds/instance:Instance",
  name: "db",
  props: { engine: "postgres", storageEncrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/db" },
};
const rdsCluster: FakeResource = {
  type: "aws:rds/cluster:Cluster",
  name: "aurora",
  props: { engine: "aurora-postgresql", storageEncrypted: true },
};
const replicationGroup: FakeResource = {
  type: "aws:elasticache/replicationGroup:ReplicationGroup",
  name: "cache",
  props: {
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "token",
    },
  },
};
const volume: FakeResource = {
  type: "aws:ebs/volume:Volume",
  name: "data",
  props: { size: 100, encrypted: true },
};
const launchTemplate: FakeResource = {
  type: "aws:ec2/launchTemplate:LaunchTemplate",
  name: "nodes",
  props: {
    blockDeviceMappings: [
      { deviceName: "/dev/xvda", ebs: { volumeSize: 50, encrypted: "true" } },
      { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
    ],
  },
};
const eksCluster: FakeResource = {
  type: "aws:eks/cluster:Cluster",
  name: "eks",
  props: {
    encryptionConfig: {
      resources: ["secrets"],
      provider: { keyArn: "arn:aws:kms:us-east-1:1:key/eks" },
    },
  },
};
const domain: FakeResource = {
  type: "aws:opensearch/domain:Domain",
  name: "search",
  props: {
    encryptAtRest: { enabled: true },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
    vpcOptions: { subnetIds: ["subnet-private-a"], securityGroupIds: ["sg-search"] },
  },
};
const queue: FakeResource = {
  type: "aws:sqs/queue:Queue",
  name: "jobs",
  props: { sqsManagedSseEnabled: true },
};
const topic: FakeResource = {
  type: "aws:sns/topic:Topic",
  name: "events",
  props: { kmsMasterKeyId: "alias/aws/sns" },
};
const cloudSql: FakeResource = {
  type: "gcp:sql/databaseInstance:DatabaseInstance",
  name: "standby-db",
  props: { settings: { ipConfiguration: { ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" } } },
};
const memorystore: FakeResource = {
  type: "gcp:redis/instance:Instance",
  name: "standby-cache",
  props: { transitEncryptionMode: "SERVER_AUTHENTICATION", authEnabled: true },
};
const gcsBucket: FakeResource = {
  type: "gcp:storage/bucket:Bucket",
  name: "standby-objects",
  props: {
    uniformBucketLevelAccess: true,
    encryption: { defaultKmsKeyName: "projects/p/locations/us/keyRings/r/cryptoKeys/k" },
  },
};
const gkeCluster: FakeResource = {
  type: "gcp:container/cluster:Cluster",
  name: "gke",
  props: {
    databaseEncryption: {
      state: "ENCRYPTED",
      keyName: "projects/p/locations/us/keyRings/r/cryptoKeys/k",
    },
  },
};
const zoneSetting = (settingId: string, value: unknown): FakeResource => ({
  type: "cloudflare:index/zoneSetting:ZoneSetting",
  name: settingId,
  props: { zoneId: "zone-1", settingId, value },
});

interface Case {
  readonly it: string;
  readonly resource: FakeResource;
  readonly messages: readonly RegExp[];
  readonly level?: string;
}
interface PolicyCases {
  readonly passes: readonly FakeResource[];
  readonly fails: readonly Case[];
}

const cases: Record<string, PolicyCases> = {
  "aws-rds-storage-encrypted": {
    passes: [rdsInstance, rdsCluster],
    fails: [
      {
        it: "fails an instance whose storage is not encrypted",
        resource: withField(rdsInstance, "props.storageEncrypted", false),
        messages: [/^db: storage is not encrypted; set storageEncrypted: true\.$/],
      },
      {
        it: "fails a cluster that leaves storageEncrypted unset",
        resource: withField(rdsCluster, "props.storageEncrypted", undefined),
        messages: [/^aurora: storage is not encrypted/],
      },
    ],
  },
  "aws-elasticache-encrypted": {
    passes: [replicationGroup],
    fails: [
      {
        it: "fails a group not encrypted at rest",
        resource: withField(replicationGroup, "props.atRestEncryptionEnabled", false),
        messages: [/^cache: data at rest is not encrypted; set atRestEncryptionEnabled: true\.$/],
      },
      {
        it: "fails a group not encrypted in transit",
        resource: withField(replicationGroup, "props.transitEncryptionEnabled", undefined),
        messages: [
          /^cache: traffic is not encrypted in transit; set transitEncryptionEnabled: true\.$/,
        ],
      },
      {
        it: "fails a group without an AUTH token",
        resource: withField(replicationGroup, "props.authToken", undefined),
        messages: [/^cache: no AUTH token; set authToken so clients must authenticate\.$/],
      },
    ],
  },
  "aws-ebs-encrypted": {
    passes: [volume, launchTemplate],
    fails: [
      {
        it: "fails an unencrypted volume",
        resource: withField(volume, "props.encrypted", false),
        messages: [/^data: the volume is not encrypted; set encrypted: true\.$/],
      },
      {
        it: "fails a launch template with an unencrypted EBS block device",
        resource: withField(launchTemplate, "props.blockDeviceMappings.0.ebs.encrypted", "false"),
        messages: [
          /^nodes: block device \/dev\/xvda is not encrypted; set ebs.encrypted: "true"\.$/,
        ],
      },
    ],
  },
  "aws-eks-secrets-encrypted": {
    passes: [eksCluster],
    fails: [
      {
        it: "fails a cluster without secrets encryption",
        resource: withField(eksCluster, "props.encryptionConfig", undefined),
        messages: [
          /^eks: Secrets are not envelope-encrypted \(encryptionConfig.resources is \[\]\); add "secrets" with a KMS key\.$/,
        ],
      },
    ],
  },
  "aws-opensearch-encrypted": {
    passes: [domain],
    fails: [
      {
        it: "fails a domain not encrypted at rest",
        resource: withField(domain, "props.encryptAtRest.enabled", false),
        messages: [/^search: data at rest is not encrypted; set encryptAtRest.enabled: true\.$/],
      },
      {
        it: "fails a domain without node-to-node encryption",
        resource: withField(domain, "props.nodeToNodeEncryption", undefined),
        messages: [/^search: traffic between nodes is not encrypted/],
      },
      {
        it: "fails a domain accepting plain HTTP",
        resource: withField(domain, "props.domainEndpointOptions.enforceHttps", false),
        messages: [
          /^search: the endpoint accepts plain HTTP; set domainEndpointOptions.enforceHttps: true\.$/,
        ],
      },
      {
        it: "fails a domain allowing TLS 1.0",
        resource: withField(
          domain,
          "props.domainEndpointOptions.tlsSecurityPolicy",
          "Policy-Min-TLS-1-0-2019-07",
        ),
        messages: [
          /^search: TLS policy "Policy-Min-TLS-1-0-2019-07" is not allowed; set domainEndpointOptions.tlsSecurityPolicy to one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10\.$/,
        ],
      },
    ],
  },
  "aws-sqs-encrypted": {
    passes: [
      queue,
      withField(
        withField(queue, "props.sqsManagedSseEnabled", false),
        "props.kmsMasterKeyId",
        "alias/q",
      ),
    ],
    fails: [
      {
        it: "fails a queue without server-side encryption",
        resource: withField(queue, "props.sqsManagedSseEnabled", false),
        messages: [
          /^jobs: messages are not encrypted; set sqsManagedSseEnabled: true or kmsMasterKeyId\.$/,
        ],
      },
    ],
  },
  "aws-sns-encrypted": {
    passes: [topic],
    fails: [
      {
        it: "fails a topic without a KMS key",
        resource: withField(topic, "props.kmsMasterKeyId", ""),
        messages: [/^events: messages are not encrypted; set kmsMasterKeyId\.$/],
      },
    ],
  },
  "gcp-cloudsql-ssl-required": {
    passes: [
      cloudSql,
      withField(
        cloudSql,
        "props.settings.ipConfiguration.sslMode",
        "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
      ),
      withField(
        withField(cloudSql, "props.settings.ipConfiguration.sslMode", undefined),
        "props.settings.ipConfiguration.requireSsl",
        true,
      ),
    ],
    fails: [
      {
        it: "fails an instance that admits unencrypted connections",
        resource: withField(
          cloudSql,
          "props.settings.ipConfiguration.sslMode",
          "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        ),
        messages: [
          /^standby-db: sslMode is "ALLOW_UNENCRYPTED_AND_ENCRYPTED", which admits unencrypted connections; set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY\.$/,
        ],
      },
      {
        it: "fails an instance with no settings at all",
        resource: withField(cloudSql, "props.settings", undefined),
        messages: [/^standby-db: sslMode is unset/],
      },
    ],
  },
  "gcp-memorystore-encrypted": {
    passes: [memorystore],
    fails: [
      {
        it: "fails an instance without transit encryption",
        resource: withField(memorystore, "props.transitEncryptionMode", "DISABLED"),
        messages: [
          /^standby-cache: transitEncryptionMode is "DISABLED"; set it to SERVER_AUTHENTICATION\.$/,
        ],
      },
      {
        it: "fails an instance without AUTH",
        resource: withField(memorystore, "props.authEnabled", undefined),
        messages: [/^standby-cache: AUTH is off; set authEnabled: true\.$/],
      },
    ],
  },
  "gcp-gcs-uniform-access": {
    passes: [gcsBucket],
    fails: [
      {
        it: "fails a bucket with object ACLs",
        resource: withField(gcsBucket, "props.uniformBucketLevelAccess", false),
        messages: [
          /^standby-objects: object ACLs are enabled; set uniformBucketLevelAccess: true\.$/,
        ],
      },
    ],
  },
  "gcp-gcs-customer-key": {
    passes: [gcsBucket],
    fails: [
      {
        it: "advises a customer key where none is set",
        resource: withField(gcsBucket, "props.encryption", undefined),
        messages: [
          /^standby-objects: objects use a Google-managed key; set encryption.defaultKmsKeyName\.$/,
        ],
        level: "advisory",
      },
    ],
  },
  "gcp-gke-secrets-encrypted": {
    passes: [gkeCluster],
    fails: [
      {
        it: "fails a cluster with application-layer encryption off",
        resource: withField(gkeCluster, "props.databaseEncryption.state", "DECRYPTED"),
        messages: [
          /^gke: databaseEncryption.state is "DECRYPTED"; set it to ENCRYPTED with a keyName\.$/,
        ],
      },
    ],
  },
  "cloudflare-zone-tls": {
    passes: [
      zoneSetting("min_tls_version", "1.2"),
      zoneSetting("min_tls_version", "1.3"),
      zoneSetting("always_use_https", "on"),
      zoneSetting("http3", "off"),
    ],
    fails: [
      {
        it: "fails a zone accepting TLS 1.0",
        resource: zoneSetting("min_tls_version", "1.0"),
        messages: [/^min_tls_version: min_tls_version is "1.0"; set it to 1.2 or later\.$/],
      },
      {
        it: "fails a zone serving plain HTTP",
        resource: zoneSetting("always_use_https", "off"),
        messages: [/^always_use_https: always_use_https is "off"; set it to "on"\.$/],
      },
    ],
  },
};

describe("Encryption policies, through the analyzer protocol", function () {
  const pack = usePack();

  for (const [policy, { passes, fails }] of Object.entries(cases)) {
    describe(policy, () => {
      it(`passes the compliant ${passes.map((p) => p.type.split(":")[2]).join(", ")}`, async () => {
        for (const resource of passes) assert.deepEqual(await pack.analyze(resource, policy), []);
      });
      for (const c of fails) {
        it(c.it, async () => {
          assertFindings(await pack.analyze(c.resource, policy), policy, c.messages, c.level);
        });
      }
    });
  }

  it("raises nothing for the compliant baselines across the whole pack", async () => {
    const all = [
      rdsInstance,
      rdsCluster,
      replicationGroup,
      volume,
      launchTemplate,
      eksCluster,
      domain,
      queue,
      topic,
      memorystore,
      gcsBucket,
      gkeCluster,
    ];
    for (const resource of all) assert.deepEqual(await pack.analyze(resource), [], resource.type);
  });

  describe("configured thresholds", () => {
    afterEach(async () => pack.configure());

    it("refuses TLS 1.2 zones when the stack asks for 1.3", async () => {
      await pack.configure({
        "cloudflare-zone-tls": { enforcementLevel: "mandatory", minimumTlsVersion: "1.3" },
      });
      assertFindings(
        await pack.analyze(zoneSetting("min_tls_version", "1.2"), "cloudflare-zone-tls"),
        "cloudflare-zone-tls",
        [/min_tls_version is "1.2"; set it to 1.3 or later\.$/],
      );
    });

    it("accepts only the OpenSearch TLS policies the stack lists", async () => {
      await pack.configure({
        "aws-opensearch-encrypted": {
          enforcementLevel: "mandatory",
          allowedTlsPolicies: ["Policy-Min-TLS-1-2-PFS-2023-10"],
        },
      });
      assertFindings(
        await pack.analyze(domain, "aws-opensearch-encrypted"),
        "aws-opensearch-encrypted",
        [
          /TLS policy "Policy-Min-TLS-1-2-2019-07" is not allowed; set domainEndpointOptions.tlsSecurityPolicy to one of Policy-Min-TLS-1-2-PFS-2023-10\.$/,
        ],
      );
    });
  });
});
