import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { GcpNetworkOutputs } from "../network/gcp";
import { refuseArgs } from "../errors";
import { gcpLabels } from "../gcp/labels";
import { apiAccessDefaults, apiAccessProblems, type ApiAccess } from "./access";
import { createAwsCluster } from "./aws";
import {
  defaultEksVersion,
  eksVersionWarning,
  gkeVersionWarning,
  isoDay,
  type KubernetesVersion,
} from "./versions";

export type { ApiAccess, ApiAccessMode } from "./access";
export { apiAccessDefaults, apiAccessModes } from "./access";
import {
  createGkeCluster,
  gkeClusterProblems,
  gkeNodePoolDefaults,
  type AuthorizedNetwork,
  type GkeClusterArgs,
} from "./gcp";

export { kubernetesVersions, type KubernetesVersion } from "./versions";

/** The day the program runs, as the version catalog reads it. */
const today = isoDay(new Date());

export interface ClusterSettings {
  /**
   * Kubernetes minor version of the control plane and the nodes; one with pinned add-ons
   * (`versions.ts`), not past EKS extended support. The plan warns within 90 days of the end
   * of standard support. @default the newest in EKS standard support on the day of the run
   */
  readonly version: KubernetesVersion;
  /**
   * EC2 instance types of the managed node group, first preferred. Seed 001 gives a service
   * 2 cores / 2 GB in staging and 4 cores / 4 GB in prod.
   * @default ["m6i.xlarge"] in prod, ["m6i.large"] in staging, ["t3.large"] in dev
   */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes the group scales down to. @default 6 in prod, 3 in staging, 1 in dev */
  readonly minNodes: number;
  /** Nodes at creation (seed 001: 3 in staging, 6+ in prod). @default 6 in prod, 3 in staging, 1 in dev */
  readonly desiredNodes: number;
  /** Most nodes the group scales up to. @default 12 in prod, 6 in staging, 2 in dev */
  readonly maxNodes: number;
  /** Root volume of each node, GiB (gp3, encrypted). @default 50 */
  readonly nodeDiskGb: number;
  /**
   * The deployer's path to the Kubernetes API (`platform:cluster.apiAccess`): a private
   * endpoint and a runner inside the network, or a public endpoint limited to named CIDRs.
   * @default `apiAccessDefaults[tier]`: private on every tier, admitting the VPC's CIDR block
   */
  readonly apiAccess: ApiAccess;
  /**
   * IAM roles made cluster administrators through EKS access entries
   * (`platform:cluster.adminRoleArns`): the CI deploy role, a break-glass role. Empty, EKS
   * makes the principal that creates the cluster its only administrator. Named, they are the
   * whole list: the creator gets no entry of its own (EKS would refuse a second entry for the
   * same role), so name the deploy role too. EKS sets this at creation only: choose before the
   * first deploy, since switching between empty and named replaces the cluster. EKS only.
   * @default [] (only the creator)
   */
  readonly adminRoleArns: readonly string[];
  /**
   * Days control-plane logs (audit included) are kept. Seed 003 keeps access logs one year.
   * @default 365 in prod, 30 in staging, 7 in dev
   */
  readonly logRetentionDays: number;
}

export const clusterDefaults: PerTier<ClusterSettings> = {
  dev: {
    version: defaultEksVersion(today),
    instanceTypes: ["t3.large"],
    minNodes: 1,
    desiredNodes: 1,
    maxNodes: 2,
    nodeDiskGb: 50,
    apiAccess: apiAccessDefaults.dev,
    adminRoleArns: [],
    logRetentionDays: 7,
  },
  staging: {
    version: defaultEksVersion(today),
    instanceTypes: ["m6i.large"],
    minNodes: 3,
    desiredNodes: 3,
    maxNodes: 6,
    nodeDiskGb: 50,
    apiAccess: apiAccessDefaults.staging,
    adminRoleArns: [],
    logRetentionDays: 30,
  },
  prod: {
    version: defaultEksVersion(today),
    instanceTypes: ["m6i.xlarge"],
    minNodes: 6,
    desiredNodes: 6,
    maxNodes: 12,
    nodeDiskGb: 50,
    apiAccess: apiAccessDefaults.prod,
    adminRoleArns: [],
    logRetentionDays: 365,
  },
};

/** Control-plane log types sent to CloudWatch Logs: all of them. */
export const controlPlaneLogTypes = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

/** One problem with cluster settings: the setting, its value and what is allowed. */
export interface ClusterSettingsProblem {
  readonly key: keyof ClusterSettings;
  readonly value: unknown;
  readonly message: string;
}

/** A real EC2 instance type: family, generation, attributes, size (m6i.large, c7gn.16xlarge). */
export const instanceTypePattern =
  /^[a-z]+\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

/**
 * The rules that span several settings. The stack config reports them with key paths; the
 * component refuses args that break them before creating anything.
 */
export function clusterSettingsProblems(
  settings: ClusterSettings,
  tier: Tier,
): ClusterSettingsProblem[] {
  const problems: ClusterSettingsProblem[] = [];
  if (settings.minNodes > settings.desiredNodes) {
    problems.push({
      key: "minNodes",
      value: settings.minNodes,
      message: `is more than desiredNodes (${settings.desiredNodes}); expected minNodes <= desiredNodes <= maxNodes`,
    });
  }
  if (settings.desiredNodes > settings.maxNodes) {
    problems.push({
      key: "desiredNodes",
      value: settings.desiredNodes,
      message: `is more than maxNodes (${settings.maxNodes}); expected minNodes <= desiredNodes <= maxNodes`,
    });
  }
  for (const type of settings.instanceTypes) {
    if (!instanceTypePattern.test(type)) {
      problems.push({
        key: "instanceTypes",
        value: type,
        message: 'is not an EC2 instance type; expected e.g. "m6i.large" or "c7g.2xlarge"',
      });
    }
  }
  for (const problem of apiAccessProblems(settings.apiAccess, tier)) {
    problems.push({ key: "apiAccess", ...problem });
  }
  return problems;
}

export interface ClusterArgs extends ClusterSettings {
  readonly tier: Tier;
  /** Physical cluster name, unique in the account and region (e.g. "platform-prod"). */
  readonly clusterName: string;
  /** Region: AWS for the kubeconfig's `aws eks get-token`, GCP for the regional GKE cluster. */
  readonly region: string;
  /** Tags put on every taggable child. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where the cluster is built and what it plugs into there. */
  readonly placement: ClusterPlacement;
}

/**
 * Where a cluster is built: the cloud (`target`, as a data service's `Placement` names it)
 * and what the cluster needs of that cloud's network.
 */
export type ClusterPlacement = EksPlacement | GkePlacement;

/** EKS in a VPC. */
export interface EksPlacement {
  readonly target: "aws";
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets of the control plane's network interfaces and the nodes. */
  readonly privateSubnetIds: pulumi.Input<string>[];
}

/** GKE in a GCP network, sized beyond the common settings. */
export interface GkePlacement extends GkeSettings {
  readonly target: "gcp";
}

/** The args the EKS target's steps read: the placement is known to be on AWS. */
export type EksClusterArgs = ClusterArgs & { readonly placement: EksPlacement };

/**
 * What GKE needs beyond the common settings. `minNodes`, `maxNodes` and `nodeDiskGb` size its
 * node pool as they size the EKS node group; `instanceTypes` (EC2 names) do not apply.
 */
export interface GkeSettings {
  /** GCP project id. */
  readonly project: string;
  /** The GCP network (`Network.gcp`) the nodes, pods and services live in. */
  readonly network: GcpNetworkOutputs;
  /** Compute Engine machine type of the nodes. @default `gkeNodePoolDefaults[tier].machineType` */
  readonly machineType?: string;
  /** /28 of the control plane's private endpoint. @default "172.16.0.0/28" */
  readonly masterCidr?: string;
  /** Ranges besides the nodes' subnet that may reach the control plane. @default none */
  readonly masterAuthorizedNetworks?: readonly AuthorizedNetwork[];
  /**
   * Public addresses the deployer connects from when it lives in another cloud's network (a
   * standby deployed from the primary's VPC: its NAT gateways' addresses). @default none
   */
  readonly deployerEgressIps?: readonly pulumi.Input<string>[];
  /** A warm standby: the node pool keeps at most `standbyMinNodes` until failover. @default false */
  readonly standby?: boolean;
}

/** What every cluster target returns. */
export interface ClusterOutputs {
  readonly clusterName: pulumi.Output<string>;
  /** HTTPS endpoint of the Kubernetes API. */
  readonly endpoint: pulumi.Output<string>;
  /** kubeconfig that authenticates with `aws eks get-token` or `gke-gcloud-auth-plugin`. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** IAM OIDC provider for IAM roles for service accounts. AWS only. */
  readonly oidcProviderArn?: pulumi.Output<string>;
  /** Issuer URL without the scheme, as IRSA trust policies name it. AWS only. */
  readonly oidcIssuer?: pulumi.Output<string>;
  /**
   * A security group every node carries and that only nodes carry: data services admit it.
   * It belongs to the VPC, not to the control plane, so admitting it does not wait on the
   * cluster. AWS only (on GCP the managed services admit the VPC through private service access).
   */
  readonly nodeSecurityGroupId?: pulumi.Output<string>;
  /** Workload Identity pool, `<project>.svc.id.goog`. GCP only. */
  readonly workloadIdentityPool?: string;
  /**
   * The default StorageClass the cluster creates: encrypted gp3 through the EBS CSI driver.
   * AWS only (GKE ships its own default, `standard-rwo`).
   */
  readonly storageClassName?: pulumi.Output<string>;
  /** Kubernetes provider for this cluster. */
  readonly provider: k8s.Provider;
}

/**
 * Problems with the args, one line each: the settings' rules (`clusterSettingsProblems`, which
 * the stack config reports by key) and the placement's target's own; the constructor refuses
 * args that have any.
 */
export function clusterArgProblems(args: ClusterArgs): string[] {
  const settings = [...clusterSettingsProblems(args, args.tier), ...awsAccessProblems(args)].map(
    (p) => `${p.key}: ${JSON.stringify(p.value)} ${p.message}`,
  );
  const placement = args.placement;
  const target = placement.target === "gcp" ? gkeClusterProblems(gkeArgs(args, placement)) : [];
  return [...settings, ...target];
}

/** A managed Kubernetes cluster with its nodes, add-ons and a provider to deploy onto it. */
export class Cluster extends pulumi.ComponentResource implements ClusterOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcProviderArn?: pulumi.Output<string>;
  readonly oidcIssuer?: pulumi.Output<string>;
  readonly nodeSecurityGroupId?: pulumi.Output<string>;
  readonly workloadIdentityPool?: string;
  readonly storageClassName?: pulumi.Output<string>;
  readonly provider: k8s.Provider;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Cluster", name, clusterArgProblems(args));
    super("platform:index:Cluster", name, {}, opts);
    const versionWarning =
      args.placement.target === "gcp"
        ? gkeVersionWarning(args.version, today)
        : eksVersionWarning(args.version, today);
    if (versionWarning !== undefined) void pulumi.log.warn(versionWarning, this);
    const built = build(name, args, this);
    this.clusterName = built.clusterName;
    this.endpoint = built.endpoint;
    this.kubeconfig = built.kubeconfig;
    this.oidcProviderArn = built.oidcProviderArn;
    this.oidcIssuer = built.oidcIssuer;
    this.nodeSecurityGroupId = built.nodeSecurityGroupId;
    this.workloadIdentityPool = built.workloadIdentityPool;
    this.storageClassName = built.storageClassName;
    this.provider = built.provider;
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      storageClassName: this.storageClassName,
    });
  }
}

/**
 * On EKS the component cannot read the VPC's range while planning, so private mode needs the
 * runner's ranges named (the stack config names the VPC's CIDR block when the stack does not).
 */
function awsAccessProblems(args: ClusterArgs): ClusterSettingsProblem[] {
  if (args.placement.target === "gcp" || args.apiAccess.mode !== "private") return [];
  if (args.apiAccess.cidrs.length > 0) return [];
  return [
    {
      key: "apiAccess",
      value: args.apiAccess,
      message:
        "names no range for the deploy runner on aws; list the CIDR blocks it lives in, e.g. the VPC's",
    },
  ];
}

function build(name: string, args: ClusterArgs, parent: pulumi.Resource): ClusterOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsCluster(name, { ...args, placement }, parent);
    case "gcp":
      return buildGke(name, args, placement, parent);
  }
}

function buildGke(
  name: string,
  args: ClusterArgs,
  gke: GkePlacement,
  parent: pulumi.Resource,
): ClusterOutputs {
  const built = createGkeCluster(name, gkeArgs(args, gke), parent);
  return {
    clusterName: built.clusterName,
    endpoint: built.endpoint,
    kubeconfig: built.kubeconfig,
    provider: built.provider,
    workloadIdentityPool: built.workloadIdentityPool,
  };
}

/** The GKE target's args: the common settings, the placement's, and GKE's defaults. */
function gkeArgs(args: ClusterArgs, gke: GkePlacement): GkeClusterArgs {
  return {
    tier: args.tier,
    project: gke.project,
    region: args.region,
    network: gke.network,
    version: args.version,
    apiAccess: args.apiAccess,
    masterAuthorizedNetworks: gke.masterAuthorizedNetworks ?? [],
    deployerEgressIps: gke.deployerEgressIps ?? [],
    masterCidr: gke.masterCidr ?? "172.16.0.0/28",
    nodePool: {
      machineType: gke.machineType ?? gkeNodePoolDefaults[args.tier].machineType,
      minNodes: args.minNodes,
      maxNodes: args.maxNodes,
      diskSizeGb: args.nodeDiskGb,
    },
    standby: gke.standby ?? false,
    labels: gcpLabels(args.tags),
  };
}
