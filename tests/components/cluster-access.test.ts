import { strict as assert } from "node:assert";
import {
  Cluster,
  clusterDefaults,
  type ApiAccess,
  type ClusterArgs,
} from "../../components/cluster";
import type { Tier } from "../../config/tiers";
import { settle, useMocks, type Recorded } from "../support/mocks";

const subnets = ["subnet-a", "subnet-b", "subnet-c"];

function argsFor(
  tier: Tier,
  apiAccess: ApiAccess,
  adminRoleArns: readonly string[] = [],
): ClusterArgs {
  return {
    ...clusterDefaults[tier],
    apiAccess,
    adminRoleArns,
    tier,
    clusterName: `platform-${tier}`,
    region: "us-east-1",
    placement: { target: "aws", vpcId: "vpc-0123", privateSubnetIds: subnets },
    tags: { project: "platform", stack: "test" },
  };
}

async function build(
  tier: Tier,
  apiAccess: ApiAccess,
  adminRoleArns: readonly string[] = [],
): Promise<Recorded> {
  const recorded = useMocks();
  new Cluster("cluster", argsFor(tier, apiAccess, adminRoleArns));
  await settle();
  return recorded;
}

describe("Cluster on aws with a private API (deployer: a runner inside the VPC)", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = await build("prod", { mode: "private", cidrs: ["10.10.0.0/16"] });
  });

  it("serves the API on the private endpoint only", () => {
    assert.deepEqual(recorded.inputs(recorded.one("aws:eks/cluster:Cluster")).vpcConfig, {
      subnetIds: subnets,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
  });

  it("admits the runner's range to the cluster security group on 443, and nothing else", () => {
    const eksOut = recorded.one("aws:eks/cluster:Cluster").outputs as {
      vpcConfig: { clusterSecurityGroupId: string };
    };
    const rules = recorded.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepEqual(
      rules.map((r) => [r.name, recorded.inputs(r)]),
      [
        [
          "cluster-api-deployer-0",
          {
            securityGroupId: eksOut.vpcConfig.clusterSecurityGroupId,
            description: "Deployer (CI runner in 10.10.0.0/16) reaches the Kubernetes API",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "10.10.0.0/16",
          },
        ],
      ],
    );
  });
});

describe("Cluster on aws with a public API (deployer: named CIDRs)", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = await build("prod", {
      mode: "public",
      cidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });

  it("opens the public endpoint to the named ranges only and keeps the private one", () => {
    assert.deepEqual(recorded.inputs(recorded.one("aws:eks/cluster:Cluster")).vpcConfig, {
      subnetIds: subnets,
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });

  it("adds no rule to the cluster security group: the public endpoint does not pass it", () => {
    assert.deepEqual(
      recorded.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      [],
    );
  });
});

describe("Cluster API access settings", () => {
  const refused: { what: string; tier: Tier; access: ApiAccess; says: RegExp }[] = [
    {
      what: "a public endpoint with no ranges",
      tier: "staging",
      access: { mode: "public", cidrs: [] },
      says: /apiAccess: \[\] lists no CIDR block while mode is "public"/,
    },
    {
      what: "a prod public endpoint open to any /0",
      tier: "prod",
      access: { mode: "public", cidrs: ["203.0.113.0/24", "128.0.0.0/0"] },
      says: /apiAccess: "128\.0\.0\.0\/0" admits the whole internet to the prod API/,
    },
    {
      what: "a private API on aws that names no range for the runner",
      tier: "prod",
      access: { mode: "private", cidrs: [] },
      says: /apiAccess: \{"mode":"private","cidrs":\[\]\} names no range for the deploy runner on aws/,
    },
  ];
  for (const c of refused) {
    it(`refuse ${c.what}, before creating anything`, () => {
      const recorded = useMocks();
      assert.throws(() => new Cluster("cluster", argsFor(c.tier, c.access)), c.says);
      assert.equal(recorded.all.length, 0);
    });
  }

  it("default to a private API on every tier", () => {
    for (const tier of ["dev", "staging", "prod"] as const) {
      assert.equal(clusterDefaults[tier].apiAccess.mode, "private");
    }
  });
});

describe("Cluster on aws with named administrator roles", () => {
  const deployRole = "arn:aws:iam::123456789012:role/platform-deploy-prod";
  let recorded: Recorded;
  before(async () => {
    recorded = await build("prod", { mode: "private", cidrs: ["10.10.0.0/16"] }, [deployRole]);
  });

  it("gives each role an access entry and cluster-wide cluster-admin", () => {
    const entry = recorded.one("aws:eks/accessEntry:AccessEntry", "cluster-admin-0");
    assert.deepEqual(recorded.inputs(entry), {
      clusterName: "platform-prod",
      principalArn: deployRole,
      type: "STANDARD",
      tags: { project: "platform", stack: "test" },
    });
    const association = recorded.one(
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "cluster-admin-0-policy",
    );
    assert.deepEqual(recorded.inputs(association), {
      clusterName: "platform-prod",
      principalArn: deployRole,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    // EKS refuses an association for a principal that has no access entry yet.
    assert.ok(association.dependencies.includes(entry.urn));
  });

  it("gives the creator no entry of its own, which would collide with a named role", () => {
    const eks = recorded.inputs(recorded.one("aws:eks/cluster:Cluster"));
    assert.deepEqual(eks.accessConfig, {
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
  });

  it("deploys nothing into the cluster before the deployer is admitted and an administrator", () => {
    const provider = recorded.one("pulumi:providers:kubernetes", "cluster-k8s");
    const association = recorded.one(
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "cluster-admin-0-policy",
    );
    const rule = recorded.one(
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "cluster-api-deployer-0",
    );
    assert.ok(provider.dependencies.includes(association.urn));
    assert.ok(provider.dependencies.includes(rule.urn));
  });

  it("makes no access entry when no role is named, and the creator administers the cluster", async () => {
    const none = await build("prod", { mode: "private", cidrs: ["10.10.0.0/16"] });
    assert.equal(
      (recordedAccess(none) as { bootstrapClusterCreatorAdminPermissions: boolean })
        .bootstrapClusterCreatorAdminPermissions,
      true,
    );
    assert.equal(none.ofType("aws:eks/accessEntry:AccessEntry").length, 0);
    assert.equal(none.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").length, 0);
  });
});

function recordedAccess(recorded: Recorded): unknown {
  return recorded.inputs(recorded.one("aws:eks/cluster:Cluster")).accessConfig;
}
