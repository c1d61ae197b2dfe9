import { createHash } from "node:crypto";
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
    };
  },
  "aws:opensearch/domain:Domain": (c) => ({
    arn: awsArn(c, "es", `domain/${String(c.inputs.domainName ?? c.name)}`),
    endpoint: `vpc-${String(c.inputs.domainName ?? c.name)}-${c.hex(26)}.${c.region}.es.amazonaws.com`,
  }),
  "aws:sqs/queue:Queue": (c) => {
    const name = String(c.inputs.name ?? `${c.name}-${c.hex(7)}`);
    return {
      id: `https://sqs.${c.region}.amazonaws.com/${mockAccountId}/${name}`,
      url: `https://sqs.${c.region}.amazonaws.com/${mockAccountId}/${name}`,
      arn: awsArn(c, "sqs", name),
    };
  },
  "aws:sns/topic:Topic": (c) => ({ arn: awsArn(c, "sns", `${c.name}-${c.hex(7)}`) }),
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

function regionOf(providerRef: string, registry: ResourceRegistry, fallback: string): string {
  const urn = providerRef.split("::").slice(0, -1).join("::");
  const provider = registry.byUrn(urn);
  const region = provider?.inputs.region;
  return typeof region === "string" ? region : fallback;
}

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
  "gcp:organizations/getClientConfig:getClientConfig": () => ({
    project: "mock-project",
    region: "us-central1",
    accessToken: "mock-token",
    id: "mock",
  }),
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

export class UnknownInvokeError extends Error {}

/** The plan's and the tests' mocks: plausible ids, ARNs and endpoints; known invokes only. */
export function createMocker(defaultRegion = "us-east-1"): ResourceMocker {
  return {
    newResource({ type, name, inputs, provider, registry }) {
      if (type.startsWith("pulumi:providers:")) return { id: `${name}-provider-id`, state: inputs };
      const ctx: MockContext = {
        type,
        name,
        inputs,
        region: regionOf(provider, registry, defaultRegion),
        hex: (length) => stableHex(`${type}::${name}`, length),
      };
      const computed = computedByType[type]?.(ctx) ?? genericOutputs(ctx);
      const { id, ...rest } = computed;
      return {
        id: String(id ?? `${name}-${ctx.hex(8)}`),
        state: { ...inputs, ...rest },
      };
    },
    call({ token, inputs, provider, registry }) {
      const answer = invokes[token];
      if (!answer) {
        throw new UnknownInvokeError(
          `the offline plan has no mock for invoke ${token}; add one to tools/plan/mocks.ts`,
        );
      }
      return answer(inputs, regionOf(provider, registry, defaultRegion));
    },
  };
}
