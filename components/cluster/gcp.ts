import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { GcpNetworkOutputs } from "../network/gcp";
import type { ApiAccess } from "./access";
import { ComponentError } from "../errors";

/** Size of the GKE node pool. Counts are totals across the region's zones. */
export interface GkeNodePoolSettings {
  /** Compute Engine machine type of every node. */
  readonly machineType: string;
  /** Fewest nodes the autoscaler keeps, all zones together. */
  readonly minNodes: number;
  /** Most nodes the autoscaler may add, all zones together. */
  readonly maxNodes: number;
  /** Boot disk per node, GiB. */
  readonly diskSizeGb: number;
}

/**
 * Node pools per tier, after seed 001's environment strategy: staging 3 nodes, prod 6 or more.
 * @default dev 1-3 e2-standard-2; staging 3-6 e2-standard-4; prod 6-20 n2-standard-4
 */
export const gkeNodePoolDefaults: PerTier<GkeNodePoolSettings> = {
  dev: { machineType: "e2-standard-2", minNodes: 1, maxNodes: 3, diskSizeGb: 50 },
  staging: { machineType: "e2-standard-4", minNodes: 3, maxNodes: 6, diskSizeGb: 100 },
  prod: { machineType: "n2-standard-4", minNodes: 6, maxNodes: 20, diskSizeGb: 100 },
};

/** Fewest nodes a warm standby keeps: it runs the workloads at reduced replicas until failover. */
export const standbyMinNodes = 3;

/** Roles of the node service account: write logs and metrics, read images. Nothing else. */
export const nodeServiceAccountRoles = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/autoscaling.metricsWriter",
  "roles/artifactregistry.reader",
] as const;

/** Rotation period of the key that encrypts Kubernetes Secrets in etcd: 90 days. */
export const secretsKeyRotationPeriod = "7776000s";

export interface AuthorizedNetwork {
  /** CIDR allowed to reach the control plane. */
  readonly cidrBlock: pulumi.Input<string>;
  /** What the range is, shown in the console. */
  readonly displayName: string;
}

export interface GkeClusterArgs {
  readonly tier: Tier;
  /**
   * Kubernetes minor version the control plane runs at least; the REGULAR channel upgrades
   * patches (and, at the end of support, minors) from there. The same minor as the primary's.
   */
  readonly version: string;
  /** GCP project id. */
  readonly project: string;
  /** Region of the (regional) cluster and its key. */
  readonly region: string;
  readonly network: GcpNetworkOutputs;
  /**
   * The deployer's path to the control plane (`platform:cluster.apiAccess`): `private`, the
   * private endpoint only, admitting the nodes' subnet (where a self-hosted runner lives) and
   * `cidrs`; `public`, a public endpoint admitting `cidrs` only.
   */
  readonly apiAccess: ApiAccess;
  /**
   * Named ranges admitted besides those `apiAccess` admits (a VPN or bastion range).
   * @default none
   */
  readonly masterAuthorizedNetworks: readonly AuthorizedNetwork[];
  /**
   * Public addresses a deployer in another network connects from: a standby's deployer is the
   * primary's runner, which leaves its VPC through the NAT gateways. With `private` apiAccess
   * and addresses given, the control plane gets a public endpoint admitting only these /32s
   * (and the nodes and named ranges): no path reaches a private endpoint from outside its VPC.
   * @default none
   */
  readonly deployerEgressIps: readonly pulumi.Input<string>[];
  /** /28 the control plane's private endpoint lives in. @default "172.16.0.0/28" */
  readonly masterCidr: string;
  /** Node pool size. @default `gkeNodePoolDefaults[tier]` */
  readonly nodePool: GkeNodePoolSettings;
  /**
   * A warm standby: the node pool's minimum drops to `standbyMinNodes` (never above the tier's),
   * the maximum stays so a failover can scale out. @default false
   */
  readonly standby: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface GkeClusterOutputs {
  readonly clusterName: pulumi.Output<string>;
  /** Private (prod) or public control-plane endpoint, `https://...`. */
  readonly endpoint: pulumi.Output<string>;
  /** kubeconfig using gke-gcloud-auth-plugin. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadIdentityPool: string;
  readonly nodeServiceAccountEmail: pulumi.Output<string>;
}

/** How the control plane is reached, as the cluster's settings state it. */
export interface ControlPlaneAccess {
  /** No public endpoint at all. */
  readonly enablePrivateEndpoint: boolean;
  /** The private endpoint is reachable from every region of the VPC, not only the cluster's. */
  readonly globalAccess: boolean;
  /** The ranges admitted to the endpoint(s); Google's public ranges never are. */
  readonly authorizedNetworks: AuthorizedNetwork[];
}

/**
 * `apiAccess` on GKE. Private: the private endpoint only, admitting the nodes' subnet (a
 * runner beside the nodes) and `cidrs` (a runner elsewhere in the VPC, or reaching it through
 * a VPN or peering, possibly from another region: global access is then on). Public: the
 * public endpoint admits `cidrs` only; nodes keep reaching the private endpoint.
 */
export function controlPlaneAccess(
  access: ApiAccess,
  nodesCidr: string,
  named: readonly AuthorizedNetwork[],
  deployerEgressIps: readonly pulumi.Input<string>[] = [],
): ControlPlaneAccess {
  const deployers = access.cidrs.map((cidrBlock, i) => ({
    cidrBlock,
    displayName: `deployer-${i + 1}`,
  }));
  const extra = named.map((n) => ({ ...n }));
  if (access.mode === "private" && deployerEgressIps.length > 0) {
    // The private cidrs name the deployer's own network, which cannot reach this one.
    return {
      enablePrivateEndpoint: false,
      globalAccess: false,
      authorizedNetworks: [
        { cidrBlock: nodesCidr, displayName: "nodes" },
        ...deployerEgressIps.map((ip, i) => ({
          cidrBlock: pulumi.interpolate`${ip}/32`,
          displayName: `deployer-egress-${i + 1}`,
        })),
        ...extra,
      ],
    };
  }
  if (access.mode === "public") {
    return {
      enablePrivateEndpoint: false,
      globalAccess: false,
      authorizedNetworks: [...deployers, ...extra],
    };
  }
  return {
    enablePrivateEndpoint: true,
    globalAccess: deployers.length > 0,
    authorizedNetworks: [{ cidrBlock: nodesCidr, displayName: "nodes" }, ...deployers, ...extra],
  };
}

/** Autoscaling bounds of the node pool, the warm standby's minimum applied. */
export function nodePoolBounds(
  pool: GkeNodePoolSettings,
  standby: boolean,
): { min: number; max: number } {
  const min = standby ? Math.min(pool.minNodes, standbyMinNodes) : pool.minNodes;
  return { min, max: pool.maxNodes };
}

/** GKE's rules on the args, one line each; `clusterArgProblems` gathers them. */
export function gkeClusterProblems(args: GkeClusterArgs): string[] {
  const problems: string[] = [];
  const { minNodes, maxNodes } = args.nodePool;
  if (!Number.isInteger(minNodes) || minNodes < 1) {
    problems.push(`nodePool.minNodes is ${minNodes}; expected a whole number of at least 1`);
  }
  if (!Number.isInteger(maxNodes) || maxNodes < minNodes) {
    problems.push(`nodePool.maxNodes is ${maxNodes}; expected a whole number >= minNodes`);
  }
  if (args.apiAccess.mode === "public" && args.apiAccess.cidrs.length === 0) {
    problems.push(
      'apiAccess.cidrs is empty while mode is "public"; list the ranges the deployer connects from',
    );
  }
  if (!/^\d+\.\d+\.\d+\.\d+\/28$/.test(args.masterCidr)) {
    problems.push(`masterCidr is "${args.masterCidr}"; expected a /28 such as 172.16.0.0/28`);
  }
  return problems;
}

/** Builds the kubeconfig of a GKE cluster; credentials come from gke-gcloud-auth-plugin. */
export function gkeKubeconfig(clusterName: string, endpoint: string, caData: string): string {
  const context = clusterName;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: context, cluster: { server: endpoint, "certificate-authority-data": caData } },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint:
              "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}

/**
 * Webhooks the charts on a GKE cluster serve, with the port their pods listen on. A private
 * control plane reaches nodes only on 443 and 10250 through the rule GKE creates; any other
 * webhook port needs a rule of its own, or every request the webhook guards fails.
 */
export const gkeWebhooks = [
  // kubernetes/ingress-nginx, charts/ingress-nginx/values.yaml (helm-chart-4.12.3 to 4.14.5):
  // controller.admissionWebhooks.port, failurePolicy Fail.
  { chart: "ingress-nginx", webhook: "admission", port: 8443 },
  // cert-manager/cert-manager, deploy/charts/cert-manager/values.yaml (v1.16.2 to v1.19.6):
  // webhook.securePort.
  { chart: "cert-manager", webhook: "webhook", port: 10250 },
  // prometheus-community/helm-charts, charts/kube-prometheus-stack/values.yaml
  // (kube-prometheus-stack-65.1.1 to 88.5.3): prometheusOperator.tls.internalPort.
  { chart: "kube-prometheus-stack", webhook: "prometheus-operator admission", port: 10250 },
] as const;

/** The TCP ports the control plane must reach on the nodes for the webhooks, ascending. */
export function webhookPorts(): string[] {
  return [...new Set(gkeWebhooks.map((w) => w.port))].sort((a, b) => a - b).map(String);
}

/** Key ring, Secrets key and the GKE service agent's grant on it. */
function createSecretsKey(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
): { key: gcp.kms.CryptoKey; grant: gcp.kms.CryptoKeyIAMMember } {
  const opts = { parent };
  const project = gcp.organizations.getProjectOutput({ projectId: args.project }, opts);
  // Key rings can never be deleted: an auto-name (random suffix) lets the cluster be
  // destroyed and built again, or a second stack share the project, without a name clash.
  const keyRing = new gcp.kms.KeyRing(
    `${name}-keyring`,
    { location: args.region, project: args.project },
    opts,
  );
  const key = new gcp.kms.CryptoKey(
    `${name}-secrets-key`,
    {
      name: `${name}-secrets`,
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: secretsKeyRotationPeriod,
      labels: { ...args.labels },
    },
    { parent, protect: args.tier === "prod" },
  );
  // The GKE service agent exists once container.googleapis.com is enabled, which the
  // provider waits for.
  const grant = new gcp.kms.CryptoKeyIAMMember(
    `${name}-secrets-key-gke`,
    {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:service-${project.number}@container-engine-robot.iam.gserviceaccount.com`,
    },
    opts,
  );
  return { key, grant };
}

/** The nodes' service account and its project roles. */
function createNodeAccount(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
): { account: gcp.serviceaccount.Account; roles: gcp.projects.IAMMember[] } {
  const account = new gcp.serviceaccount.Account(
    `${name}-nodes`,
    {
      accountId: `${name}-nodes`.slice(0, 30),
      displayName: `GKE nodes of ${name}`,
      project: args.project,
    },
    { parent },
  );
  const roles = nodeServiceAccountRoles.map(
    (role) =>
      new gcp.projects.IAMMember(
        `${name}-nodes-${role
          .split(".")
          .pop()!
          .replace(/[^A-Za-z]/g, "-")}`,
        {
          project: args.project,
          role,
          member: pulumi.interpolate`serviceAccount:${account.email}`,
        },
        { parent },
      ),
  );
  return { account, roles };
}

function nodeConfigOf(account: gcp.serviceaccount.Account) {
  return {
    serviceAccount: account.email,
    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    metadata: { "disable-legacy-endpoints": "true" },
  };
}

/** The regional control plane, its default node pool removed. */
function createControlPlane(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
  deps: { key: gcp.kms.CryptoKey; account: gcp.serviceaccount.Account; ready: pulumi.Resource[] },
): gcp.container.Cluster {
  const prod = args.tier === "prod";
  const access = controlPlaneAccess(
    args.apiAccess,
    args.network.subnetCidr,
    args.masterAuthorizedNetworks,
    args.deployerEgressIps,
  );
  return new gcp.container.Cluster(
    `${name}-gke`,
    {
      name: `${name}-gke`,
      project: args.project,
      location: args.region,
      network: args.network.networkId,
      subnetwork: args.network.subnetId,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: args.network.podsRangeName,
        servicesSecondaryRangeName: args.network.servicesRangeName,
      },
      datapathProvider: "ADVANCED_DATAPATH",
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: nodeConfigOf(deps.account),
      releaseChannel: { channel: "REGULAR" },
      minMasterVersion: args.version,
      workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      databaseEncryption: { state: "ENCRYPTED", keyName: deps.key.id },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: access.enablePrivateEndpoint,
        masterIpv4CidrBlock: args.masterCidr,
        masterGlobalAccessConfig: { enabled: access.globalAccess },
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: access.authorizedNetworks,
      },
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: "03:00" } },
      resourceLabels: { ...args.labels },
      deletionProtection: prod,
    },
    { parent, protect: prod, dependsOn: deps.ready },
  );
}

/** One autoscaling node pool across the region's zones. */
function createNodePool(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
  cluster: gcp.container.Cluster,
  account: gcp.serviceaccount.Account,
): gcp.container.NodePool {
  const bounds = nodePoolBounds(args.nodePool, args.standby);
  return new gcp.container.NodePool(
    `${name}-nodes`,
    {
      cluster: cluster.id,
      location: args.region,
      initialNodeCount: Math.ceil(bounds.min / 3),
      autoscaling: {
        totalMinNodeCount: bounds.min,
        totalMaxNodeCount: bounds.max,
        locationPolicy: "BALANCED",
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        ...nodeConfigOf(account),
        machineType: args.nodePool.machineType,
        diskSizeGb: args.nodePool.diskSizeGb,
        diskType: "pd-balanced",
        imageType: "COS_CONTAINERD",
        labels: { ...args.labels },
      },
    },
    { parent, ignoreChanges: ["initialNodeCount"] },
  );
}

/**
 * Lets the control plane reach the webhooks on the nodes (pods use the nodes' alias ranges,
 * so a rule on the nodes' service account covers them), from its own /28 and nothing else.
 */
function createWebhookFirewall(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
  account: gcp.serviceaccount.Account,
): gcp.compute.Firewall {
  return new gcp.compute.Firewall(
    `${name}-webhooks`,
    {
      project: args.project,
      network: args.network.networkId,
      description: `The control plane of ${name} calls the admission webhooks on its nodes`,
      direction: "INGRESS",
      sourceRanges: [args.masterCidr],
      targetServiceAccounts: [account.email],
      allows: [{ protocol: "tcp", ports: webhookPorts() }],
    },
    { parent },
  );
}

/**
 * A private, regional GKE cluster: private nodes behind Cloud NAT, control plane reachable
 * only as `apiAccess` says (a private endpoint, or a public one limited to named ranges),
 * Workload Identity,
 * shielded nodes, Secrets encrypted with a rotating Cloud KMS key, Dataplane V2 enforcing
 * NetworkPolicy, and one autoscaling node pool run by a least-privilege service account. Its
 * Kubernetes provider is ready only once pods can run: nodes up, webhooks reachable, egress
 * through Cloud NAT for image pulls.
 */
export function createGkeCluster(
  name: string,
  args: GkeClusterArgs,
  parent: pulumi.Resource,
): GkeClusterOutputs {
  const problems = gkeClusterProblems(args);
  if (problems.length > 0) throw new ComponentError("Cluster", name, problems);
  const secrets = createSecretsKey(name, args, parent);
  const nodes = createNodeAccount(name, args, parent);
  const cluster = createControlPlane(name, args, parent, {
    key: secrets.key,
    account: nodes.account,
    ready: [secrets.grant, ...nodes.roles],
  });
  const pool = createNodePool(name, args, parent, cluster, nodes.account);
  const webhooks = createWebhookFirewall(name, args, parent, nodes.account);

  const endpoint = pulumi.interpolate`https://${cluster.endpoint}`;
  const kubeconfig = pulumi.secret(
    pulumi
      .all([cluster.name, endpoint, cluster.masterAuth.clusterCaCertificate])
      .apply(([clusterName, server, ca]) => gkeKubeconfig(clusterName, server, ca ?? "")),
  );
  const provider = new k8s.Provider(
    `${name}-k8s`,
    { kubeconfig },
    { parent, dependsOn: [pool, webhooks, args.network.egress] },
  );

  return {
    clusterName: cluster.name,
    endpoint,
    kubeconfig,
    provider,
    workloadIdentityPool: `${args.project}.svc.id.goog`,
    nodeServiceAccountEmail: nodes.account.email,
  };
}
