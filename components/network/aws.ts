import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { subnetCidr } from "./cidr";
import type { NetworkArgs, NetworkOutputs } from "./index";

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
        throw new Error(
          `platform:network.azCount is ${args.azCount} but the region has only ${names.length} zones`,
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

  // The boundary of the workloads: the cluster's nodes join this group, and the data services
  // admit this group alone. It admits nothing itself.
  const clientsSecurityGroup = new aws.ec2.SecurityGroup(
    `${name}-workload-clients`,
    {
      vpcId: vpc.id,
      description: "Workloads that may reach the data services; members are the cluster's nodes",
      egress: [
        {
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: [args.cidrBlock],
          description: "Anything inside the VPC",
        },
      ],
      tags: { ...args.tags, Name: `${name}-workload-clients` },
    },
    opts,
  );

  return {
    vpcId: vpc.id,
    publicSubnetIds,
    privateSubnetIds,
    cidrBlock: args.cidrBlock,
    clientsSecurityGroupId: clientsSecurityGroup.id,
  };
}
