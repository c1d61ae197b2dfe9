/**
 * Types that cost nothing by themselves: identity, network plumbing, configuration of a priced
 * resource (its cost is on that resource), and everything that runs inside a cluster on nodes
 * the node group or node pool already prices. A type on neither this list nor a pricer's is
 * reported as unpriced, never counted as zero.
 */
export const freeTypes: readonly string[] = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/route:Route",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  // The node group prices the disks its launch template gives each node.
  "aws:ec2/launchTemplate:LaunchTemplate",
  // Flow logs are billed as the log group's ingestion.
  "aws:ec2/flowLog:FlowLog",
  // Add-ons run on the priced nodes; EKS charges nothing for them.
  "aws:eks/addon:Addon",
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policy:Policy",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
  "aws:kms/alias:Alias",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/parameterGroup:ParameterGroup",
  "aws:opensearch/domainPolicy:DomainPolicy",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
  // The vault is a container; AWS Backup bills the storage the plan's rules keep.
  "aws:backup/vault:Vault",
  "aws:backup/selection:Selection",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  // The VPN connection (AWS) and tunnels (GCP) carry the charge; gateways and routing are free.
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  "gcp:compute/externalVpnGateway:ExternalVpnGateway",
  "gcp:compute/haVpnGateway:HaVpnGateway",
  "gcp:compute/routerInterface:RouterInterface",
  "gcp:compute/routerPeer:RouterPeer",
  "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
  "gcp:monitoring/notificationChannel:NotificationChannel",
  "gcp:projects/iAMCustomRole:IAMCustomRole",
  "gcp:compute/network:Network",
  "gcp:compute/subnetwork:Subnetwork",
  "gcp:compute/firewall:Firewall",
  "gcp:compute/router:Router",
  "gcp:projects/service:Service",
  "gcp:projects/iAMMember:IAMMember",
  "gcp:serviceaccount/account:Account",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:kms/keyRing:KeyRing",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  "gcp:servicenetworking/connection:Connection",
  "gcp:sql/database:Database",
  "gcp:sql/user:User",
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  // Part of the zone plan, or of the load balancing subscription.
  "cloudflare:index/loadBalancerPool:LoadBalancerPool",
  "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor",
];

/** Free by package: generated values, and the program's own components. */
export function isFree(type: string): boolean {
  return (
    freeTypes.includes(type) ||
    type.startsWith("pulumi:") ||
    type.startsWith("platform:") ||
    type.startsWith("random:") ||
    // Kubernetes objects run on priced nodes; Services and releases that make cloud load
    // balancers have pricers of their own.
    type.startsWith("kubernetes:")
  );
}
