import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** BGP autonomous system numbers of the two ends (private ASNs). */
export const vpnAsns = { aws: 64512, gcp: 65534 } as const;

/**
 * Inside addresses of the four tunnels, one /30 each, from 169.254.0.0/16 outside the ranges
 * AWS reserves (169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30). In each /30 AWS
 * takes the first host address, the customer (Cloud VPN) side the second.
 */
export const tunnelInsideCidrs = [
  "169.254.21.0/30",
  "169.254.21.4/30",
  "169.254.22.0/30",
  "169.254.22.4/30",
] as const;

/** IKEv2 with AES-256, SHA2-256 and DH group 14: a proposal both Cloud VPN and AWS accept. */
export const tunnelCrypto = {
  IkeVersions: ["ikev2"],
  Phase1EncryptionAlgorithms: ["AES256"],
  Phase1IntegrityAlgorithms: ["SHA2-256"],
  Phase1DhGroupNumbers: [14],
  Phase2EncryptionAlgorithms: ["AES256"],
  Phase2IntegrityAlgorithms: ["SHA2-256"],
  Phase2DhGroupNumbers: [14],
} as const;

export interface CrossCloudVpnArgs {
  /** The AWS VPC the tunnels end in. */
  readonly awsVpcId: pulumi.Input<string>;
  /** Route tables of the AWS private subnets; the tunnels' BGP routes are propagated into them. */
  readonly awsRouteTableIds: pulumi.Input<string>[];
  /** The GCP VPC network (id) the tunnels end in. */
  readonly gcpNetworkId: pulumi.Input<string>;
  /** Region of the Cloud VPN gateway and its Cloud Router. */
  readonly gcpRegion: string;
  /**
   * Ranges on the GCP side announced to AWS besides the subnets: the private service access
   * range, where Cloud SQL lives in Google's peered network and which no subnet covers.
   */
  readonly gcpAdvertisedRanges: readonly string[];
  /**
   * The VPC's peering with Google's service producer network (private service access): it
   * exports the routes learned over the tunnels, so Cloud SQL can reach AWS.
   * @default none (no managed service needs AWS)
   */
  readonly servicePeering?: { readonly networkName: pulumi.Input<string> };
  /** Tags put on the AWS resources (the GCP ones take the provider's default labels). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Name of the peering private service access creates in every VPC it connects. */
export const servicePeeringName = "servicenetworking-googleapis-com";

/**
 * A site-to-site HA VPN between the AWS VPC and the GCP network: GCP's HA VPN gateway (two
 * interfaces) faces two AWS VPN connections on a virtual private gateway (two tunnels each),
 * four IPsec tunnels in all, with BGP between a Cloud Router and AWS. Either cloud losing a
 * tunnel or an interface keeps the path up (the 99.99% HA VPN topology towards AWS).
 */
export class CrossCloudVpn extends pulumi.ComponentResource {
  /** The four tunnels' BGP sessions on the GCP side: ready when the path is up to be used. */
  readonly bgpPeers: gcp.compute.RouterPeer[];
  readonly awsGatewayId: pulumi.Output<string>;

  constructor(name: string, args: CrossCloudVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:replication:CrossCloudVpn", name, {}, opts);
    const gcpEnd = createGcpEnd(name, args, this);
    const awsEnd = createAwsEnd(name, args, gcpEnd.gateway, this);
    this.bgpPeers = createTunnels(name, args, gcpEnd, awsEnd.connections, this);
    if (args.servicePeering) {
      new gcp.compute.NetworkPeeringRoutesConfig(
        `${name}-service-routes`,
        {
          network: args.servicePeering.networkName,
          peering: servicePeeringName,
          exportCustomRoutes: true,
          importCustomRoutes: false,
        },
        { parent: this },
      );
    }
    this.awsGatewayId = awsEnd.gateway.id;
    this.registerOutputs({ awsGatewayId: this.awsGatewayId });
  }
}

interface GcpEnd {
  readonly gateway: gcp.compute.HaVpnGateway;
  readonly router: gcp.compute.Router;
}

/** The HA VPN gateway and a Cloud Router announcing the subnets and the extra ranges. */
function createGcpEnd(name: string, args: CrossCloudVpnArgs, parent: pulumi.Resource): GcpEnd {
  const gateway = new gcp.compute.HaVpnGateway(
    `${name}-gcp-gateway`,
    { region: args.gcpRegion, network: args.gcpNetworkId },
    { parent },
  );
  const router = new gcp.compute.Router(
    `${name}-router`,
    {
      region: args.gcpRegion,
      network: args.gcpNetworkId,
      bgp: {
        asn: vpnAsns.gcp,
        advertiseMode: "CUSTOM",
        advertisedGroups: ["ALL_SUBNETS"],
        advertisedIpRanges: args.gcpAdvertisedRanges.map((range) => ({ range })),
      },
    },
    { parent },
  );
  return { gateway, router };
}

/**
 * A virtual private gateway on the VPC, its routes propagated into the private route tables,
 * and one VPN connection per Cloud VPN interface, each with two tunnels.
 */
function createAwsEnd(
  name: string,
  args: CrossCloudVpnArgs,
  gcpGateway: gcp.compute.HaVpnGateway,
  parent: pulumi.Resource,
): { gateway: aws.ec2.VpnGateway; connections: aws.ec2.VpnConnection[] } {
  const opts = { parent };
  const gateway = new aws.ec2.VpnGateway(
    `${name}-aws-gateway`,
    {
      vpcId: args.awsVpcId,
      amazonSideAsn: String(vpnAsns.aws),
      tags: { ...args.tags, Name: `${name}-aws-gateway` },
    },
    opts,
  );
  args.awsRouteTableIds.forEach(
    (routeTableId, i) =>
      new aws.ec2.VpnGatewayRoutePropagation(
        `${name}-aws-routes-${i}`,
        { vpnGatewayId: gateway.id, routeTableId },
        opts,
      ),
  );
  const connections = [0, 1].map((i) => {
    const customer = new aws.ec2.CustomerGateway(
      `${name}-customer-${i}`,
      {
        bgpAsn: String(vpnAsns.gcp),
        ipAddress: gcpGateway.vpnInterfaces.apply((ifaces) => ifaces[i]!.ipAddress!),
        type: "ipsec.1",
        tags: { ...args.tags, Name: `${name}-customer-${i}` },
      },
      opts,
    );
    const [key1, key2] = [1, 2].map((t) => presharedKey(`${name}-psk-${i}-${t}`, parent));
    return new aws.ec2.VpnConnection(
      `${name}-connection-${i}`,
      {
        vpnGatewayId: gateway.id,
        customerGatewayId: customer.id,
        type: "ipsec.1",
        staticRoutesOnly: false,
        tunnel1InsideCidr: tunnelInsideCidrs[2 * i],
        tunnel2InsideCidr: tunnelInsideCidrs[2 * i + 1],
        tunnel1PresharedKey: key1,
        tunnel2PresharedKey: key2,
        ...tunnelOptions(1),
        ...tunnelOptions(2),
        tags: { ...args.tags, Name: `${name}-connection-${i}` },
      },
      { parent, additionalSecretOutputs: ["tunnel1PresharedKey", "tunnel2PresharedKey"] },
    );
  });
  return { gateway, connections };
}

function tunnelOptions(tunnel: 1 | 2): Record<string, readonly (string | number)[]> {
  return Object.fromEntries(
    Object.entries(tunnelCrypto).map(([key, value]) => [`tunnel${tunnel}${key}`, [...value]]),
  );
}

/**
 * A tunnel's pre-shared key: 32 letters and digits after a letter (AWS refuses a key that
 * starts with 0, or one with characters other than letters, digits, `.` and `_`).
 */
function presharedKey(name: string, parent: pulumi.Resource): pulumi.Output<string> {
  const key = new random.RandomPassword(name, { length: 32, special: false }, { parent });
  return pulumi.secret(pulumi.interpolate`k${key.result}`);
}

/**
 * The four tunnels on the GCP side: a peer gateway naming AWS's four outside addresses, a
 * tunnel per address on the matching HA VPN interface, and a BGP session over each.
 */
function createTunnels(
  name: string,
  args: CrossCloudVpnArgs,
  gcpEnd: GcpEnd,
  connections: aws.ec2.VpnConnection[],
  parent: pulumi.Resource,
): gcp.compute.RouterPeer[] {
  const opts = { parent };
  const ends = connections.flatMap((c) => [
    {
      address: c.tunnel1Address,
      key: c.tunnel1PresharedKey,
      cgw: c.tunnel1CgwInsideAddress,
      vgw: c.tunnel1VgwInsideAddress,
    },
    {
      address: c.tunnel2Address,
      key: c.tunnel2PresharedKey,
      cgw: c.tunnel2CgwInsideAddress,
      vgw: c.tunnel2VgwInsideAddress,
    },
  ]);
  const peer = new gcp.compute.ExternalVpnGateway(
    `${name}-peer-gateway`,
    {
      redundancyType: "FOUR_IPS_REDUNDANCY",
      description: "The AWS side: two VPN connections, two tunnels each",
      interfaces: ends.map((end, id) => ({ id, ipAddress: end.address })),
    },
    opts,
  );
  return ends.map((end, i) => {
    const tunnel = new gcp.compute.VPNTunnel(
      `${name}-tunnel-${i}`,
      {
        region: args.gcpRegion,
        vpnGateway: gcpEnd.gateway.id,
        // Interface 0 faces the first AWS connection, interface 1 the second.
        vpnGatewayInterface: Math.floor(i / 2),
        peerExternalGateway: peer.id,
        peerExternalGatewayInterface: i,
        sharedSecret: pulumi.secret(end.key),
        router: gcpEnd.router.id,
        ikeVersion: 2,
      },
      opts,
    );
    const iface = new gcp.compute.RouterInterface(
      `${name}-interface-${i}`,
      {
        region: args.gcpRegion,
        router: gcpEnd.router.name,
        ipRange: pulumi.interpolate`${end.cgw}/30`,
        vpnTunnel: tunnel.name,
      },
      opts,
    );
    return new gcp.compute.RouterPeer(
      `${name}-bgp-${i}`,
      {
        region: args.gcpRegion,
        router: gcpEnd.router.name,
        interface: iface.name,
        peerIpAddress: end.vgw,
        peerAsn: vpnAsns.aws,
        advertisedRoutePriority: 100,
      },
      opts,
    );
  });
}
