import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Tier } from "../../config/tiers";
import type { Placement } from "../placement";
import { refuseArgs } from "../errors";
import { unsupportedTarget, unsupportedTargetProblem } from "../unsupported";
import { createAwsSearch, openSearchProblems } from "./aws";

/** The targets Search is built on. */
const searchTargets = ["aws"] as const;

/** The Search contract: a private, encrypted OpenSearch cluster with its own users. */
export interface SearchSettings {
  /** Engine and version on the target. @default "OpenSearch_2.17" */
  readonly engineVersion: string;
  /**
   * Data node size (an OpenSearch instance type on AWS).
   * @default "r6g.large.search" in prod, "t3.medium.search" in staging and dev
   */
  readonly instanceType: string;
  /** Data nodes; with highAvailability a multiple of the zones used. @default 3 in prod, 1 otherwise */
  readonly instanceCount: number;
  /** EBS storage per data node, GiB. @default 100 in prod, 20 otherwise */
  readonly volumeSizeGb: number;
  /** Spread the data nodes over every private subnet's zone. @default true in prod, false otherwise */
  readonly highAvailability: boolean;
  /** `protect` the domain and its key. @default true in prod, false otherwise */
  readonly deletionProtection: boolean;
  /**
   * Create the account's OpenSearch service-linked role (AWSServiceRoleForAmazonOpenSearchService),
   * without which AWS refuses a domain in a VPC. The role is one per account: set false when the
   * account already has it (another stack or a console-made domain created it).
   * @default true
   */
  readonly createServiceLinkedRole: boolean;
}

const common = { engineVersion: "OpenSearch_2.17", createServiceLinkedRole: true } as const;

export const searchDefaults: PerTier<SearchSettings> = {
  dev: {
    ...common,
    instanceType: "t3.medium.search",
    instanceCount: 1,
    volumeSizeGb: 20,
    highAvailability: false,
    deletionProtection: false,
  },
  staging: {
    ...common,
    instanceType: "t3.medium.search",
    instanceCount: 1,
    volumeSizeGb: 20,
    highAvailability: false,
    deletionProtection: false,
  },
  prod: {
    ...common,
    instanceType: "r6g.large.search",
    instanceCount: 3,
    volumeSizeGb: 100,
    highAvailability: true,
    deletionProtection: true,
  },
};

/**
 * Whether a stack builds a search cluster unless its config says otherwise: opt-in on every
 * tier, since only some systems use one (seeds 000 and 001 do) and a prod domain is three
 * r6g.large.search nodes. @default false
 */
export const searchEnabledDefaults: PerTier<boolean> = { dev: false, staging: false, prod: false };

/** Where manual snapshots go: a prefix of an SSE-KMS bucket (seed 000: search to S3). */
export interface SnapshotBucket {
  /** Bucket name. */
  readonly name: pulumi.Input<string>;
  /** ARN of the KMS key the bucket encrypts objects with. */
  readonly keyArn: pulumi.Input<string>;
  /** Key prefix the repository keeps its files under, without slashes, e.g. "search". */
  readonly prefix: string;
}

export interface SearchArgs extends SearchSettings {
  readonly tier: Tier;
  readonly placement: Placement;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * A bucket for an S3 snapshot repository: the component builds the role OpenSearch writes
   * it with and the policy of whoever registers it. @default none (only the domain's own
   * hourly automated snapshots, kept 14 days by AWS)
   */
  readonly snapshotBucket?: SnapshotBucket;
}

export interface SearchOutputs {
  /** HTTPS endpoint, `https://host`. */
  readonly endpoint: pulumi.Output<string>;
  readonly masterUsername: pulumi.Output<string>;
  /** Secret. */
  readonly masterPassword: pulumi.Output<string>;
  /**
   * `https://user:password@host` with the master user's name and password URL-encoded. Secret.
   * For administrators: applications get the endpoint and sign requests with their own role.
   */
  readonly connectionString: pulumi.Output<string>;
  /** ARN of the domain, which IAM policies allowing `es:ESHttp*` name. */
  readonly domainArn: pulumi.Output<string>;
  /** With a snapshot bucket: the role the repository's `role_arn` names. */
  readonly snapshotRoleArn?: pulumi.Output<string>;
  /** With a snapshot bucket: the policy to attach to whoever registers the repository. */
  readonly snapshotRegistrarPolicyArn?: pulumi.Output<string>;
}

/**
 * Problems with the args, one line each, the placement's target's own rules included; the
 * constructor refuses args that have any.
 */
export function searchArgProblems(args: SearchArgs): string[] {
  const placement = args.placement;
  if (placement.target !== "aws") return [unsupportedTargetProblem(placement, searchTargets)];
  return openSearchProblems({ ...args, placement });
}

/** OpenSearch inside the network, encrypted, HTTPS only, with fine-grained access control. */
export class Search extends pulumi.ComponentResource implements SearchOutputs {
  readonly endpoint: pulumi.Output<string>;
  readonly masterUsername: pulumi.Output<string>;
  readonly masterPassword: pulumi.Output<string>;
  readonly connectionString: pulumi.Output<string>;
  readonly domainArn: pulumi.Output<string>;
  readonly snapshotRoleArn?: pulumi.Output<string>;
  readonly snapshotRegistrarPolicyArn?: pulumi.Output<string>;

  constructor(name: string, args: SearchArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseArgs("Search", name, searchArgProblems(args));
    super("platform:index:Search", name, {}, opts);
    const built = build(name, args, this);
    this.endpoint = built.endpoint;
    this.masterUsername = built.masterUsername;
    this.masterPassword = built.masterPassword;
    this.connectionString = built.connectionString;
    this.domainArn = built.domainArn;
    this.snapshotRoleArn = built.snapshotRoleArn;
    this.snapshotRegistrarPolicyArn = built.snapshotRegistrarPolicyArn;
    this.registerOutputs({
      domainArn: this.domainArn,
      snapshotRoleArn: this.snapshotRoleArn,
      snapshotRegistrarPolicyArn: this.snapshotRegistrarPolicyArn,
      endpoint: this.endpoint,
      masterUsername: this.masterUsername,
      masterPassword: this.masterPassword,
      connectionString: this.connectionString,
    });
  }
}

function build(name: string, args: SearchArgs, parent: pulumi.Resource): SearchOutputs {
  const placement = args.placement;
  switch (placement.target) {
    case "aws":
      return createAwsSearch(name, { ...args, placement }, parent);
    default:
      throw unsupportedTarget("Search", name, placement, searchTargets);
  }
}
