import { createHash } from "node:crypto";
import { decodeYaml, renderChart } from "./manifests";
import { projectInvoke, projectRead, type ProjectMocks } from "./project-mocks";
import type { ResourceMocker, ResourceRegistry } from "./recorder";

export const mockAccountId = "123456789012";
export const mockGcpProjectNumber = "412345678901";

/** A stable hex string derived from the inputs, so plans are repeatable. */
export function stableHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

interface MockContext {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  region: string;
  /** The provider's GCP project, when it names one. */
  project?: string;
  hex: (length: number) => string;
}

type Computed = (ctx: MockContext) => Record<string, unknown>;

const awsArn = (ctx: MockContext, service: string, resource: string) =>
  `arn:aws:${service}:${ctx.region}:${mockAccountId}:${resource}`;

/** Outputs the cloud computes, per resource type, beyond echoing the inputs. */
const computedByType: Record<string, Computed> = {
  "aws:ec2/vpc:Vpc": (c) => ({
    id: `vpc-${c.hex(17)}`,
    arn: awsArn(c, "ec2", `vpc/vpc-${c.hex(17)}`),
    defaultSecurityGroupId: `sg-${c.hex(17)}`,
    mainRouteTableId: `rtb-${c.hex(17)}`,
  }),
  "aws:ec2/subnet:Subnet": (c) => ({ id: `subnet-${c.hex(17)}` }),
  "aws:ec2/securityGroup:SecurityGroup": (c) => ({ id: `sg-${c.hex(17)}` }),
  "aws:ec2/internetGateway:InternetGateway": (c) => ({ id: `igw-${c.hex(17)}` }),
  "aws:ec2/natGateway:NatGateway": (c) => ({ id: `nat-${c.hex(17)}`, publicIp: "203.0.113.10" }),
  "aws:ec2/eip:Eip": (c) => ({ id: `eipalloc-${c.hex(17)}`, publicIp: "203.0.113.10" }),
  "aws:ec2/routeTable:RouteTable": (c) => ({ id: `rtb-${c.hex(17)}` }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (c) => ({ id: `vpce-${c.hex(17)}` }),
  "aws:ec2/launchTemplate:LaunchTemplate": (c) => ({ id: `lt-${c.hex(17)}`, latestVersion: 1 }),
  "aws:kms/key:Key": (c) => {
    const keyId = `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`;
    return { id: keyId, keyId, arn: awsArn(c, "kms", `key/${keyId}`) };
  },
  "aws:iam/role:Role": (c) => ({
    arn: `arn:aws:iam::${mockAccountId}:role/${String(c.inputs.name ?? `${c.name}-${c.hex(7)}`)}`,
    name: c.inputs.name ?? `${c.name}-${c.hex(7)}`,
    uniqueId: `AROA${c.hex(16).toUpperCase()}`,
  }),
  "aws:iam/policy:Policy": (c) => ({
    arn: `arn:aws:iam::${mockAccountId}:policy/${c.name}-${c.hex(7)}`,
  }),
  "aws:s3/bucket:Bucket": (c) => bucket(c),
  "aws:s3/bucketV2:BucketV2": (c) => bucket(c),
  "aws:rds/instance:Instance": (c) => {
    const identifier = String(c.inputs.identifier ?? `${c.name}-${c.hex(7)}`);
    const address = `${identifier}.c${c.hex(11)}.${c.region}.rds.amazonaws.com`;
    return {
      id: identifier,
      identifier,
      address,
      endpoint: `${address}:5432`,
      port: c.inputs.port ?? 5432,
      arn: awsArn(c, "rds", `db:${identifier}`),
      resourceId: `db-${c.hex(26).toUpperCase()}`,
    };
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": (c) => {
    const id = String(c.inputs.replicationGroupId ?? `${c.name}-${c.hex(5)}`);
    return {
      id,
      arn: awsArn(c, "elasticache", `replicationgroup:${id}`),
      primaryEndpointAddress: `master.${id}.${c.hex(6)}.use1.cache.amazonaws.com`,
      readerEndpointAddress: `replica.${id}.${c.hex(6)}.use1.cache.amazonaws.com`,
      port: c.inputs.port ?? 6379,
    };
  },
  "aws:rds/subnetGroup:SubnetGroup": (c) => named(c, "rds", "subgrp"),
  "aws:rds/parameterGroup:ParameterGroup": (c) => named(c, "rds", "pg"),
  "aws:elasticache/subnetGroup:SubnetGroup": (c) => named(c, "elasticache", "subnetgroup"),
  "aws:cloudwatch/logGroup:LogGroup": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return { id: name, name, arn: awsArn(c, "logs", `log-group:${name}`) };
  },
  "aws:secretsmanager/secret:Secret": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    const arn = awsArn(c, "secretsmanager", `secret:${name}-${c.hex(6)}`);
    return { id: arn, arn, name };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (c) => ({
    id: `${String(c.inputs.secretId)}|${c.hex(8)}`,
    arn: c.inputs.secretId,
    versionId: `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`,
  }),
  "aws:backup/vault:Vault": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return { id: name, name, arn: awsArn(c, "backup", `backup-vault:${name}`), recoveryPoints: 0 };
  },
  "aws:backup/plan:Plan": (c) => {
    const id = `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`;
    return { id, arn: awsArn(c, "backup", `backup-plan:${id}`), version: c.hex(32) };
  },
  "aws:backup/selection:Selection": (c) => ({ id: `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}` }),
  "aws:sns/topicSubscription:TopicSubscription": (c) => {
    const arn = `${String(c.inputs.topic)}:${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`;
    return { id: arn, arn };
  },
  "aws:eks/cluster:Cluster": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    const oidc = c.hex(32).toUpperCase();
    return {
      id: name,
      name,
      arn: awsArn(c, "eks", `cluster/${name}`),
      endpoint: `https://${oidc}.gr7.${c.region}.eks.amazonaws.com`,
      certificateAuthority: { data: Buffer.from(`mock-ca-${name}`).toString("base64") },
      identities: [
        { oidcs: [{ issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${oidc}` }] },
      ],
      version: c.inputs.version ?? "1.31",
      status: "ACTIVE",
      vpcConfig: {
        ...((c.inputs.vpcConfig ?? {}) as Record<string, unknown>),
        clusterSecurityGroupId: `sg-${c.hex(17)}`,
        vpcId: `vpc-${c.hex(17)}`,
      },
      platformVersion: "eks.1",
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (c) => {
    const clusterName = String(c.inputs.clusterName);
    const nodeGroupName = String(
      c.inputs.nodeGroupName ?? `${String(c.inputs.nodeGroupNamePrefix ?? "")}${c.hex(26)}`,
    );
    return {
      id: `${clusterName}:${nodeGroupName}`,
      nodeGroupName,
      arn: awsArn(c, "eks", `nodegroup/${clusterName}/${nodeGroupName}/${c.hex(8)}`),
      status: "ACTIVE",
      resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-${c.hex(8)}` }] }],
    };
  },
  "aws:eks/addon:Addon": (c) => ({
    id: `${String(c.inputs.clusterName)}:${String(c.inputs.addonName)}`,
    arn: awsArn(
      c,
      "eks",
      `addon/${String(c.inputs.clusterName)}/${String(c.inputs.addonName)}/${c.hex(8)}`,
    ),
  }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (c) => {
    const host = String(c.inputs.url).replace(/^https:\/\//, "");
    const arn = `arn:aws:iam::${mockAccountId}:oidc-provider/${host}`;
    return { id: arn, arn };
  },
  "aws:iam/rolePolicy:RolePolicy": (c) => ({ id: `${String(c.inputs.role)}:${c.name}` }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (c) => ({
    id: `${String(c.inputs.role)}-${c.hex(8)}`,
  }),
  "aws:ec2/flowLog:FlowLog": (c) => ({
    id: `fl-${c.hex(17)}`,
    arn: awsArn(c, "ec2", `vpc-flow-log/fl-${c.hex(17)}`),
  }),
  "aws:kms/alias:Alias": (c) => ({
    id: String(c.inputs.name),
    arn: awsArn(c, "kms", String(c.inputs.name)),
    targetKeyArn: awsArn(c, "kms", `key/${String(c.inputs.targetKeyId)}`),
  }),
  "aws:opensearch/domain:Domain": (c) => {
    const domainName = String(c.inputs.domainName ?? `${c.name}-${c.hex(7)}`.slice(0, 28));
    return {
      id: awsArn(c, "es", `domain/${domainName}`),
      domainName,
      arn: awsArn(c, "es", `domain/${domainName}`),
      domainId: `${mockAccountId}/${domainName}`,
      endpoint: `vpc-${domainName}-${c.hex(26)}.${c.region}.es.amazonaws.com`,
    };
  },
  "aws:sqs/queue:Queue": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      id: `https://sqs.${c.region}.amazonaws.com/${mockAccountId}/${name}`,
      url: `https://sqs.${c.region}.amazonaws.com/${mockAccountId}/${name}`,
      arn: awsArn(c, "sqs", name),
    };
  },
  "aws:sns/topic:Topic": (c) => ({
    arn: awsArn(c, "sns", String(c.inputs.name ?? `${c.name}-${c.hex(7)}`)),
  }),
  "gcp:compute/network:Network": (c) => gcpGlobal(c, "networks"),
  "gcp:compute/subnetwork:Subnetwork": (c) => ({
    ...gcpRegional(c, "subnetworks"),
    gatewayAddress: "10.20.0.1",
  }),
  "gcp:compute/router:Router": (c) => gcpRegional(c, "routers"),
  "gcp:compute/routerNat:RouterNat": (c) => ({
    id: `${gcpProject(c)}/${gcpRegion(c)}/${String(c.inputs.router ?? "router")}/${c.name}`,
    name: c.inputs.name ?? `${c.name}-${c.hex(7)}`,
  }),
  "gcp:compute/globalAddress:GlobalAddress": (c) => gcpGlobal(c, "addresses"),
  // Cloud VPN and the AWS side of the tunnels; public addresses from TEST-NET-3 (203.0.113.0/24).
  "gcp:compute/haVpnGateway:HaVpnGateway": (c) => ({
    ...gcpRegional(c, "vpnGateways"),
    vpnInterfaces: [0, 1].map((id) => ({
      id,
      ipAddress: `203.0.113.${(parseInt(c.hex(2), 16) % 100) + 1 + id * 100}`,
    })),
  }),
  "gcp:compute/externalVpnGateway:ExternalVpnGateway": (c) => gcpGlobal(c, "externalVpnGateways"),
  "gcp:compute/vPNTunnel:VPNTunnel": (c) => gcpRegional(c, "vpnTunnels"),
  "gcp:compute/routerInterface:RouterInterface": (c) => ({
    id: `${gcpRegion(c)}/${String(c.inputs.router)}/${c.name}`,
    name: c.inputs.name ?? `${c.name}-${c.hex(7)}`,
  }),
  "gcp:compute/routerPeer:RouterPeer": (c) => ({
    id: `${gcpRegion(c)}/${String(c.inputs.router)}/${c.name}`,
    name: c.inputs.name ?? `${c.name}-${c.hex(7)}`,
  }),
  "aws:ec2/vpnGateway:VpnGateway": (c) => ({
    id: `vgw-${c.hex(17)}`,
    arn: awsArn(c, "ec2", `vpn-gateway/vgw-${c.hex(17)}`),
  }),
  "aws:ec2/customerGateway:CustomerGateway": (c) => ({
    id: `cgw-${c.hex(17)}`,
    arn: awsArn(c, "ec2", `customer-gateway/cgw-${c.hex(17)}`),
  }),
  "aws:ec2/vpnConnection:VpnConnection": (c) => {
    const inside = (cidr: unknown, host: number) =>
      String(cidr).replace(/\.(\d+)\/30$/, (_, last: string) => `.${Number(last) + host}`);
    return {
      id: `vpn-${c.hex(17)}`,
      arn: awsArn(c, "ec2", `vpn-connection/vpn-${c.hex(17)}`),
      tunnel1Address: `203.0.113.${(parseInt(c.hex(2), 16) % 50) + 1}`,
      tunnel2Address: `203.0.113.${(parseInt(c.hex(2), 16) % 50) + 51}`,
      tunnel1VgwInsideAddress: inside(c.inputs.tunnel1InsideCidr, 1),
      tunnel1CgwInsideAddress: inside(c.inputs.tunnel1InsideCidr, 2),
      tunnel2VgwInsideAddress: inside(c.inputs.tunnel2InsideCidr, 1),
      tunnel2CgwInsideAddress: inside(c.inputs.tunnel2InsideCidr, 2),
      tunnel1BgpAsn: "64512",
      tunnel2BgpAsn: "64512",
    };
  },
  "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": (c) => {
    const name = `projects/${gcpProject(c)}/locations/${String(c.inputs.location)}/connectionProfiles/${String(c.inputs.connectionProfileId)}`;
    return { id: name, name };
  },
  "gcp:databasemigrationservice/migrationJob:MigrationJob": (c) => {
    const name = `projects/${gcpProject(c)}/locations/${String(c.inputs.location)}/migrationJobs/${String(c.inputs.migrationJobId)}`;
    return { id: name, name, state: "RUNNING", phase: "CDC" };
  },
  // A reserved external address; 198.51.100.0/24 (TEST-NET-2) so no plan names a real host.
  "gcp:compute/address:Address": (c) => ({
    ...gcpRegional(c, "addresses"),
    address: `198.51.100.${(parseInt(c.hex(2), 16) % 254) + 1}`,
    addressType: c.inputs.addressType ?? "EXTERNAL",
    networkTier: c.inputs.networkTier ?? "PREMIUM",
    users: [],
  }),
  // Helm reports the release it installed; the chart's objects are named after it.
  "kubernetes:helm.sh/v3:Release": (c) => ({
    id: `${String(c.inputs.namespace ?? "default")}/${String(c.inputs.name ?? c.name)}`,
    status: {
      name: c.inputs.name ?? c.name,
      namespace: c.inputs.namespace ?? "default",
      chart: c.inputs.chart,
      version: c.inputs.version,
      appVersion: c.inputs.version,
      revision: 1,
      status: "deployed",
    },
  }),
  "gcp:servicenetworking/connection:Connection": (c) => ({
    id: `${String(c.inputs.network ?? "network")}:servicenetworking.googleapis.com`,
    peering: "servicenetworking-googleapis-com",
  }),
  "gcp:kms/keyRing:KeyRing": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      id: `projects/${gcpProject(c)}/locations/${gcpRegion(c)}/keyRings/${name}`,
      name,
    };
  },
  "gcp:kms/cryptoKey:CryptoKey": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return { id: `${String(c.inputs.keyRing ?? "keyring")}/cryptoKeys/${name}`, name };
  },
  "gcp:serviceaccount/account:Account": (c) => {
    const accountId = String(c.inputs.accountId ?? c.name);
    const email = `${accountId}@${gcpProject(c)}.iam.gserviceaccount.com`;
    return {
      id: `projects/${gcpProject(c)}/serviceAccounts/${email}`,
      email,
      member: `serviceAccount:${email}`,
      name: `projects/${gcpProject(c)}/serviceAccounts/${email}`,
      uniqueId: String(BigInt(`0x${c.hex(15)}`)),
    };
  },
  "gcp:container/cluster:Cluster": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      ...gcpRegional(c, "clusters", name),
      id: `projects/${gcpProject(c)}/locations/${gcpRegion(c)}/clusters/${name}`,
      endpoint: "172.16.0.2",
      masterAuth: {
        clientCertificateConfig: { issueClientCertificate: false },
        clusterCaCertificate: Buffer.from(`mock-ca-${name}`).toString("base64"),
      },
      masterVersion: "1.31.5-gke.1000000",
    };
  },
  "gcp:container/nodePool:NodePool": (c) => ({
    id: `${String(c.inputs.cluster ?? "cluster")}/nodePools/${c.name}-${c.hex(7)}`,
    name: `${c.name}-${c.hex(7)}`,
    instanceGroupUrls: [],
  }),
  "gcp:sql/databaseInstance:DatabaseInstance": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    const ip = `10.30.${parseInt(c.hex(2), 16)}.${(parseInt(c.hex(4).slice(2), 16) % 250) + 3}`;
    return {
      id: name,
      name,
      project: gcpProject(c),
      connectionName: `${gcpProject(c)}:${gcpRegion(c)}:${name}`,
      privateIpAddress: ip,
      ipAddresses: [{ ipAddress: ip, type: "PRIVATE" }],
      selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${gcpProject(c)}/instances/${name}`,
      serviceAccountEmailAddress: `p${mockGcpProjectNumber}-${c.hex(6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
    };
  },
  "gcp:redis/instance:Instance": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      id: `projects/${gcpProject(c)}/locations/${gcpRegion(c)}/instances/${name}`,
      name,
      project: gcpProject(c),
      host: `10.30.${parseInt(c.hex(2), 16)}.4`,
      port: 6378,
      authString: `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`,
      serverCaCerts: [{ cert: `mock-redis-ca-${name}` }],
      currentLocationId: `${gcpRegion(c)}-a`,
    };
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": (c) => {
    const name = `projects/${gcpProject(c)}/notificationChannels/${parseInt(c.hex(12), 16)}`;
    return { id: name, name, verificationStatus: "" };
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": (c) => {
    const name = `projects/${gcpProject(c)}/alertPolicies/${parseInt(c.hex(12), 16)}`;
    return {
      id: name,
      name,
      creationRecords: [{ mutateTime: "2026-01-01T00:00:00Z", mutatedBy: "platform-ci" }],
    };
  },
  "gcp:storage/bucket:Bucket": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      id: name,
      name,
      url: `gs://${name}`,
      selfLink: `https://www.googleapis.com/storage/v1/b/${name}`,
    };
  },
  "gcp:storage/transferJob:TransferJob": (c) => ({
    id: `${gcpProject(c)}/transferJobs/${c.hex(19)}`,
    name: `transferJobs/${c.hex(19)}`,
  }),
  "cloudflare:index/zoneSetting:ZoneSetting": (c) => ({
    id: String(c.inputs.settingId),
    editable: true,
    modifiedOn: "2026-01-01T00:00:00Z",
  }),
  "cloudflare:index/dnsRecord:DnsRecord": (c) => ({
    id: c.hex(32),
    proxiable: true,
    createdOn: "2026-01-01T00:00:00Z",
    modifiedOn: "2026-01-01T00:00:00Z",
  }),
  "cloudflare:index/ruleset:Ruleset": (c) => ({
    id: c.hex(32),
    lastUpdated: "2026-01-01T00:00:00Z",
    version: "1",
  }),
  "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor": (c) => ({
    id: c.hex(32),
    createdOn: "2026-01-01T00:00:00Z",
  }),
  "cloudflare:index/loadBalancerPool:LoadBalancerPool": (c) => ({
    id: c.hex(32),
    createdOn: "2026-01-01T00:00:00Z",
    networks: ["cloudflare"],
  }),
  "cloudflare:index/loadBalancer:LoadBalancer": (c) => ({
    id: c.hex(32),
    createdOn: "2026-01-01T00:00:00Z",
    zoneName: String(c.inputs.name ?? "")
      .split(".")
      .slice(-2)
      .join("."),
  }),
  "random:index/randomPassword:RandomPassword": (c) => ({
    result: randomText(c, Number(c.inputs.length ?? 32), c.inputs.special !== false),
    bcryptHash: `$2a$10$${c.hex(53)}`,
  }),
  "random:index/randomId:RandomId": (c) => ({
    hex: c.hex(Number(c.inputs.byteLength ?? 4) * 2),
    b64Url: Buffer.from(c.hex(Number(c.inputs.byteLength ?? 4) * 2), "hex").toString("base64url"),
  }),
  "random:index/randomString:RandomString": (c) => ({
    result: randomText(c, Number(c.inputs.length ?? 16), c.inputs.special !== false),
  }),
};

/** A resource whose physical name is its id (subnet and parameter groups). */
function named(c: MockContext, service: string, kind: string): Record<string, unknown> {
  const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
  return { id: name, name, arn: awsArn(c, service, `${kind}:${name}`) };
}

function bucket(c: MockContext): Record<string, unknown> {
  const name = String(c.inputs.bucket ?? `${c.name}-${c.hex(7)}`);
  return {
    id: name,
    bucket: name,
    arn: `arn:aws:s3:::${name}`,
    bucketDomainName: `${name}.s3.amazonaws.com`,
    bucketRegionalDomainName: `${name}.s3.${c.region}.amazonaws.com`,
    region: c.region,
  };
}

function gcpProject(c: MockContext): string {
  if (typeof c.inputs.project === "string") return c.inputs.project;
  return c.project ?? "mock-project";
}

/** The resource's own region or location, else its provider's, else a GCP default. */
function gcpRegion(c: MockContext): string {
  for (const key of ["region", "location"]) {
    const v = c.inputs[key];
    if (typeof v === "string" && /^[a-z]+-[a-z]+\d$/.test(v)) return v;
  }
  return /^[a-z]+-[a-z]+\d$/.test(c.region) ? c.region : "us-central1";
}

function gcpGlobal(c: MockContext, collection: string): Record<string, unknown> {
  const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
  const id = `projects/${gcpProject(c)}/global/${collection}/${name}`;
  return { id, name, selfLink: `https://www.googleapis.com/compute/v1/${id}` };
}

function gcpRegional(c: MockContext, collection: string, given?: string): Record<string, unknown> {
  const name = given ?? String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
  const id = `projects/${gcpProject(c)}/regions/${gcpRegion(c)}/${collection}/${name}`;
  return { id, name, selfLink: `https://www.googleapis.com/compute/v1/${id}` };
}

function randomText(c: MockContext, length: number, special: boolean): string {
  const alphabet = special
    ? "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*-_=+"
    : "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = createHash("sha512").update(`${c.type}/${c.name}/secret`).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

/** Generic outputs per package when a type has no entry of its own. */
function genericOutputs(c: MockContext): Record<string, unknown> {
  const [pkg, module] = c.type.split(":");
  if (pkg === "aws") {
    const service = (module ?? "resource").split("/")[0] ?? "resource";
    return { arn: awsArn(c, service, `${c.name}-${c.hex(8)}`), id: `${c.name}-${c.hex(8)}` };
  }
  if (pkg === "gcp") {
    return {
      id: `projects/mock/${c.name}-${c.hex(6)}`,
      selfLink: `https://www.googleapis.com/mock/${c.name}-${c.hex(6)}`,
    };
  }
  if (pkg === "kubernetes") {
    const metadata = (c.inputs.metadata ?? {}) as Record<string, unknown>;
    const name = String(metadata.name ?? `${c.name}-${c.hex(8)}`);
    const namespace = metadata.namespace === undefined ? undefined : String(metadata.namespace);
    return {
      id: namespace ? `${namespace}/${name}` : name,
      metadata: {
        ...metadata,
        name,
        uid: `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`,
      },
    };
  }
  if (pkg === "cloudflare") return { id: c.hex(32) };
  return { id: `${c.name}-${c.hex(8)}` };
}

function projectOf(providerRef: string, registry: ResourceRegistry): string | undefined {
  const urn = providerRef.split("::").slice(0, -1).join("::");
  const project = registry.byUrn(urn)?.inputs.project;
  return typeof project === "string" ? project : undefined;
}

function regionOf(providerRef: string, registry: ResourceRegistry, fallback: string): string {
  const urn = providerRef.split("::").slice(0, -1).join("::");
  const provider = registry.byUrn(urn);
  const region = provider?.inputs.region;
  return typeof region === "string" ? region : fallback;
}

/**
 * What reading an existing object returns, per type: the state the cloud holds for `id`.
 * A read of any other type fails loudly, as an unknown invoke does.
 */
const readsByType: Record<string, (ctx: MockContext, id: string) => Record<string, unknown>> = {
  // A LoadBalancer Service once the in-tree AWS controller made its NLB: `a<uid>-<hash>` is
  // the hostname that controller gives it.
  "kubernetes:core/v1:Service": (c, id) => {
    const [namespace, name] = id.includes("/") ? id.split("/") : ["default", id];
    const hex = c.hex(48);
    return {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, uid: `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}` },
      spec: { type: "LoadBalancer", externalTrafficPolicy: "Local" },
      status: {
        loadBalancer: {
          ingress: [
            { hostname: `a${hex.slice(0, 32)}-${hex.slice(32)}.elb.${c.region}.amazonaws.com` },
          ],
        },
      },
    };
  },
};

/** Cloudflare's IPv4 ranges as its API lists them. */
export const cloudflareIpv4 = [
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "190.93.240.0/20",
  "188.114.96.0/20",
  "197.234.240.0/22",
  "198.41.128.0/17",
  "162.158.0.0/15",
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "131.0.72.0/22",
];

/** Cloudflare's IPv6 ranges as its API lists them. */
export const cloudflareIpv6 = [
  "2400:cb00::/32",
  "2606:4700::/32",
  "2803:f800::/32",
  "2405:b500::/32",
  "2405:8100::/32",
  "2a06:98c0::/29",
  "2c0f:f248::/32",
];

/** Invokes the program uses, answered with plausible values; anything else fails loudly. */
const invokes: Record<
  string,
  (inputs: Record<string, unknown>, region: string) => Record<string, unknown>
> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
    names: ["a", "b", "c", "d"].map((z) => `${region}${z}`),
    zoneIds: [1, 2, 3, 4].map((n) => `use1-az${n}`),
    id: region,
  }),
  // EKS answers with the build of the add-on it recommends for that Kubernetes version.
  "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
    addonName: inputs.addonName,
    kubernetesVersion: inputs.kubernetesVersion,
    mostRecent: inputs.mostRecent,
    version: `v1.0.0-eksbuild.${String(inputs.kubernetesVersion).replace(/\D/g, "")}`,
    id: `${String(inputs.addonName)}/${String(inputs.kubernetesVersion)}`,
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: mockAccountId,
    arn: `arn:aws:iam::${mockAccountId}:user/platform-ci`,
    userId: "AIDAMOCKUSERID",
    id: mockAccountId,
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    name: region,
    region,
    id: region,
    endpoint: `ec2.${region}.amazonaws.com`,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
  "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => {
    const json = JSON.stringify(policyDocument(inputs));
    return { json, minifiedJson: json, id: stableHex(json, 10) };
  },
  "cloudflare:index/getZone:getZone": (inputs) => {
    const filter = (inputs.filter ?? {}) as { name?: string };
    const name = filter.name ?? "example.com";
    const zoneId =
      typeof inputs.zoneId === "string" ? inputs.zoneId : stableHex(`zone/${name}`, 32);
    return {
      id: zoneId,
      zoneId,
      name,
      status: "active",
      paused: false,
      type: "full",
      account: { id: stableHex("account", 32), name: "platform" },
      nameServers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
      plan: { id: stableHex("plan", 32), name: "Pro Website" },
    };
  },
  // Cloudflare's published ranges (https://www.cloudflare.com/ips-v4 and ips-v6).
  "cloudflare:index/getIpRanges:getIpRanges": () => ({
    ipv4Cidrs: cloudflareIpv4,
    ipv6Cidrs: cloudflareIpv6,
    jdcloudCidrs: [],
    etag: stableHex("ip-ranges", 32),
    id: "cloudflare-ip-ranges",
  }),
  "gcp:organizations/getClientConfig:getClientConfig": () => ({
    project: "mock-project",
    region: "us-central1",
    accessToken: "mock-token",
    id: "mock",
  }),
  "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": (inputs) => {
    const email = `service-${mockGcpProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
    return {
      emailAddress: email,
      member: `serviceAccount:${email}`,
      project: inputs.project ?? "mock-project",
      id: email,
    };
  },
  "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount": (inputs) => {
    const email = `project-${mockGcpProjectNumber}@storage-transfer-service.iam.gserviceaccount.com`;
    return {
      email,
      member: `serviceAccount:${email}`,
      subjectId: "104112233445566778899",
      project: inputs.project ?? "mock-project",
      id: email,
    };
  },
  "gcp:organizations/getProject:getProject": (inputs) => ({
    projectId: inputs.projectId ?? "mock-project",
    number: mockGcpProjectNumber,
    id: `projects/${String(inputs.projectId ?? "mock-project")}`,
  }),
};

/** Renders `aws.iam.getPolicyDocument` statements into IAM JSON, as the provider does. */
function policyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  const statements = (inputs.statements ?? []) as Record<string, unknown>[];
  const one = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  return {
    Version: inputs.version ?? "2012-10-17",
    Statement: statements.map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
      if (s.sid) out.Sid = s.sid;
      if (s.actions) out.Action = one(s.actions);
      if (s.notActions) out.NotAction = one(s.notActions);
      if (s.resources) out.Resource = one(s.resources);
      if (s.notResources) out.NotResource = one(s.notResources);
      const principals = (s.principals ?? []) as { type: string; identifiers: string[] }[];
      if (principals.length > 0) {
        out.Principal = Object.fromEntries(principals.map((p) => [p.type, one(p.identifiers)]));
      }
      const conditions = (s.conditions ?? []) as {
        test: string;
        variable: string;
        values: string[];
      }[];
      if (conditions.length > 0) {
        const cond: Record<string, Record<string, unknown>> = {};
        for (const c of conditions) cond[c.test] = { ...cond[c.test], [c.variable]: one(c.values) };
        out.Condition = cond;
      }
      return out;
    }),
  };
}

/** A call the mocks cannot answer; `details` is what the SDK shows of a failed monitor call. */
export class UnknownInvokeError extends Error {
  readonly details = this.message;
}

/** A read the mocks cannot answer; `details` as for UnknownInvokeError. */
export class UnknownReadError extends Error {
  readonly details = this.message;
}

/** Who answers a call: the project's mocks file or the planner's own mocks. */
export type Answerer = "project" | "planner";

/** A Helm chart the planner could not render without Helm, from `kubernetes:helm:template`. */
export interface UnrenderedChart {
  readonly release: string;
  readonly reason: string;
}

/** The plan's mocker: the resource mocks, and who (if anyone) answers a given call. */
export interface PlanMocker extends ResourceMocker {
  invokeAnswerer(token: string): Answerer | undefined;
  readAnswerer(type: string): Answerer | undefined;
}

/** Invokes the planner answers by rendering manifests itself (tools/plan/manifests.ts). */
const manifestInvokes: Record<
  string,
  (inputs: Record<string, unknown>, onUnrendered: (c: UnrenderedChart) => void) => unknown
> = {
  "kubernetes:yaml:decode": (inputs) => decodeYaml(String(inputs.text ?? "")),
  "kubernetes:helm:template": (inputs, onUnrendered) => {
    const jsonOpts = String(inputs.jsonOpts ?? "{}");
    const render = renderChart(jsonOpts, process.cwd());
    if ("objects" in render) return { result: render.objects };
    const release = String((JSON.parse(jsonOpts) as { release_name?: string }).release_name ?? "");
    onUnrendered({ release, reason: render.unrendered });
    return { result: [] };
  },
};

/**
 * The plan's and the tests' mocks: plausible ids, ARNs and endpoints; known invokes only. A
 * project's own answers (tools/plan/project-mocks.ts) come first; a call nobody answers fails
 * loudly, naming the token.
 */
export function createMocker(
  defaultRegion = "us-east-1",
  options: { projectMocks?: ProjectMocks; onUnrendered?: (chart: UnrenderedChart) => void } = {},
): PlanMocker {
  const project = options.projectMocks ?? {};
  const onUnrendered = options.onUnrendered ?? (() => undefined);
  return {
    invokeAnswerer(token) {
      if (project.invokes?.[token] !== undefined) return "project";
      return invokes[token] || manifestInvokes[token] ? "planner" : undefined;
    },
    readAnswerer(type) {
      if (project.reads?.[type] !== undefined) return "project";
      return readsByType[type] ? "planner" : undefined;
    },
    newResource({ type, name, inputs, provider, registry }) {
      if (type.startsWith("pulumi:providers:")) return { id: `${name}-provider-id`, state: inputs };
      const ctx: MockContext = {
        type,
        name,
        inputs,
        region: regionOf(provider, registry, defaultRegion),
        project: projectOf(provider, registry),
        hex: (length) => stableHex(`${type}::${name}`, length),
      };
      const computed = computedByType[type]?.(ctx) ?? genericOutputs(ctx);
      const { id, ...rest } = computed;
      return {
        id: String(id ?? `${name}-${ctx.hex(8)}`),
        state: { ...inputs, ...rest },
      };
    },
    read({ type, name, id, provider, registry }) {
      const own = projectRead(project, type, { id, name });
      if (own !== undefined) return own;
      const answer = readsByType[type];
      if (!answer) {
        throw new UnknownReadError(`the offline plan has no answer for a read of ${type} '${id}'`);
      }
      const region = regionOf(provider, registry, defaultRegion);
      return answer(
        { type, name, inputs: {}, region, hex: (n) => stableHex(`${type}::${id}`, n) },
        id,
      );
    },
    call({ token, inputs, provider, registry }) {
      const own = projectInvoke(project, token, inputs);
      if (own !== undefined) return own;
      const manifest = manifestInvokes[token];
      if (manifest) return manifest(inputs, onUnrendered) as Record<string, unknown>;
      const answer = invokes[token];
      if (!answer) {
        throw new UnknownInvokeError(`the offline plan has no answer for invoke ${token}`);
      }
      return answer(inputs, regionOf(provider, registry, defaultRegion));
    },
  };
}
