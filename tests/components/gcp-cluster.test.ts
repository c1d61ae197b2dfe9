import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  createGkeCluster,
  gkeNodePoolDefaults,
  gkeWebhooks,
  nodePoolBounds,
  nodeServiceAccountRoles,
  type GkeClusterArgs,
  webhookPorts,
  type GkeClusterOutputs,
} from "../../components/cluster/gcp";
import type { ApiAccess } from "../../components/cluster/access";
import type { GcpNetworkOutputs } from "../../components/network/gcp";
import type { Tier } from "../../config/tiers";
import { mockGcpProjectNumber } from "../../tools/plan/mocks";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { plainTextLeaks, testParent } from "./gcp-support";

const network: Omit<GcpNetworkOutputs, "egress"> = {
  networkId: pulumi.output("projects/p/global/networks/net"),
  networkSelfLink: pulumi.output(
    "https://www.googleapis.com/compute/v1/projects/p/global/networks/net",
  ),
  serviceNetworkId: pulumi.output("projects/p/global/networks/net"),
  subnetId: pulumi.output("projects/p/regions/us-central1/subnetworks/net-subnet"),
  subnetSelfLink: pulumi.output(
    "https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/subnetworks/net-subnet",
  ),
  podsRangeName: "net-pods",
  servicesRangeName: "net-services",
  subnetCidr: "10.20.0.0/20",
};

/** The cluster's args, its network's Cloud NAT registered under the mocks in use. */
function args(tier: Tier, overrides: Partial<GkeClusterArgs> = {}): GkeClusterArgs {
  const egress = new gcp.compute.RouterNat("net-nat", {
    router: "net-router",
    region: "us-central1",
    natIpAllocateOption: "AUTO_ONLY",
    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
  });
  return {
    tier,
    version: "1.35",
    project: "platform-prod-standby",
    region: "us-central1",
    network: { ...network, egress },
    apiAccess: { mode: "private", cidrs: [] },
    masterAuthorizedNetworks: [{ cidrBlock: "10.99.0.0/24", displayName: "vpn" }],
    deployerEgressIps: [],
    masterCidr: "172.16.0.0/28",
    nodePool: gkeNodePoolDefaults[tier],
    standby: false,
    labels: { tier },
    ...overrides,
  };
}

async function build(
  tier: Tier,
  overrides: Partial<GkeClusterArgs> = {},
): Promise<{ recorded: Recorded; built: GkeClusterOutputs }> {
  const recorded = useMocks();
  const built = createGkeCluster("std", args(tier, overrides), testParent());
  await settle();
  return { recorded, built };
}

const clusterType = "gcp:container/cluster:Cluster";
const poolType = "gcp:container/nodePool:NodePool";

describe("Cluster on gcp in prod", () => {
  let recorded: Recorded;
  let built: GkeClusterOutputs;
  let cluster: Record<string, unknown>;

  before(async () => {
    ({ recorded, built } = await build("prod"));
    cluster = recorded.inputs(recorded.one(clusterType, "std-gke"));
  });

  it("encrypts Kubernetes Secrets with a customer key that rotates every 90 days", () => {
    const key = recorded.one("gcp:kms/cryptoKey:CryptoKey", "std-secrets-key");
    assert.equal(recorded.inputs(key).rotationPeriod, "7776000s");
    assert.equal(recorded.inputs(key).purpose, "ENCRYPT_DECRYPT");
    assert.deepEqual(cluster.databaseEncryption, { state: "ENCRYPTED", keyName: key.id });
    const ring = recorded.inputs(recorded.one("gcp:kms/keyRing:KeyRing", "std-keyring"));
    assert.equal(ring.location, "us-central1");
  });

  it("lets the key ring be auto-named, since a key ring's name can never be used again", () => {
    const ring = recorded.inputs(recorded.one("gcp:kms/keyRing:KeyRing", "std-keyring"));
    assert.equal(ring.name, undefined);
  });

  it("lets the GKE service agent, and only it, use the key, before the cluster exists", () => {
    const grant = recorded.one(
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
      "std-secrets-key-gke",
    );
    assert.deepEqual(recorded.inputs(grant), {
      cryptoKeyId: recorded.one("gcp:kms/cryptoKey:CryptoKey").id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:service-${mockGcpProjectNumber}@container-engine-robot.iam.gserviceaccount.com`,
    });
    assert.ok(recorded.one(clusterType).dependencies.includes(grant.urn));
  });

  it("has private nodes and no public control-plane endpoint", () => {
    assert.deepEqual(cluster.privateClusterConfig, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: "172.16.0.0/28",
      masterGlobalAccessConfig: { enabled: false },
    });
  });

  it("admits to the control plane only the nodes' subnet and the configured ranges", () => {
    assert.deepEqual(cluster.masterAuthorizedNetworksConfig, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [
        { cidrBlock: "10.20.0.0/20", displayName: "nodes" },
        { cidrBlock: "10.99.0.0/24", displayName: "vpn" },
      ],
    });
  });

  it("uses Workload Identity, shielded nodes, the REGULAR channel and Dataplane V2", () => {
    assert.deepEqual(cluster.workloadIdentityConfig, {
      workloadPool: "platform-prod-standby.svc.id.goog",
    });
    assert.equal(built.workloadIdentityPool, "platform-prod-standby.svc.id.goog");
    assert.equal(cluster.enableShieldedNodes, true);
    assert.deepEqual(cluster.releaseChannel, { channel: "REGULAR" });
    // The primary's minor version at least: GKE 1.35 is maintained until 2027-04-11.
    assert.equal(cluster.minMasterVersion, "1.35");
    assert.equal(cluster.datapathProvider, "ADVANCED_DATAPATH");
    assert.equal(cluster.enableLegacyAbac, false);
    assert.deepEqual(cluster.masterAuth, {
      clientCertificateConfig: { issueClientCertificate: false },
    });
  });

  it("is regional and VPC-native on the network's secondary ranges", () => {
    assert.equal(cluster.location, "us-central1");
    assert.equal(cluster.networkingMode, "VPC_NATIVE");
    assert.deepEqual(cluster.ipAllocationPolicy, {
      clusterSecondaryRangeName: "net-pods",
      servicesSecondaryRangeName: "net-services",
    });
  });

  it("removes the default node pool and runs one autoscaling pool of 6 to 20 nodes (seed 001: 6+)", () => {
    assert.equal(cluster.removeDefaultNodePool, true);
    const pool = recorded.inputs(recorded.one(poolType, "std-nodes"));
    assert.deepEqual(pool.autoscaling, {
      totalMinNodeCount: 6,
      totalMaxNodeCount: 20,
      locationPolicy: "BALANCED",
    });
    assert.equal(pool.initialNodeCount, 2);
    assert.deepEqual(pool.management, { autoRepair: true, autoUpgrade: true });
    assert.deepEqual(pool.upgradeSettings, { maxSurge: 1, maxUnavailable: 0 });
  });

  it("runs nodes shielded, on the GKE metadata server, as the node service account", () => {
    const sa = recorded.one("gcp:serviceaccount/account:Account", "std-nodes");
    const node = recorded.inputs(recorded.one(poolType)).nodeConfig as Record<string, unknown>;
    assert.equal(node.machineType, "n2-standard-4");
    assert.equal(node.serviceAccount, sa.outputs.email);
    assert.deepEqual(node.shieldedInstanceConfig, {
      enableSecureBoot: true,
      enableIntegrityMonitoring: true,
    });
    assert.deepEqual(node.workloadMetadataConfig, { mode: "GKE_METADATA" });
    assert.deepEqual(node.metadata, { "disable-legacy-endpoints": "true" });
    const temporary = cluster.nodeConfig as Record<string, unknown>;
    assert.equal(temporary.serviceAccount, sa.outputs.email);
  });

  it("grants the node service account only logging, monitoring and image-pull roles", () => {
    const grants = recorded
      .ofType("gcp:projects/iAMMember:IAMMember")
      .map((r) => recorded.inputs(r));
    assert.deepEqual(grants.map((g) => g.role).sort(), [...nodeServiceAccountRoles].sort());
    for (const g of grants) {
      assert.equal(
        g.member,
        "serviceAccount:std-nodes@platform-prod-standby.iam.gserviceaccount.com",
      );
      assert.equal(g.project, "platform-prod-standby");
    }
  });

  it("protects the cluster and its key from deletion", () => {
    assert.equal(cluster.deletionProtection, true);
    assert.equal(recorded.one(clusterType).protect, true);
    assert.equal(recorded.one("gcp:kms/cryptoKey:CryptoKey").protect, true);
  });

  it("lets the control plane, from its /28 only, reach the webhooks on 8443 and 10250 of the nodes", () => {
    const sa = recorded.one("gcp:serviceaccount/account:Account", "std-nodes");
    const rule = recorded.one("gcp:compute/firewall:Firewall", "std-webhooks");
    assert.deepEqual(recorded.inputs(rule), {
      project: "platform-prod-standby",
      network: "projects/p/global/networks/net",
      description: "The control plane of std calls the admission webhooks on its nodes",
      direction: "INGRESS",
      sourceRanges: ["172.16.0.0/28"],
      targetServiceAccounts: [sa.outputs.email],
      allows: [{ protocol: "tcp", ports: ["8443", "10250"] }],
    });
  });

  it("opens a port for every webhook the cluster's charts serve, ingress-nginx's 8443 included", () => {
    assert.deepEqual(
      gkeWebhooks.map((w) => [w.chart, w.port]),
      [
        ["ingress-nginx", 8443],
        ["cert-manager", 10250],
        ["kube-prometheus-stack", 10250],
      ],
    );
    assert.deepEqual(webhookPorts(), ["8443", "10250"]);
  });

  it("readies its Kubernetes provider only once the nodes, the webhook rule and Cloud NAT exist", () => {
    const provider = recorded.one("pulumi:providers:kubernetes", "std-k8s");
    for (const [type, name] of [
      [poolType, "std-nodes"],
      ["gcp:compute/firewall:Firewall", "std-webhooks"],
      ["gcp:compute/routerNat:RouterNat", "net-nat"],
    ] as const) {
      assert.ok(
        provider.dependencies.includes(recorded.one(type, name).urn),
        `the provider does not wait for ${name}`,
      );
    }
  });

  it("builds a kubeconfig that authenticates with gke-gcloud-auth-plugin, kept secret", async () => {
    const { value, secret } = await resolve(built.kubeconfig);
    assert.equal(secret, true);
    const kubeconfig = JSON.parse(value) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { exec: { command: string; apiVersion: string } } }[];
    };
    assert.equal(kubeconfig.clusters[0]?.cluster.server, "https://172.16.0.2");
    assert.equal(
      kubeconfig.clusters[0]?.cluster["certificate-authority-data"],
      Buffer.from("mock-ca-std-gke").toString("base64"),
    );
    assert.equal(kubeconfig.users[0]?.user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(kubeconfig.users[0]?.user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    const provider = recorded.one("pulumi:providers:kubernetes", "std-k8s");
    assert.deepEqual(plainTextLeaks(recorded, value), []);
    assert.equal(recorded.inputs(provider).kubeconfig, value);
  });
});

describe("Cluster on gcp as the prod warm standby", () => {
  it("keeps 3 nodes at least and may still scale out to 20 on failover", async () => {
    const { recorded } = await build("prod", { standby: true });
    const pool = recorded.inputs(recorded.one(poolType));
    assert.deepEqual(pool.autoscaling, {
      totalMinNodeCount: 3,
      totalMaxNodeCount: 20,
      locationPolicy: "BALANCED",
    });
    assert.equal(pool.initialNodeCount, 1);
  });
});

describe("Cluster on gcp in staging and dev", () => {
  it("runs 3 to 6 nodes in staging (seed 001: 3)", async () => {
    const { recorded } = await build("staging");
    const pool = recorded.inputs(recorded.one(poolType));
    assert.deepEqual(pool.autoscaling, {
      totalMinNodeCount: 3,
      totalMaxNodeCount: 6,
      locationPolicy: "BALANCED",
    });
    assert.equal((pool.nodeConfig as Record<string, unknown>).machineType, "e2-standard-4");
  });

  it("encrypts Secrets with its own key in staging too", async () => {
    const { recorded } = await build("staging");
    const cluster = recorded.inputs(recorded.one(clusterType));
    assert.deepEqual(cluster.databaseEncryption, {
      state: "ENCRYPTED",
      keyName: recorded.one("gcp:kms/cryptoKey:CryptoKey").id,
    });
  });

  it("may be deleted in dev, and runs 1 to 3 small nodes", async () => {
    const { recorded } = await build("dev");
    const cluster = recorded.one(clusterType);
    assert.equal(recorded.inputs(cluster).deletionProtection, false);
    assert.equal(cluster.protect, false);
    const pool = recorded.inputs(recorded.one(poolType));
    assert.deepEqual(pool.autoscaling, {
      totalMinNodeCount: 1,
      totalMaxNodeCount: 3,
      locationPolicy: "BALANCED",
    });
  });
});

describe("Cluster on gcp: the deployer's path to the control plane", () => {
  async function access(
    apiAccess: ApiAccess,
    tier: Tier = "staging",
    deployerEgressIps: readonly string[] = [],
  ) {
    const { recorded } = await build(tier, {
      apiAccess,
      masterAuthorizedNetworks: [],
      deployerEgressIps,
    });
    const cluster = recorded.inputs(recorded.one(clusterType));
    return {
      privateCluster: cluster.privateClusterConfig as Record<string, unknown>,
      authorized: cluster.masterAuthorizedNetworksConfig,
    };
  }

  it("private: only the private endpoint, admitting the nodes' subnet where the runner lives", async () => {
    const { privateCluster, authorized } = await access({ mode: "private", cidrs: [] });
    assert.deepEqual(privateCluster, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: "172.16.0.0/28",
      masterGlobalAccessConfig: { enabled: false },
    });
    assert.deepEqual(authorized, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [{ cidrBlock: "10.20.0.0/20", displayName: "nodes" }],
    });
  });

  it("private with ranges: admits the runner's ranges too, from any region of the VPC", async () => {
    const { privateCluster, authorized } = await access({
      mode: "private",
      cidrs: ["10.40.0.0/24"],
    });
    assert.equal(privateCluster.enablePrivateEndpoint, true);
    assert.deepEqual(privateCluster.masterGlobalAccessConfig, { enabled: true });
    assert.deepEqual(authorized, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [
        { cidrBlock: "10.20.0.0/20", displayName: "nodes" },
        { cidrBlock: "10.40.0.0/24", displayName: "deployer-1" },
      ],
    });
  });

  it("public: a public endpoint admitting the named ranges only, never Google's public ranges", async () => {
    const { privateCluster, authorized } = await access(
      { mode: "public", cidrs: ["203.0.113.0/24", "198.51.100.7/32"] },
      "prod",
    );
    assert.deepEqual(privateCluster, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
      masterIpv4CidrBlock: "172.16.0.0/28",
      masterGlobalAccessConfig: { enabled: false },
    });
    assert.deepEqual(authorized, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [
        { cidrBlock: "203.0.113.0/24", displayName: "deployer-1" },
        { cidrBlock: "198.51.100.7/32", displayName: "deployer-2" },
      ],
    });
  });

  it("a standby deployed from another cloud: a public endpoint admitting only the nodes and that cloud's NAT addresses", async () => {
    // The primary's runner reaches its own private EKS endpoint; it can reach this control plane
    // only over the internet, leaving its VPC through the NAT gateways.
    const { privateCluster, authorized } = await access(
      { mode: "private", cidrs: ["10.10.0.0/16"] },
      "prod",
      ["198.51.100.10", "198.51.100.11"],
    );
    assert.deepEqual(privateCluster, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
      masterIpv4CidrBlock: "172.16.0.0/28",
      masterGlobalAccessConfig: { enabled: false },
    });
    assert.deepEqual(authorized, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [
        { cidrBlock: "10.20.0.0/20", displayName: "nodes" },
        { cidrBlock: "198.51.100.10/32", displayName: "deployer-egress-1" },
        { cidrBlock: "198.51.100.11/32", displayName: "deployer-egress-2" },
      ],
    });
  });

  it("refuses a public endpoint that names no range, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        createGkeCluster(
          "bad",
          args("staging", { apiAccess: { mode: "public", cidrs: [] } }),
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "Cluster",
        resourceName: "bad",
        problems: [
          'apiAccess.cidrs is empty while mode is "public"; list the ranges the deployer connects from',
        ],
      },
    );
    assert.equal(recorded.ofType(clusterType).length, 0);
  });
});

describe("GKE node pool sizing", () => {
  const cases: [string, { min: number; max: number }, boolean, { min: number; max: number }][] = [
    ["prod", { min: 6, max: 20 }, false, { min: 6, max: 20 }],
    ["prod standby", { min: 6, max: 20 }, true, { min: 3, max: 20 }],
    ["a standby already smaller than 3", { min: 2, max: 4 }, true, { min: 2, max: 4 }],
  ];
  for (const [label, pool, standby, expected] of cases) {
    it(`bounds ${label} at ${expected.min}-${expected.max}`, () => {
      assert.deepEqual(
        nodePoolBounds(
          { machineType: "x", diskSizeGb: 1, minNodes: pool.min, maxNodes: pool.max },
          standby,
        ),
        expected,
      );
    });
  }

  it("refuses a pool whose maximum is below its minimum, before creating anything", () => {
    const recorded = useMocks();
    assert.throws(
      () =>
        createGkeCluster(
          "bad",
          args("prod", { nodePool: { ...gkeNodePoolDefaults.prod, minNodes: 6, maxNodes: 4 } }),
          testParent(),
        ),
      {
        name: "ComponentError",
        component: "Cluster",
        resourceName: "bad",
        problems: ["nodePool.maxNodes is 4; expected a whole number >= minNodes"],
      },
    );
    assert.equal(recorded.ofType(clusterType).length, 0);
  });

  it("refuses a control-plane range that is not a /28", () => {
    useMocks();
    assert.throws(
      () => createGkeCluster("bad", args("prod", { masterCidr: "172.16.0.0/24" }), testParent()),
      {
        name: "ComponentError",
        component: "Cluster",
        resourceName: "bad",
        problems: ['masterCidr is "172.16.0.0/24"; expected a /28 such as 172.16.0.0/28'],
      },
    );
  });
});
