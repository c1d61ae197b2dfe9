import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../aws/logs";
import { createVpcEndpoints } from "./aws-endpoints";
import { subnetCidr } from "./cidr";
import type { NetworkArgs, NetworkOutputs } from "./index";
import { ComponentError } from "../errors";

/**
 * Public subnets take the first /20s of the block and private subnets the /20s from the
 * eighth on, so the address plan survives adding zones.
 */
const subnetBits = 4;
const privateOffset = 8;

export function createAwsNetwork(
  name: string,
  args: NetworkArgs,
  parent: pulumi.Resource,
): NetworkOutputs {
  const opts = { parent };
  const zones = aws
    .getAvailabilityZonesOutput({ state: "available" }, opts)
    .names.apply((names) => {
      if (names.length < args.azCount) {
        throw new ComponentError(
          "Network",
          name,
          [`azCount is ${args.azCount} but the region has only ${names.length} zones`],
          "cannot be built",
        );
      }
      return names.slice(0, args.azCount);
    });

  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...args.tags, Name: `${name}-vpc` },
    },
    opts,
  );

  const publicSubnetIds: pulumi.Output<string>[] = [];
  const privateSubnetIds: pulumi.Output<string>[] = [];
  for (let i = 0; i < args.azCount; i++) {
    const az = zones.apply((z) => z[i]);
    const publicSubnet = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(args.cidrBlock, subnetBits, i),
        mapPublicIpOnLaunch: false,
        tags: {
          ...args.tags,
          Name: `${name}-public-${i}`,
          "kubernetes.io/role/elb": "1",
          [`kubernetes.io/cluster/${args.clusterName}`]: "shared",
        },
      },
      opts,
    );
    const privateSubnet = new aws.ec2.Subnet(
      `${name}-private-${i}`,
      {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(args.cidrBlock, subnetBits, privateOffset + i),
        mapPublicIpOnLaunch: false,
        tags: {
          ...args.tags,
          Name: `${name}-private-${i}`,
          "kubernetes.io/role/internal-elb": "1",
          [`kubernetes.io/cluster/${args.clusterName}`]: "shared",
        },
      },
      opts,
    );
    publicSubnetIds.push(publicSubnet.id);
    privateSubnetIds.push(privateSubnet.id);
  }

  const internetGateway = new aws.ec2.InternetGateway(
    `${name}-igw`,
    { vpcId: vpc.id, tags: { ...args.tags, Name: `${name}-igw` } },
    opts,
  );
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
      tags: { ...args.tags, Name: `${name}-public-rt` },
    },
    opts,
  );
  publicSubnetIds.forEach(
    (subnetId, i) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-public-rta-${i}`,
        { subnetId, routeTableId: publicRoutes.id },
        opts,
      ),
  );

  const natCount = args.natGateways === "perAz" ? args.azCount : 1;
  const natGatewayIds: pulumi.Output<string>[] = [];
  const natPublicIps: pulumi.Output<string>[] = [];
  for (let i = 0; i < natCount; i++) {
    const eip = new aws.ec2.Eip(
      `${name}-nat-eip-${i}`,
      { domain: "vpc", tags: { ...args.tags, Name: `${name}-nat-eip-${i}` } },
      opts,
    );
    const nat = new aws.ec2.NatGateway(
      `${name}-nat-${i}`,
      {
        allocationId: eip.id,
        subnetId: publicSubnetIds[i]!,
        connectivityType: "public",
        tags: { ...args.tags, Name: `${name}-nat-${i}` },
      },
      { parent, dependsOn: [internetGateway] },
    );
    natGatewayIds.push(nat.id);
    natPublicIps.push(eip.publicIp);
  }

  // One route table per zone in either mode, so moving from one NAT to one per zone only
  // changes routes, never replaces tables.
  const privateRouteTableIds = privateSubnetIds.map((subnetId, i) => {
    const table = new aws.ec2.RouteTable(
      `${name}-private-rt-${i}`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGatewayIds[i % natCount]! }],
        tags: { ...args.tags, Name: `${name}-private-rt-${i}` },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-private-rta-${i}`,
      { subnetId, routeTableId: table.id },
      opts,
    );
    return table.id;
  });

  const flowLogGroupName = createFlowLogs(name, args, vpc, parent);

  const endpoints = createVpcEndpoints(
    name,
    args,
    {
      vpcId: vpc.id,
      privateSubnetIds,
      privateRouteTableIds,
      region: aws.getRegionOutput({}, opts).region,
    },
    parent,
  );

  return {
    vpcId: vpc.id,
    publicSubnetIds,
    privateSubnetIds,
    cidrBlock: args.cidrBlock,
    privateRouteTableIds,
    natGatewayIds,
    natPublicIps,
    endpointSecurityGroupId: endpoints.securityGroupId,
    interfaceEndpointIds: endpoints.interfaceEndpointIds,
    s3GatewayEndpointId: endpoints.s3GatewayEndpointId,
    flowLogGroupName,
  };
}

/** Every accepted and rejected flow of the VPC to a KMS-encrypted log group. */
function createFlowLogs(
  name: string,
  args: NetworkArgs,
  vpc: aws.ec2.Vpc,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const opts = { parent };
  const { logGroup } = createEncryptedLogGroup(
    `${name}-flow-logs`,
    {
      logGroupName: `/${args.clusterName}/vpc-flow-logs`,
      keyAlias: `alias/${args.clusterName}-vpc-flow-logs`,
      retentionDays: args.flowLogRetentionDays,
      purpose: `the VPC flow logs of ${args.clusterName}`,
      tags: args.tags,
    },
    parent,
  );
  const role = new aws.iam.Role(
    `${name}-flow-logs-role`,
    {
      description: "VPC flow logs deliver to CloudWatch Logs",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags: args.tags,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-flow-logs-policy`,
    {
      role: role.id,
      policy: logGroup.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: [
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
              ],
              Resource: [arn, `${arn}:*`],
            },
          ],
        }),
      ),
    },
    opts,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { ...args.tags, Name: `${name}-flow-log` },
    },
    opts,
  );
  return logGroup.name;
}
