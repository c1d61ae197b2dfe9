import { strict as assert } from "node:assert";
import {
  interfaceEndpointServices,
  Network,
  networkDefaults,
  type NetworkArgs,
} from "../../components/network";
import type { Tier } from "../../config/tiers";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

const tags = { project: "platform", stack: "test", tier: "test", "managed-by": "pulumi" };

function argsFor(tier: Tier, overrides: Partial<NetworkArgs> = {}): NetworkArgs {
  return {
    ...networkDefaults[tier],
    tier,
    tags,
    clusterName: `platform-${tier}`,
    placement: { target: "aws" },
    ...overrides,
  };
}

async function build(tier: Tier, overrides: Partial<NetworkArgs> = {}) {
  const recorded = useMocks();
  const network = new Network("network", argsFor(tier, overrides));
  await settle();
  return { recorded, network };
}

function names(recorded: Recorded, type: string): string[] {
  return recorded
    .ofType(type)
    .map((r) => r.name)
    .sort();
}

describe("Network on aws in prod", () => {
  let recorded: Recorded;
  before(async () => {
    ({ recorded } = await build("prod"));
  });

  it("spans three zones with a public and a private subnet in each", () => {
    assert.deepEqual(names(recorded, "aws:ec2/subnet:Subnet"), [
      "network-private-0",
      "network-private-1",
      "network-private-2",
      "network-public-0",
      "network-public-1",
      "network-public-2",
    ]);
    const zones = [0, 1, 2].map(
      (i) =>
        recorded.inputs(recorded.one("aws:ec2/subnet:Subnet", `network-private-${i}`))
          .availabilityZone,
    );
    assert.deepEqual(zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.equal(
      recorded.inputs(recorded.one("aws:ec2/vpc:Vpc", "network-vpc")).cidrBlock,
      "10.10.0.0/16",
    );
  });

  it("tags public subnets for internet-facing and private ones for internal load balancers", () => {
    const pub = recorded.inputs(recorded.one("aws:ec2/subnet:Subnet", "network-public-0"));
    const priv = recorded.inputs(recorded.one("aws:ec2/subnet:Subnet", "network-private-0"));
    assert.deepEqual(pub.tags, {
      ...tags,
      Name: "network-public-0",
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/platform-prod": "shared",
    });
    assert.deepEqual(priv.tags, {
      ...tags,
      Name: "network-private-0",
      "kubernetes.io/role/internal-elb": "1",
      "kubernetes.io/cluster/platform-prod": "shared",
    });
    assert.equal(pub.mapPublicIpOnLaunch, false);
  });

  it("puts one NAT gateway in each zone's public subnet", () => {
    const nats = recorded.ofType("aws:ec2/natGateway:NatGateway");
    assert.deepEqual(
      nats.map((n) => n.name),
      ["network-nat-0", "network-nat-1", "network-nat-2"],
    );
    const subnetIds = recorded
      .ofType("aws:ec2/subnet:Subnet")
      .filter((s) => s.name.startsWith("network-public-"))
      .map((s) => s.id);
    assert.deepEqual(
      nats.map((n) => recorded.inputs(n).subnetId),
      subnetIds,
    );
    assert.equal(recorded.ofType("aws:ec2/eip:Eip").length, 3);
    assert.deepEqual(
      recorded.ofType("aws:ec2/eip:Eip").map((e) => recorded.inputs(e).domain),
      ["vpc", "vpc", "vpc"],
    );
  });

  it("routes each private subnet through its own zone's NAT gateway", () => {
    const natIds = recorded.ofType("aws:ec2/natGateway:NatGateway").map((n) => n.id);
    for (const i of [0, 1, 2]) {
      const table = recorded.one("aws:ec2/routeTable:RouteTable", `network-private-rt-${i}`);
      assert.deepEqual(recorded.inputs(table).routes, [
        { cidrBlock: "0.0.0.0/0", natGatewayId: natIds[i] },
      ]);
      const assoc = recorded.inputs(
        recorded.one(
          "aws:ec2/routeTableAssociation:RouteTableAssociation",
          `network-private-rta-${i}`,
        ),
      );
      assert.equal(assoc.routeTableId, table.id);
      assert.equal(
        assoc.subnetId,
        recorded.one("aws:ec2/subnet:Subnet", `network-private-${i}`).id,
      );
    }
  });

  it("logs every flow of the VPC to a log group kept 365 days and encrypted with a rotated customer key", () => {
    const flowLog = recorded.inputs(recorded.one("aws:ec2/flowLog:FlowLog", "network-flow-log"));
    const group = recorded.one("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
    const key = recorded.one("aws:kms/key:Key", "network-flow-logs-key");
    const role = recorded.one("aws:iam/role:Role", "network-flow-logs-role");
    assert.equal(flowLog.vpcId, recorded.one("aws:ec2/vpc:Vpc", "network-vpc").id);
    assert.equal(flowLog.trafficType, "ALL");
    assert.equal(flowLog.logDestinationType, "cloud-watch-logs");
    assert.equal(flowLog.logDestination, group.outputs.arn);
    assert.equal(flowLog.iamRoleArn, role.outputs.arn);
    assert.equal(flowLog.maxAggregationInterval, 60);
    assert.deepEqual(
      {
        name: recorded.inputs(group).name,
        retention: recorded.inputs(group).retentionInDays,
        key: recorded.inputs(group).kmsKeyId,
      },
      { name: "/platform-prod/vpc-flow-logs", retention: 365, key: key.outputs.arn },
    );
    assert.equal(recorded.inputs(key).enableKeyRotation, true);
    assert.equal(
      recorded.inputs(recorded.one("aws:kms/alias:Alias", "network-flow-logs-key-alias")).name,
      "alias/platform-prod-vpc-flow-logs",
    );
  });

  it("lets CloudWatch Logs use the flow-log key for that log group only", () => {
    const policy = JSON.parse(
      String(recorded.inputs(recorded.one("aws:kms/key:Key", "network-flow-logs-key")).policy),
    ) as { Statement: Record<string, unknown>[] };
    const logs = policy.Statement.find((s) => s.Sid === "CloudWatchLogsUsesForThisLogGroup")!;
    assert.deepEqual(logs.Principal, { Service: "logs.us-east-1.amazonaws.com" });
    assert.deepEqual(logs.Condition, {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn":
          "arn:aws:logs:us-east-1:123456789012:log-group:/platform-prod/vpc-flow-logs",
      },
    });
  });

  it("gives the flow-log role only the delivery actions on its log group", () => {
    const trust = JSON.parse(
      String(
        recorded.inputs(recorded.one("aws:iam/role:Role", "network-flow-logs-role"))
          .assumeRolePolicy,
      ),
    ) as { Statement: Record<string, unknown>[] };
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
    const policy = JSON.parse(
      String(
        recorded.inputs(recorded.one("aws:iam/rolePolicy:RolePolicy", "network-flow-logs-policy"))
          .policy,
      ),
    ) as { Statement: Record<string, unknown>[] };
    const arn = "arn:aws:logs:us-east-1:123456789012:log-group:/platform-prod/vpc-flow-logs";
    assert.deepEqual(policy.Statement[0]!.Resource, [arn, `${arn}:*`]);
    assert.deepEqual(policy.Statement[0]!.Action, [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
    ]);
  });

  it("routes S3 traffic of the private subnets through a gateway endpoint", () => {
    const s3 = recorded.inputs(
      recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-endpoint"),
    );
    assert.equal(s3.serviceName, "com.amazonaws.us-east-1.s3");
    assert.equal(s3.vpcEndpointType, "Gateway");
    assert.deepEqual(
      s3.routeTableIds,
      [0, 1, 2].map(
        (i) => recorded.one("aws:ec2/routeTable:RouteTable", `network-private-rt-${i}`).id,
      ),
    );
  });

  it("pulls images through private ECR endpoints that admit HTTPS from the VPC only", () => {
    const sg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg");
    assert.deepEqual(recorded.inputs(sg).ingress, [
      {
        description: "HTTPS from the VPC",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["10.10.0.0/16"],
      },
    ]);
    assert.deepEqual(recorded.inputs(sg).egress, []);
    const privateSubnets = [0, 1, 2].map(
      (i) => recorded.one("aws:ec2/subnet:Subnet", `network-private-${i}`).id,
    );
    for (const [name, service] of [
      ["network-ecr-api-endpoint", "com.amazonaws.us-east-1.ecr.api"],
      ["network-ecr-dkr-endpoint", "com.amazonaws.us-east-1.ecr.dkr"],
    ] as const) {
      const endpoint = recorded.inputs(recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", name));
      assert.deepEqual(
        {
          serviceName: endpoint.serviceName,
          type: endpoint.vpcEndpointType,
          privateDns: endpoint.privateDnsEnabled,
          subnets: endpoint.subnetIds,
          groups: endpoint.securityGroupIds,
        },
        {
          serviceName: service,
          type: "Interface",
          privateDns: true,
          subnets: privateSubnets,
          groups: [sg.id],
        },
      );
    }
  });

  it("turns on DNS resolution and DNS hostnames in the VPC, which private DNS of an interface endpoint needs", () => {
    const vpc = recorded.inputs(recorded.one("aws:ec2/vpc:Vpc", "network-vpc"));
    assert.equal(vpc.enableDnsSupport, true);
    assert.equal(vpc.enableDnsHostnames, true);
  });

  it("reaches STS, SQS, SNS, KMS, CloudWatch Logs and S3 through interface endpoints with private DNS", () => {
    const sg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg");
    const privateSubnets = [0, 1, 2].map(
      (i) => recorded.one("aws:ec2/subnet:Subnet", `network-private-${i}`).id,
    );
    const interfaces = recorded
      .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((e) => recorded.inputs(e).vpcEndpointType === "Interface");
    assert.deepEqual(
      interfaces.map((e) => [e.name, recorded.inputs(e).serviceName]),
      [
        ["network-ecr-api-endpoint", "com.amazonaws.us-east-1.ecr.api"],
        ["network-ecr-dkr-endpoint", "com.amazonaws.us-east-1.ecr.dkr"],
        ["network-sts-endpoint", "com.amazonaws.us-east-1.sts"],
        ["network-sqs-endpoint", "com.amazonaws.us-east-1.sqs"],
        ["network-sns-endpoint", "com.amazonaws.us-east-1.sns"],
        ["network-kms-endpoint", "com.amazonaws.us-east-1.kms"],
        ["network-logs-endpoint", "com.amazonaws.us-east-1.logs"],
        ["network-s3-interface-endpoint", "com.amazonaws.us-east-1.s3"],
      ],
    );
    for (const endpoint of interfaces) {
      const inputs = recorded.inputs(endpoint);
      assert.deepEqual(
        {
          privateDns: inputs.privateDnsEnabled,
          subnets: inputs.subnetIds,
          groups: inputs.securityGroupIds,
          vpc: inputs.vpcId,
        },
        {
          privateDns: true,
          subnets: privateSubnets,
          groups: [sg.id],
          vpc: recorded.one("aws:ec2/vpc:Vpc").id,
        },
        endpoint.name,
      );
    }
  });

  it("puts each interface endpoint in the private subnets, one per zone", () => {
    const subnets = new Map(recorded.ofType("aws:ec2/subnet:Subnet").map((s) => [s.id, s]));
    for (const endpoint of recorded
      .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((e) => recorded.inputs(e).vpcEndpointType === "Interface")) {
      const placed = (recorded.inputs(endpoint).subnetIds as string[]).map(
        (id) => subnets.get(id)!,
      );
      assert.deepEqual(
        placed.map((s) => s.name),
        ["network-private-0", "network-private-1", "network-private-2"],
        endpoint.name,
      );
      const zones = placed.map((s) => recorded.inputs(s).availabilityZone);
      assert.equal(new Set(zones).size, 3, `${endpoint.name}: ${zones.join(", ")}`);
    }
  });

  it("resolves S3's regional name to its interface endpoint inside the VPC, not only for resolvers on premises", () => {
    const s3 = recorded.inputs(
      recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-interface-endpoint"),
    );
    assert.deepEqual(s3.dnsOptions, { privateDnsOnlyForInboundResolverEndpoint: false });
    // The option exists only for a service with both endpoint types; AWS refuses it elsewhere.
    const others = recorded
      .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((e) => e.name !== "network-s3-interface-endpoint")
      .filter((e) => recorded.inputs(e).dnsOptions !== undefined)
      .map((e) => e.name);
    assert.deepEqual(others, []);
  });

  it("creates S3's interface endpoint only after its gateway endpoint exists", () => {
    const gateway = recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-endpoint");
    const s3 = recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-interface-endpoint");
    assert.ok(s3.dependencies.includes(gateway.urn), s3.dependencies.join(", "));
  });

  it("parents every child to the component and names it from the component", () => {
    const component = recorded.one("platform:index:Network", "network");
    const children = recorded.all.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    assert.ok(children.length > 0);
    for (const child of children) {
      assert.equal(child.parent, component.urn, `${child.type} ${child.name}`);
      assert.match(child.name, /^network-/);
    }
  });
});

describe("Network on aws in staging", () => {
  let recorded: Recorded;
  let network: Network;
  before(async () => {
    ({ recorded, network } = await build("staging"));
  });

  it("shares one NAT gateway between the zones", () => {
    assert.deepEqual(names(recorded, "aws:ec2/natGateway:NatGateway"), ["network-nat-0"]);
    const natId = recorded.one("aws:ec2/natGateway:NatGateway").id;
    for (const i of [0, 1, 2]) {
      const table = recorded.one("aws:ec2/routeTable:RouteTable", `network-private-rt-${i}`);
      assert.deepEqual(recorded.inputs(table).routes, [
        { cidrBlock: "0.0.0.0/0", natGatewayId: natId },
      ]);
    }
  });

  it("keeps flow logs 30 days", () => {
    const group = recorded.one("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
    assert.equal(recorded.inputs(group).retentionInDays, 30);
    assert.equal(recorded.inputs(group).name, "/platform-staging/vpc-flow-logs");
  });

  it("exports the ids a security group rule or endpoint needs", async () => {
    assert.equal(
      (await resolve(network.endpointSecurityGroupId!)).value,
      recorded.one("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg").id,
    );
    assert.equal((await resolve(network.vpcId)).value, recorded.one("aws:ec2/vpc:Vpc").id);
    assert.equal(network.cidrBlock, "10.0.0.0/16");
    assert.equal(network.privateRouteTableIds.length, 3);
    assert.equal(network.natGatewayIds.length, 1);
    assert.equal(
      (await resolve(network.flowLogGroupName!)).value,
      "/platform-staging/vpc-flow-logs",
    );
  });

  it("exports the id of the S3 gateway endpoint and of each interface endpoint by service", async () => {
    const endpoint = (name: string) => recorded.one("aws:ec2/vpcEndpoint:VpcEndpoint", name).id;
    assert.equal(
      (await resolve(network.s3GatewayEndpointId!)).value,
      endpoint("network-s3-endpoint"),
    );
    const ids: Record<string, string> = {};
    for (const [service, id] of Object.entries(network.interfaceEndpointIds!)) {
      ids[service] = (await resolve(id)).value;
    }
    assert.deepEqual(ids, {
      "ecr.api": endpoint("network-ecr-api-endpoint"),
      "ecr.dkr": endpoint("network-ecr-dkr-endpoint"),
      sts: endpoint("network-sts-endpoint"),
      sqs: endpoint("network-sqs-endpoint"),
      sns: endpoint("network-sns-endpoint"),
      kms: endpoint("network-kms-endpoint"),
      logs: endpoint("network-logs-endpoint"),
      s3: endpoint("network-s3-interface-endpoint"),
    });
  });
});

describe("Network on aws with a narrowed endpoint list", () => {
  it("builds interface endpoints for the listed services only, and S3's gateway endpoint always", async () => {
    const { recorded } = await build("staging", { interfaceEndpoints: ["ecr.api", "sts"] });
    assert.deepEqual(names(recorded, "aws:ec2/vpcEndpoint:VpcEndpoint"), [
      "network-ecr-api-endpoint",
      "network-s3-endpoint",
      "network-sts-endpoint",
    ]);
  });
});

describe("Network defaults per tier", () => {
  it("put one NAT gateway per zone in prod and a single one elsewhere", () => {
    assert.deepEqual(
      {
        dev: networkDefaults.dev.natGateways,
        staging: networkDefaults.staging.natGateways,
        prod: networkDefaults.prod.natGateways,
      },
      { dev: "single", staging: "single", prod: "perAz" },
    );
  });

  it("carry every AWS API the services call through interface endpoints on every tier", () => {
    for (const tier of ["dev", "staging", "prod"] as const) {
      assert.deepEqual(
        [...networkDefaults[tier].interfaceEndpoints],
        ["ecr.api", "ecr.dkr", "sts", "sqs", "sns", "kms", "logs", "s3"],
        tier,
      );
    }
    assert.deepEqual([...interfaceEndpointServices], [...networkDefaults.prod.interfaceEndpoints]);
  });

  it("keep flow logs one year in prod (seed 003's access logs), 30 days in staging, 7 in dev", () => {
    assert.deepEqual(
      [networkDefaults.dev, networkDefaults.staging, networkDefaults.prod].map(
        (d) => d.flowLogRetentionDays,
      ),
      [7, 30, 365],
    );
  });
});
