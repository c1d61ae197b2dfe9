import { strict as assert } from "node:assert";
import type { FakeResource } from "../support/policy";
import { assertFindings, usePack, withField } from "./pack";

const rdsInstance: FakeResource = {
  type: "aws:rds/instance:Instance",
  name: "db",
  props: { publiclyAccessible: false },
};
const clusterInstance: FakeResource = {
  type: "aws:rds/clusterInstance:ClusterInstance",
  name: "aurora-1",
  props: {},
};
const domain: FakeResource = {
  type: "aws:opensearch/domain:Domain",
  name: "search",
  props: { vpcOptions: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-search"] } },
};
const securityGroup: FakeResource = {
  type: "aws:ec2/securityGroup:SecurityGroup",
  name: "alb",
  props: {
    ingress: [
      {
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["0.0.0.0/0"],
        ipv6CidrBlocks: ["::/0"],
      },
      { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
      { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.10.0.0/16"] },
    ],
  },
};
const groupRule: FakeResource = {
  type: "aws:ec2/securityGroupRule:SecurityGroupRule",
  name: "alb-https",
  props: {
    type: "ingress",
    protocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrBlocks: ["0.0.0.0/0"],
  },
};
const ingressRule: FakeResource = {
  type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  name: "alb-https-v6",
  props: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
};
const eks: FakeResource = {
  type: "aws:eks/cluster:Cluster",
  name: "eks",
  props: { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false } },
};
const gke: FakeResource = {
  type: "gcp:container/cluster:Cluster",
  name: "gke",
  props: {
    privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
    masterAuthorizedNetworksConfig: {
      cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "ci" }],
    },
  },
};
const cloudSql: FakeResource = {
  type: "gcp:sql/databaseInstance:DatabaseInstance",
  name: "standby-db",
  props: {
    settings: {
      ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/n" },
    },
  },
};

interface Case {
  readonly it: string;
  readonly resource: FakeResource;
  readonly messages: readonly RegExp[];
}

const cases: Record<string, { passes: FakeResource[]; fails: Case[] }> = {
  "aws-rds-not-public": {
    passes: [rdsInstance, clusterInstance],
    fails: [
      {
        it: "fails a publicly accessible instance",
        resource: withField(rdsInstance, "props.publiclyAccessible", true),
        messages: [/^db: the database has a public address; set publiclyAccessible: false\.$/],
      },
      {
        it: "fails a publicly accessible cluster instance",
        resource: withField(clusterInstance, "props.publiclyAccessible", true),
        messages: [/^aurora-1: the database has a public address/],
      },
    ],
  },
  "aws-opensearch-in-vpc": {
    passes: [domain],
    fails: [
      {
        it: "fails a domain outside a VPC",
        resource: withField(domain, "props.vpcOptions", undefined),
        messages: [
          /^search: the domain has a public endpoint; set vpcOptions.subnetIds to private subnets\.$/,
        ],
      },
    ],
  },
  "aws-security-group-no-public-ingress": {
    passes: [securityGroup, groupRule, ingressRule, withField(groupRule, "props.type", "egress")],
    fails: [
      {
        it: "fails SSH open to the internet in an inline rule",
        resource: withField(securityGroup, "props.ingress.2.cidrBlocks", ["0.0.0.0/0"]),
        messages: [
          /^alb: ingress from the internet on port 5432; only ports 80, 443 may be public\.$/,
        ],
      },
      {
        it: "fails a port range spanning 80 to 443",
        resource: withField(withField(groupRule, "props.fromPort", 80), "props.toPort", 443),
        messages: [/^alb-https: ingress from the internet on ports 80-443;/],
      },
      {
        it: "fails every protocol open to ::/0",
        resource: withField(ingressRule, "props.ipProtocol", "-1"),
        messages: [/^alb-https-v6: ingress from the internet on all ports;/],
      },
      {
        it: 'fails a rule of every protocol written as "all"',
        resource: withField(groupRule, "props.protocol", "all"),
        messages: [/^alb-https: ingress from the internet on all ports;/],
      },
    ],
  },
  "gcp-cloudsql-no-public-ip": {
    passes: [cloudSql],
    fails: [
      {
        it: "fails an instance that keeps the default public IP",
        resource: withField(cloudSql, "props.settings.ipConfiguration.ipv4Enabled", undefined),
        messages: [
          /^standby-db: the instance has a public IP; set settings.ipConfiguration.ipv4Enabled: false\.$/,
        ],
      },
    ],
  },
};

const prodCases: Record<string, { passes: FakeResource[]; fails: Case[] }> = {
  "aws-eks-endpoint-restricted": {
    passes: [
      eks,
      withField(
        withField(eks, "props.vpcConfig.endpointPublicAccess", true),
        "props.vpcConfig.publicAccessCidrs",
        ["203.0.113.0/24"],
      ),
    ],
    fails: [
      {
        it: "fails a public endpoint left at its default CIDRs",
        resource: withField(eks, "props.vpcConfig.endpointPublicAccess", undefined),
        messages: [
          /^eks: the API endpoint is public to 0.0.0.0\/0; set vpcConfig.endpointPublicAccess: false or narrow publicAccessCidrs\.$/,
        ],
      },
      {
        it: "fails a public endpoint open to 0.0.0.0/0",
        resource: withField(
          withField(eks, "props.vpcConfig.endpointPublicAccess", true),
          "props.vpcConfig.publicAccessCidrs",
          ["203.0.113.0/24", "0.0.0.0/0"],
        ),
        messages: [/^eks: the API endpoint is public to 0.0.0.0\/0/],
      },
    ],
  },
  "gcp-gke-private-cluster": {
    passes: [
      gke,
      withField(
        withField(gke, "props.masterAuthorizedNetworksConfig", undefined),
        "props.privateClusterConfig.enablePrivateEndpoint",
        true,
      ),
    ],
    fails: [
      {
        it: "fails a cluster with public nodes",
        resource: withField(gke, "props.privateClusterConfig.enablePrivateNodes", false),
        messages: [
          /^gke: nodes get public addresses; set privateClusterConfig.enablePrivateNodes: true\.$/,
        ],
      },
      {
        it: "fails a control plane open to every address",
        resource: withField(
          gke,
          "props.masterAuthorizedNetworksConfig.cidrBlocks.0.cidrBlock",
          "0.0.0.0/0",
        ),
        messages: [
          /^gke: the control plane is reachable from any address; set masterAuthorizedNetworksConfig.cidrBlocks or privateClusterConfig.enablePrivateEndpoint: true\.$/,
        ],
      },
      {
        it: "fails a cluster with no private config and no authorized networks",
        resource: { ...gke, props: {} },
        messages: [/nodes get public addresses/, /control plane is reachable from any address/],
      },
    ],
  },
};

describe("Exposure policies, through the analyzer protocol", function () {
  const pack = usePack({
    "aws-eks-endpoint-restricted": { enforcementLevel: "mandatory", environment: "prod" },
    "gcp-gke-private-cluster": { enforcementLevel: "mandatory", environment: "prod" },
  });

  for (const [policy, { passes, fails }] of Object.entries({ ...cases, ...prodCases })) {
    describe(policy, () => {
      it("passes the compliant resources", async () => {
        for (const resource of passes)
          assert.deepEqual(await pack.analyze(resource, policy), [], resource.name);
      });
      for (const c of fails) {
        it(c.it, async () =>
          assertFindings(await pack.analyze(c.resource, policy), policy, c.messages),
        );
      }
    });
  }

  describe("outside prod", () => {
    afterEach(async () => pack.configure());

    for (const [policy, { fails }] of Object.entries(prodCases)) {
      it(`${policy} stays silent when the stack is not prod`, async () => {
        await pack.configure({
          [policy]: { enforcementLevel: "mandatory", environment: "staging" },
        });
        for (const c of fails) assert.deepEqual(await pack.analyze(c.resource, policy), []);
      });
    }

    it("opens only the ports the stack's config allows", async () => {
      const policy = "aws-security-group-no-public-ingress";
      await pack.configure({
        [policy]: { enforcementLevel: "mandatory", allowedPublicPorts: [443] },
      });
      assertFindings(await pack.analyze(securityGroup, policy), policy, [
        /^alb: ingress from the internet on port 80; only ports 443 may be public\.$/,
      ]);
    });
  });
});
