import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { addonVersions, eksOidcRootCaThumbprint } from "../../components/cluster/aws";
import { defaultBuildOfEks } from "../../components/cluster/versions";
import { Cluster, clusterDefaults, type ClusterArgs } from "../../components/cluster";
import type { Tier } from "../../config/tiers";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { secretSig, sigKey } from "../../tools/plan/values";

const tags = { project: "platform", stack: "test", "managed-by": "pulumi" };
const subnets = ["subnet-a", "subnet-b", "subnet-c"];
/** The VPC's range, which the stack config admits to a private API by default. */
const vpcCidr = "10.10.0.0/16";

function argsFor(tier: Tier, overrides: Partial<ClusterArgs> = {}): ClusterArgs {
  return {
    ...clusterDefaults[tier],
    apiAccess: { mode: "private", cidrs: [vpcCidr] },
    tier,
    clusterName: `platform-${tier}`,
    region: "us-east-1",
    placement: { target: "aws", vpcId: "vpc-0123", privateSubnetIds: subnets },
    tags,
    ...overrides,
  };
}

async function build(tier: Tier, overrides: Partial<ClusterArgs> = {}) {
  const recorded = useMocks();
  const cluster = new Cluster("cluster", argsFor(tier, overrides));
  await settle();
  return { recorded, cluster };
}

type Doc = { Statement: Record<string, unknown>[] };

describe("Cluster on aws in prod", () => {
  let recorded: Recorded;
  let cluster: Cluster;
  let eks: Record<string, unknown>;
  before(async () => {
    ({ recorded, cluster } = await build("prod"));
    eks = recorded.inputs(recorded.one("aws:eks/cluster:Cluster", "cluster-eks"));
  });

  it("runs the control plane in the private subnets with only the private endpoint", () => {
    assert.equal(eks.name, "platform-prod");
    assert.equal(eks.version, "1.35");
    assert.deepEqual(eks.vpcConfig, {
      subnetIds: subnets,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
  });

  it("envelope-encrypts secrets with a customer key that rotates", () => {
    const key = recorded.one("aws:kms/key:Key", "cluster-secrets-key");
    assert.deepEqual(eks.encryptionConfig, {
      resources: ["secrets"],
      provider: { keyArn: key.outputs.arn },
    });
    assert.equal(recorded.inputs(key).enableKeyRotation, true);
    assert.equal(recorded.inputs(key).deletionWindowInDays, 30);
  });

  it("lets the control-plane role use the secrets key and nothing more", () => {
    const key = recorded.one("aws:kms/key:Key", "cluster-secrets-key");
    const policy = JSON.parse(
      String(
        recorded.inputs(recorded.one("aws:iam/rolePolicy:RolePolicy", "cluster-cluster-role-kms"))
          .policy,
      ),
    ) as Doc;
    assert.deepEqual(policy.Statement, [
      {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
        Resource: key.outputs.arn,
      },
    ]);
  });

  it("sends every control-plane log type to an encrypted log group kept one year", () => {
    assert.deepEqual(eks.enabledClusterLogTypes, [
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    const group = recorded.inputs(recorded.one("aws:cloudwatch/logGroup:LogGroup", "cluster-logs"));
    assert.equal(group.name, "/aws/eks/platform-prod/cluster");
    assert.equal(group.retentionInDays, 365);
    assert.equal(group.kmsKeyId, recorded.one("aws:kms/key:Key", "cluster-logs-key").outputs.arn);
    const eksRecord = recorded.one("aws:eks/cluster:Cluster", "cluster-eks");
    assert.ok(
      eksRecord.dependencies.includes(recorded.one("aws:cloudwatch/logGroup:LogGroup").urn),
      "the log group must exist before EKS creates its own",
    );
  });

  it("refuses deletion of the prod control plane and uses API access entries", () => {
    assert.equal(eks.deletionProtection, true);
    assert.deepEqual(eks.accessConfig, {
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: true,
    });
    assert.equal(eks.bootstrapSelfManagedAddons, false);
  });

  it("gives the control-plane role the EKS cluster policy", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-cluster-role");
    const trust = JSON.parse(String(recorded.inputs(role).assumeRolePolicy)) as Doc;
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: "eks.amazonaws.com" });
    assert.equal(eks.roleArn, role.outputs.arn);
    const attached = recorded
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => recorded.inputs(a).role === role.outputs.name)
      .map((a) => recorded.inputs(a).policyArn);
    assert.deepEqual(attached, ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
  });

  it("sizes the node group at six nodes, scaling to twelve, on m6i.xlarge (seed 001: 6+ in prod)", () => {
    const group = recorded.inputs(recorded.one("aws:eks/nodeGroup:NodeGroup", "cluster-nodes"));
    assert.deepEqual(group.scalingConfig, { minSize: 6, desiredSize: 6, maxSize: 12 });
    assert.deepEqual(group.instanceTypes, ["m6i.xlarge"]);
    assert.deepEqual(group.subnetIds, subnets);
    assert.equal(group.clusterName, "platform-prod");
    assert.equal(group.amiType, "AL2023_x86_64_STANDARD");
    assert.equal(group.version, "1.35");
    assert.deepEqual(group.updateConfig, { maxUnavailable: 1 });
    const lt = recorded.one("aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes-lt");
    assert.deepEqual(group.launchTemplate, { id: lt.id, version: "1" });
    assert.deepEqual(recorded.one("aws:eks/nodeGroup:NodeGroup").ignoreChanges, [
      "scalingConfig.desiredSize",
    ]);
  });

  it("boots nodes from a launch template with an encrypted gp3 root volume and IMDSv2 required", () => {
    const lt = recorded.inputs(
      recorded.one("aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes-lt"),
    );
    assert.deepEqual(lt.blockDeviceMappings, [
      {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      },
    ]);
    assert.deepEqual(lt.metadataOptions, {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
    });
  });

  it("puts nodes in the cluster's security group and in a node group of their own", () => {
    const lt = recorded.inputs(
      recorded.one("aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes-lt"),
    );
    const eksOut = recorded.one("aws:eks/cluster:Cluster").outputs as {
      vpcConfig: { clusterSecurityGroupId: string };
    };
    const nodeSg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "cluster-node-sg");
    assert.deepEqual(lt.vpcSecurityGroupIds, [eksOut.vpcConfig.clusterSecurityGroupId, nodeSg.id]);
    assert.equal(recorded.inputs(nodeSg).vpcId, "vpc-0123");
    assert.equal(
      recorded.inputs(nodeSg).ingress,
      undefined,
      "the node group admits nothing itself",
    );
  });

  it("exports the node security group, which does not depend on the control plane", async () => {
    const nodeSg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "cluster-node-sg");
    assert.equal((await resolve(cluster.nodeSecurityGroupId!)).value, nodeSg.id);
    const eksUrn = recorded.one("aws:eks/cluster:Cluster").urn;
    assert.ok(!nodeSg.dependencies.includes(eksUrn));
  });

  it("gives nodes the worker, CNI and ECR read-only policies", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-node-role");
    const trust = JSON.parse(String(recorded.inputs(role).assumeRolePolicy)) as Doc;
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: "ec2.amazonaws.com" });
    const attached = recorded
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => recorded.inputs(a).role === role.outputs.name)
      .map((a) => recorded.inputs(a).policyArn);
    assert.deepEqual(attached, [
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ]);
  });

  it("registers the cluster's OIDC issuer as an IAM identity provider for service accounts", async () => {
    const eksOut = recorded.one("aws:eks/cluster:Cluster").outputs as {
      identities: { oidcs: { issuer: string }[] }[];
    };
    const issuer = eksOut.identities[0]!.oidcs[0]!.issuer;
    assert.match(issuer, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    const oidc = recorded.one(
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
      "cluster-oidc",
    );
    assert.deepEqual(
      {
        url: recorded.inputs(oidc).url,
        clients: recorded.inputs(oidc).clientIdLists,
        thumbprints: recorded.inputs(oidc).thumbprintLists,
      },
      { url: issuer, clients: ["sts.amazonaws.com"], thumbprints: [eksOidcRootCaThumbprint] },
    );
    assert.equal((await resolve(cluster.oidcProviderArn!)).value, oidc.outputs.arn);
    assert.equal((await resolve(cluster.oidcIssuer!)).value, issuer.replace("https://", ""));
  });

  it("installs the core add-ons at pinned versions", () => {
    const addons = recorded.ofType("aws:eks/addon:Addon").map((a) => recorded.inputs(a));
    // kube-proxy and CoreDNS at their pins; the VPC CNI and the EBS CSI driver at the newest
    // build EKS recommends for 1.35, which the mocked DescribeAddonVersions answers per version.
    assert.deepEqual(Object.fromEntries(addons.map((a) => [a.addonName, a.addonVersion])), {
      "vpc-cni": "v1.0.0-eksbuild.135",
      "kube-proxy": addonVersions["1.35"]["kube-proxy"],
      coredns: addonVersions["1.35"].coredns,
      "aws-ebs-csi-driver": "v1.0.0-eksbuild.135",
    });
    assert.equal(addonVersions["1.35"]["vpc-cni"], defaultBuildOfEks);
    assert.equal(addonVersions["1.35"]["aws-ebs-csi-driver"], defaultBuildOfEks);
    assert.match(addonVersions["1.35"]["kube-proxy"], /^v1\.35\.\d+-eksbuild\.\d+$/);
    assert.match(addonVersions["1.35"].coredns, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    assert.deepEqual(Object.keys(addonVersions["1.35"]).sort(), [
      "aws-ebs-csi-driver",
      "coredns",
      "kube-proxy",
      "vpc-cni",
    ]);
    for (const a of addons) {
      assert.equal(a.clusterName, "platform-prod");
      assert.equal(a.resolveConflictsOnCreate, "OVERWRITE");
      assert.equal(a.resolveConflictsOnUpdate, "PRESERVE");
    }
  });

  it("starts the network add-ons before the nodes and the rest after them", () => {
    const group = recorded.one("aws:eks/nodeGroup:NodeGroup");
    const addon = (n: string) => recorded.one("aws:eks/addon:Addon", `cluster-${n}`);
    assert.ok(group.dependencies.includes(addon("vpc-cni").urn));
    assert.ok(group.dependencies.includes(addon("kube-proxy").urn));
    assert.ok(addon("coredns").dependencies.includes(group.urn));
    assert.ok(addon("aws-ebs-csi-driver").dependencies.includes(group.urn));
  });

  it("runs the EBS CSI driver under an IAM role only its service account may assume", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-ebs-csi-role");
    const oidc = recorded.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    const host = String(recorded.inputs(oidc).url).replace("https://", "");
    assert.deepEqual(JSON.parse(String(recorded.inputs(role).assumeRolePolicy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: oidc.outputs.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${host}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
              [`${host}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    const csi = recorded.inputs(recorded.one("aws:eks/addon:Addon", "cluster-aws-ebs-csi-driver"));
    assert.equal(csi.serviceAccountRoleArn, role.outputs.arn);
    const attached = recorded
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => recorded.inputs(a).role === role.outputs.name)
      .map((a) => recorded.inputs(a).policyArn);
    assert.deepEqual(attached, ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
  });

  it("exports a kubeconfig as a secret that authenticates with aws eks get-token", async () => {
    const { value, secret } = await resolve(cluster.kubeconfig);
    assert.equal(secret, true);
    const eksOut = recorded.one("aws:eks/cluster:Cluster").outputs as {
      endpoint: string;
      certificateAuthority: { data: string };
    };
    const kubeconfig = JSON.parse(value) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: { exec: Record<string, unknown> } }[];
      "current-context": string;
    };
    assert.deepEqual(kubeconfig.clusters[0]!.cluster, {
      server: eksOut.endpoint,
      "certificate-authority-data": eksOut.certificateAuthority.data,
    });
    assert.deepEqual(kubeconfig.users[0]!.user.exec, {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "platform-prod", "--region", "us-east-1"],
      interactiveMode: "Never",
    });
    assert.equal(kubeconfig["current-context"], "platform-prod");
  });

  it("builds a Kubernetes provider from that kubeconfig, kept secret", () => {
    const provider = recorded.one("pulumi:providers:kubernetes", "cluster-k8s");
    const raw = provider.inputs.kubeconfig as Record<string, unknown>;
    assert.equal(raw[sigKey], secretSig);
    assert.equal(provider.inputs.enableServerSideApply, "true");
    assert.ok(cluster.provider instanceof pulumi.ProviderResource);
  });

  it("parents every child to the component and names it from the component", () => {
    const component = recorded.one("platform:index:Cluster", "cluster");
    const children = recorded.all.filter(
      (r) =>
        r.custom && r.type !== "pulumi:providers:aws" && r.type !== "pulumi:providers:kubernetes",
    );
    assert.ok(children.length >= 20);
    // metrics-server is a component of its own inside the cluster's.
    const metricsServer = recorded.one("platform:index:MetricsServer", "cluster-metrics-server");
    assert.equal(metricsServer.parent, component.urn);
    for (const child of children) {
      const parent = child.parent === metricsServer.urn ? metricsServer.parent : child.parent;
      assert.equal(parent, component.urn, `${child.type} ${child.name}`);
      assert.match(child.name, /^cluster-/);
    }
    assert.equal(recorded.one("pulumi:providers:kubernetes").parent, component.urn);
  });
});

describe("Cluster on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    ({ recorded } = await build("staging"));
  });

  it("sizes the node group at three nodes on m6i.large (seed 001: 3 in staging)", () => {
    const group = recorded.inputs(recorded.one("aws:eks/nodeGroup:NodeGroup", "cluster-nodes"));
    assert.deepEqual(group.scalingConfig, { minSize: 3, desiredSize: 3, maxSize: 6 });
    assert.deepEqual(group.instanceTypes, ["m6i.large"]);
  });

  it("keeps control-plane logs 30 days and allows deleting the cluster", () => {
    const group = recorded.inputs(recorded.one("aws:cloudwatch/logGroup:LogGroup", "cluster-logs"));
    assert.equal(group.retentionInDays, 30);
    const eks = recorded.inputs(recorded.one("aws:eks/cluster:Cluster"));
    assert.equal(eks.deletionProtection, false);
  });

  it("opens the public endpoint only to the CIDR blocks the stack lists", async () => {
    const { recorded: open } = await build("staging", {
      apiAccess: { mode: "public", cidrs: ["203.0.113.0/24"] },
    });
    assert.deepEqual(recorded.inputs(recorded.one("aws:eks/cluster:Cluster")).vpcConfig, {
      subnetIds: subnets,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    assert.deepEqual(open.inputs(open.one("aws:eks/cluster:Cluster")).vpcConfig, {
      subnetIds: subnets,
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });
});

describe("Cluster settings", () => {
  it("refuse a public prod endpoint open to the whole internet, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        new Cluster(
          "cluster",
          argsFor("prod", { apiAccess: { mode: "public", cidrs: ["0.0.0.0/0"] } }),
        ),
      {
        name: "ComponentError",
        message:
          'Cluster cluster: invalid args:\n  - apiAccess: "0.0.0.0/0" admits the whole internet to the prod API; expected the CIDR blocks of your offices or CI runners',
      },
    );
    assert.equal(recorded.all.length, 0);
  });

  it("refuse a desired size above the maximum", () => {
    assert.throws(
      () => new Cluster("cluster", argsFor("staging", { desiredNodes: 8, maxNodes: 6 })),
      {
        name: "ComponentError",
        message:
          "Cluster cluster: invalid args:\n  - desiredNodes: 8 is more than maxNodes (6); expected minNodes <= desiredNodes <= maxNodes",
      },
    );
  });

  it("default to three nodes in staging and six in prod, private endpoint everywhere", () => {
    assert.deepEqual(
      [clusterDefaults.staging.desiredNodes, clusterDefaults.prod.desiredNodes],
      [3, 6],
    );
    for (const tier of ["dev", "staging", "prod"] as const) {
      assert.deepEqual(clusterDefaults[tier].apiAccess, { mode: "private", cidrs: [] });
    }
  });
});
