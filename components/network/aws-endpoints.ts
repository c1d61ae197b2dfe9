import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InterfaceEndpointService, NetworkArgs } from "./index";

/** Where the endpoints go: the VPC, its private subnets (one per zone) and their route tables. */
export interface EndpointPlacement {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly privateRouteTableIds: pulumi.Output<string>[];
  readonly region: pulumi.Output<string>;
}

export interface VpcEndpoints {
  readonly securityGroupId: pulumi.Output<string>;
  readonly s3GatewayEndpointId: pulumi.Output<string>;
  readonly interfaceEndpointIds: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * The role in an interface endpoint's resource name. ECR's keep the names they had before the
 * other services joined; S3's interface endpoint cannot take `s3`, the gateway endpoint's.
 */
export function interfaceEndpointRole(service: InterfaceEndpointService): string {
  return service === "s3" ? "s3-interface" : service.replace(".", "-");
}

/**
 * The S3 gateway endpoint on the private route tables, a security group admitting HTTPS from
 * the VPC only, and one interface endpoint with private DNS per listed service.
 */
export function createVpcEndpoints(
  name: string,
  args: NetworkArgs,
  placement: EndpointPlacement,
  parent: pulumi.Resource,
): VpcEndpoints {
  const gateway = new aws.ec2.VpcEndpoint(
    `${name}-s3-endpoint`,
    {
      vpcId: placement.vpcId,
      serviceName: pulumi.interpolate`com.amazonaws.${placement.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: placement.privateRouteTableIds,
      tags: { ...args.tags, Name: `${name}-s3-endpoint` },
    },
    { parent },
  );
  const securityGroup = createEndpointSecurityGroup(name, args, placement, parent);
  const interfaceEndpointIds: Record<string, pulumi.Output<string>> = {};
  for (const service of args.interfaceEndpoints) {
    const role = interfaceEndpointRole(service);
    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-${role}-endpoint`,
      {
        vpcId: placement.vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${placement.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        // S3 alone serves both endpoint types. Left to its default (true), private DNS would
        // answer only the on-premises resolver and send in-VPC requests through the gateway
        // endpoint to S3's public addresses, which a NetworkPolicy to the VPC CIDR refuses;
        // false makes `s3.<region>.amazonaws.com` resolve to this endpoint inside the VPC too.
        ...(service === "s3" && {
          dnsOptions: { privateDnsOnlyForInboundResolverEndpoint: false },
        }),
        subnetIds: placement.privateSubnetIds,
        securityGroupIds: [securityGroup.id],
        tags: { ...args.tags, Name: `${name}-${role}-endpoint` },
      },
      // A request that leaves the inbound-only option out gets AWS's default for S3, true, which
      // AWS accepts only once the VPC has S3's gateway endpoint; created after the gateway, the
      // interface endpoint is also deleted before it, the order AWS requires when it is true.
      { parent, ...(service === "s3" && { dependsOn: [gateway] }) },
    );
    interfaceEndpointIds[service] = endpoint.id;
  }
  return {
    securityGroupId: securityGroup.id,
    s3GatewayEndpointId: gateway.id,
    interfaceEndpointIds,
  };
}

/** HTTPS from the VPC's own range only: the nodes and, on the VPC CNI, every pod. */
function createEndpointSecurityGroup(
  name: string,
  args: NetworkArgs,
  placement: EndpointPlacement,
  parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    `${name}-endpoints-sg`,
    {
      vpcId: placement.vpcId,
      description: "Interface endpoints: HTTPS from inside the VPC only",
      ingress: [
        {
          description: "HTTPS from the VPC",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: [args.cidrBlock],
        },
      ],
      egress: [],
      tags: { ...args.tags, Name: `${name}-endpoints-sg` },
    },
    { parent },
  );
}
