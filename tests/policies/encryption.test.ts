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

const hostnameTls = (value: unknown): FakeResource => ({
  type: "cloudflare:index/hostnameTlsSetting:HostnameTlsSetting",
  name: "api-hostname-tls",
  props: { zoneId: "zone-1", hostname: "api.example.com", settingId: "min_tls_version", value },
});
const efs: FakeResource = {
  type: "aws:efs/fileSystem:FileSystem",
  name: "shared",
  props: { encrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/efs" },
};
const dynamoTable: FakeResource = {
  type: "aws:dynamodb/table:Table",
  name: "sessions",
  props: {
    hashKey: "id",
    serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:us-east-1:1:key/ddb" },
  },
};
const stream: FakeResource = {
  type: "aws:kinesis/stream:Stream",
  name: "clicks",
  props: { shardCount: 1, encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" },
};
const docdb: FakeResource = {
  type: "aws:docdb/cluster:Cluster",
  name: "docs",
  props: { storageEncrypted: true },
};
const neptune: FakeResource = {
  type: "aws:neptune/cluster:Cluster",
  name: "graph",
  props: { storageEncrypted: true },
};
const redshift: FakeResource = {
  type: "aws:redshift/cluster:Cluster",
  name: "warehouse",
  props: { nodeType: "ra3.xlplus" },
};
const msk: FakeResource = {
  type: "aws:msk/cluster:Cluster",
  name: "events-kafka",
  props: { encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } } },
};
const ebsDefault: FakeResource = {
  type: "aws:ebs/encryptionByDefault:EncryptionByDefault",
  name: "ebs-default",
  props: { enabled: true },
};
const httpsListener: FakeResource = {
  type: "aws:lb/listener:Listener",
  name: "https",
  props: {
    protocol: "HTTPS",
    port: 443,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
  },
};
const httpListener: FakeResource = {
  type: "aws:alb/listener:Listener",
  name: "http",
  props: {
    protocol: "HTTP",
    port: 80,
    defaultActions: [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ],
  },
};
const tcpListener: FakeResource = {
  type: "aws:lb/listener:Listener",
  name: "tcp",
  props: { protocol: "TCP", port: 5432, defaultActions: [{ type: "forward" }] },
};
const distribution: FakeResource = {
  type: "aws:cloudfront/distribution:Distribution",
  name: "cdn",
  props: {
    defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
    orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "https-only" }],
    origins: [
      {
        originId: "api",
        domainName: "api.example.com",
        customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443 },
      },
      { originId: "assets", domainName: "assets.s3.amazonaws.com" },
    ],
    viewerCertificate: {
      acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/cdn",
      minimumProtocolVersion: "TLSv1.2_2021",
      sslSupportMethod: "sni-only",
    },
  },
};
const restDomain: FakeResource = {
  type: "aws:apigateway/domainName:DomainName",
  name: "api-domain",
  props: { domainName: "api.example.com", securityPolicy: "TLS_1_2" },
};
const httpApiDomain: FakeResource = {
  type: "aws:apigatewayv2/domainName:DomainName",
  name: "http-api-domain",
  props: {
    domainName: "api.example.com",
    domainNameConfiguration: { endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
  },
};
const gcpKey = "projects/p/locations/us/keyRings/r/cryptoKeys/k";
const dataset: FakeResource = {
  type: "gcp:bigquery/dataset:Dataset",
  name: "analytics",
  props: { datasetId: "analytics", defaultEncryptionConfiguration: { kmsKeyName: gcpKey } },
};
const pubsubTopic: FakeResource = {
  type: "gcp:pubsub/topic:Topic",
  name: "events-topic",
  props: { kmsKeyName: gcpKey },
};
const filestore: FakeResource = {
  type: "gcp:filestore/instance:Instance",
  name: "files",
  props: { tier: "BASIC_HDD", kmsKeyName: gcpKey },
};
const spanner: FakeResource = {
  type: "gcp:spanner/database:Database",
  name: "ledger",
  props: { instance: "main", encryptionConfig: { kmsKeyName: gcpKey } },
};
const disk: FakeResource = {
  type: "gcp:compute/disk:Disk",
  name: "data-disk",
  props: { size: 100, diskEncryptionKey: { kmsKeySelfLink: gcpKey } },
};
const sslPolicy: FakeResource = {
  type: "gcp:compute/sSLPolicy:SSLPolicy",
  name: "modern",
  props: { profile: "MODERN", minTlsVersion: "TLS_1_2" },
};
const httpsProxy: FakeResource = {
  type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  name: "web-proxy",
  props: { urlMap: "web", sslPolicy: "modern" },
};

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
    passes: [volume, launchTemplate, ebsDefault, withField(ebsDefault, "props.enabled", undefined)],
    fails: [
      {
        it: "fails turning off the region's default EBS encryption",
        resource: withField(ebsDefault, "props.enabled", false),
        messages: [
          /^ebs-default: new volumes of the region would be unencrypted; set enabled: true\.$/,
        ],
      },
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
      {
        // EKS names the only resource it envelope-encrypts "secrets", in lower case.
        it: "fails a cluster that lists Secrets in another case, and shows the list it gave",
        resource: withField(eksCluster, "props.encryptionConfig.resources", ["Secrets"]),
        messages: [
          /\(encryptionConfig.resources is \["Secrets"\]\); add "secrets" with a KMS key\.$/,
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
  "aws-efs-encrypted": {
    passes: [efs],
    fails: [
      {
        it: "fails a file system that leaves encrypted unset",
        resource: withField(efs, "props.encrypted", undefined),
        messages: [/^shared: the file system is not encrypted; set encrypted: true\.$/],
      },
      {
        it: "fails a file system with encrypted false, whatever its kmsKeyId",
        resource: withField(efs, "props.encrypted", false),
        messages: [/^shared: the file system is not encrypted/],
      },
    ],
  },
  "aws-dynamodb-kms": {
    passes: [
      dynamoTable,
      withField(dynamoTable, "props.serverSideEncryption.kmsKeyArn", undefined),
    ],
    fails: [
      {
        it: "fails a table on the AWS-owned key (no serverSideEncryption)",
        resource: withField(dynamoTable, "props.serverSideEncryption", undefined),
        messages: [
          /^sessions: the table is encrypted with a key AWS owns; set serverSideEncryption.enabled: true with kmsKeyArn\.$/,
        ],
      },
      {
        it: "fails a table with serverSideEncryption disabled",
        resource: withField(dynamoTable, "props.serverSideEncryption.enabled", false),
        messages: [/^sessions: the table is encrypted with a key AWS owns/],
      },
    ],
  },
  "aws-kinesis-encrypted": {
    passes: [stream],
    fails: [
      {
        it: "fails a stream with encryptionType NONE",
        resource: withField(stream, "props.encryptionType", "NONE"),
        messages: [/^clicks: encryptionType is "NONE"; set it to "KMS" with kmsKeyId\.$/],
      },
      {
        it: "fails a stream that leaves encryptionType unset",
        resource: withField(stream, "props.encryptionType", undefined),
        messages: [/^clicks: encryptionType is unset;/],
      },
    ],
  },
  "aws-cluster-storage-encrypted": {
    passes: [docdb, neptune, redshift, withField(redshift, "props.encrypted", "true")],
    fails: [
      {
        it: "fails a DocumentDB cluster that leaves storageEncrypted unset",
        resource: withField(docdb, "props.storageEncrypted", undefined),
        messages: [/^docs: storage is not encrypted; set storageEncrypted: true\.$/],
      },
      {
        it: "fails a Neptune cluster that leaves storageEncrypted unset",
        resource: withField(neptune, "props.storageEncrypted", undefined),
        messages: [/^graph: storage is not encrypted; set storageEncrypted: true\.$/],
      },
      {
        it: "fails a Neptune cluster with storageEncrypted false",
        resource: withField(neptune, "props.storageEncrypted", false),
        messages: [/^graph: storage is not encrypted; set storageEncrypted: true\.$/],
      },
      {
        it: 'fails a Redshift cluster with encrypted "false"',
        resource: withField(redshift, "props.encrypted", "false"),
        messages: [/^warehouse: storage is not encrypted; set encrypted: true\.$/],
      },
    ],
  },
  "aws-msk-encrypted-in-transit": {
    passes: [msk, withField(msk, "props.encryptionInfo", undefined)],
    fails: [
      {
        it: "fails a cluster that accepts plain-text clients",
        resource: withField(
          msk,
          "props.encryptionInfo.encryptionInTransit.clientBroker",
          "TLS_PLAINTEXT",
        ),
        messages: [
          /^events-kafka: clients may connect without TLS \(clientBroker "TLS_PLAINTEXT"\); set encryptionInfo.encryptionInTransit.clientBroker to "TLS"\.$/,
        ],
      },
      {
        it: "fails a cluster whose brokers talk in plain text",
        resource: withField(msk, "props.encryptionInfo.encryptionInTransit.inCluster", false),
        messages: [/^events-kafka: brokers talk to each other in plain text;/],
      },
    ],
  },
  "aws-lb-listener-tls": {
    passes: [
      httpsListener,
      httpListener,
      tcpListener,
      withField(httpsListener, "props.sslPolicy", "ELBSecurityPolicy-TLS13-1-3-2021-06"),
      withField(httpsListener, "props.sslPolicy", "ELBSecurityPolicy-FS-1-2-Res-2020-10"),
      withField(httpsListener, "props.sslPolicy", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"),
      withField(httpListener, "props.defaultActions", [
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
      ]),
    ],
    fails: [
      {
        it: "fails an HTTPS listener on the default policy (TLS 1.0)",
        resource: withField(httpsListener, "props.sslPolicy", undefined),
        messages: [
          /^https: sslPolicy unset accepts TLS before 1.2 \(unset means ELBSecurityPolicy-2016-08\); set ELBSecurityPolicy-TLS13-1-2-2021-06/,
        ],
      },
      {
        it: "fails a TLS listener whose policy allows TLS 1.1",
        resource: withField(
          withField(httpsListener, "props.protocol", "TLS"),
          "props.sslPolicy",
          "ELBSecurityPolicy-TLS13-1-1-2021-06",
        ),
        messages: [
          /^https: sslPolicy "ELBSecurityPolicy-TLS13-1-1-2021-06" accepts TLS before 1.2/,
        ],
      },
      {
        it: "fails a listener on the forward-secrecy policy that still accepts TLS 1.0",
        resource: withField(httpsListener, "props.sslPolicy", "ELBSecurityPolicy-FS-2018-06"),
        messages: [/^https: sslPolicy "ELBSecurityPolicy-FS-2018-06" accepts TLS before 1.2/],
      },
      {
        it: "fails an HTTP listener that forwards instead of redirecting to HTTPS",
        resource: withField(httpListener, "props.defaultActions", [{ type: "forward" }]),
        messages: [
          /^http: the HTTP listener serves traffic in plain text; make its default action a redirect with protocol "HTTPS"\.$/,
        ],
      },
      {
        it: "fails a listener with no protocol (HTTP) redirecting to HTTP",
        resource: withField(
          withField(httpListener, "props.protocol", undefined),
          "props.defaultActions.0.redirect.protocol",
          "HTTP",
        ),
        messages: [/^http: the HTTP listener serves traffic in plain text/],
      },
    ],
  },
  "aws-cloudfront-https": {
    passes: [
      distribution,
      withField(distribution, "props.viewerCertificate", { cloudfrontDefaultCertificate: true }),
    ],
    fails: [
      {
        it: "fails a distribution that lets viewers in over HTTP",
        resource: withField(
          distribution,
          "props.defaultCacheBehavior.viewerProtocolPolicy",
          "allow-all",
        ),
        messages: [
          /^cdn: defaultCacheBehavior lets viewers in over HTTP \(viewerProtocolPolicy "allow-all"\); set it to "redirect-to-https" or "https-only"\.$/,
        ],
      },
      {
        it: "fails an ordered cache behaviour allowing HTTP",
        resource: withField(
          distribution,
          "props.orderedCacheBehaviors.0.viewerProtocolPolicy",
          "allow-all",
        ),
        messages: [/^cdn: orderedCacheBehaviors \/api\/\* lets viewers in over HTTP/],
      },
      {
        it: "fails an origin fetched over plain HTTP",
        resource: withField(
          distribution,
          "props.origins.0.customOriginConfig.originProtocolPolicy",
          "http-only",
        ),
        messages: [
          /^cdn: origin api is fetched over plain HTTP; set customOriginConfig.originProtocolPolicy to "https-only"\.$/,
        ],
      },
      {
        it: "fails a custom certificate accepting TLS 1.0",
        resource: withField(
          distribution,
          "props.viewerCertificate.minimumProtocolVersion",
          "TLSv1_2016",
        ),
        messages: [/^cdn: viewers may use TLS before 1.2 \(minimumProtocolVersion "TLSv1_2016"\);/],
      },
    ],
  },
  "aws-api-gateway-tls": {
    passes: [restDomain, httpApiDomain, withField(restDomain, "props.securityPolicy", undefined)],
    fails: [
      {
        it: "fails a REST API domain accepting TLS 1.0",
        resource: withField(restDomain, "props.securityPolicy", "TLS_1_0"),
        messages: [
          /^api-domain: the domain accepts TLS 1.0; set its securityPolicy to "TLS_1_2"\.$/,
        ],
      },
      {
        it: "fails an HTTP API domain accepting TLS 1.0",
        resource: withField(
          httpApiDomain,
          "props.domainNameConfiguration.securityPolicy",
          "TLS_1_0",
        ),
        messages: [/^http-api-domain: the domain accepts TLS 1.0/],
      },
    ],
  },
  "gcp-data-customer-key": {
    passes: [
      dataset,
      pubsubTopic,
      filestore,
      spanner,
      disk,
      withField(spanner, "props.encryptionConfig", { kmsKeyNames: [gcpKey] }),
      withField(disk, "props.diskEncryptionKey", { rawKey: "c2VjcmV0" }),
      withField(disk, "props.diskEncryptionKey", { rsaEncryptedKey: "d3JhcHBlZA==" }),
    ],
    fails: [
      ...(
        [
          [dataset, "defaultEncryptionConfiguration", "defaultEncryptionConfiguration.kmsKeyName"],
          [pubsubTopic, "kmsKeyName", "kmsKeyName"],
          [filestore, "kmsKeyName", "kmsKeyName"],
          [spanner, "encryptionConfig", "encryptionConfig.kmsKeyName"],
          [disk, "diskEncryptionKey", "diskEncryptionKey.kmsKeySelfLink"],
        ] as const
      ).map(([resource, field, input]) => ({
        it: `advises a customer key on a ${resource.type.split(":")[2] ?? ""} without ${field}`,
        resource: withField(resource, `props.${field}`, undefined),
        messages: [
          new RegExp(
            `^${resource.name}: data uses a Google-managed key; set ${input.replace(/\./g, "\\.")}\\.$`,
          ),
        ],
        level: "advisory",
      })),
    ],
  },
  "gcp-lb-tls-policy": {
    passes: [
      sslPolicy,
      withField(sslPolicy, "props.minTlsVersion", "TLS_1_3"),
      httpsProxy,
      { ...httpsProxy, type: "gcp:compute/targetSSLProxy:TargetSSLProxy" },
    ],
    fails: [
      {
        it: "fails an SSL policy left at TLS 1.0",
        resource: withField(sslPolicy, "props.minTlsVersion", undefined),
        messages: [/^modern: minTlsVersion is unset; set it to "TLS_1_2"\.$/],
      },
      {
        it: "fails an SSL policy allowing TLS 1.1",
        resource: withField(sslPolicy, "props.minTlsVersion", "TLS_1_1"),
        messages: [/^modern: minTlsVersion is "TLS_1_1";/],
      },
      {
        it: "fails an HTTPS proxy on Google's default SSL policy",
        resource: withField(httpsProxy, "props.sslPolicy", undefined),
        messages: [
          /^web-proxy: the proxy uses Google's default SSL policy \(TLS 1.0\); set sslPolicy\.$/,
        ],
      },
      {
        it: "fails an SSL proxy without an SSL policy",
        resource: {
          ...withField(httpsProxy, "props.sslPolicy", undefined),
          type: "gcp:compute/targetSSLProxy:TargetSSLProxy",
        },
        messages: [/^web-proxy: the proxy uses Google's default SSL policy/],
      },
      {
        it: "fails a regional HTTPS proxy without an SSL policy",
        resource: {
          ...withField(httpsProxy, "props.sslPolicy", undefined),
          type: "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
        },
        messages: [/^web-proxy: the proxy uses Google's default SSL policy/],
      },
    ],
  },
  "cloudflare-zone-tls": {
    passes: [
      zoneSetting("min_tls_version", "1.2"),
      zoneSetting("min_tls_version", "1.3"),
      zoneSetting("always_use_https", "on"),
      zoneSetting("http3", "off"),
      zoneSetting("ssl", "strict"),
      zoneSetting("ssl", "full"),
      hostnameTls("1.2"),
    ],
    fails: [
      {
        it: "fails a zone whose edge reaches the origin in plain HTTP (ssl flexible)",
        resource: zoneSetting("ssl", "flexible"),
        messages: [
          /^ssl: ssl is "flexible", so the edge reaches the origin in plain HTTP; set it to "strict" \(or "full"\)\.$/,
        ],
      },
      {
        it: "fails a zone with SSL off",
        resource: zoneSetting("ssl", "off"),
        messages: [/^ssl: ssl is "off", so the edge reaches the origin in plain HTTP;/],
      },
      {
        it: "fails a hostname accepting TLS 1.1",
        resource: hostnameTls("1.1"),
        messages: [/^api-hostname-tls: min_tls_version is "1.1"; set it to 1.2 or later\.$/],
      },
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
      efs,
      dynamoTable,
      stream,
      docdb,
      neptune,
      redshift,
      msk,
      ebsDefault,
      httpsListener,
      httpListener,
      tcpListener,
      distribution,
      restDomain,
      httpApiDomain,
      dataset,
      pubsubTopic,
      filestore,
      spanner,
      disk,
      sslPolicy,
      httpsProxy,
      zoneSetting("ssl", "strict"),
      hostnameTls("1.3"),
    ];
    for (const resource of all) assert.deepEqual(await pack.analyze(resource), [], resource.type);
  });

  describe("configured thresholds", () => {
    afterEach(async () => pack.configure());

    it("declares the zone's TLS floor as 1.2 or 1.3 and the OpenSearch TLS policies as a list of names", () => {
      const schemaOf = (policy: string) => pack.infos.find((i) => i.name === policy)?.configSchema;
      assert.deepEqual(schemaOf("cloudflare-zone-tls")?.minimumTlsVersion, {
        type: "string",
        enum: ["1.2", "1.3"],
        default: "1.2",
        description: "Lowest TLS version the zone's min_tls_version may be set to.",
      });
      assert.deepEqual(schemaOf("aws-opensearch-encrypted")?.allowedTlsPolicies, {
        type: "array",
        items: { type: "string" },
        default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
        description: "TLS security policies (minimum TLS 1.2) a domain endpoint may use.",
      });
    });

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
