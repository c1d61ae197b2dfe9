import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { attachPolicies, irsaTrustPolicy, managedPolicies } from "./aws-iam";
import type { EksClusterArgs } from "./index";
import { ComponentError } from "../errors";

/**
 * SHA-1 of the root CA behind every EKS OIDC issuer. IAM checks EKS issuers against its own
 * trusted CAs and ignores the thumbprint, but the API still records one.
 */
export const eksOidcRootCaThumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/** Service account the EBS CSI controller runs as. */
const ebsCsiServiceAccount = "system:serviceaccount:kube-system:ebs-csi-controller-sa";

/** The cluster's identity for IAM roles for service accounts. */
export interface ClusterIdentity {
  readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  /** Issuer URL without the scheme, as IRSA trust policies name it. */
  readonly oidcIssuer: pulumi.Output<string>;
}

/** Step 2, identity: the cluster's OIDC issuer registered with IAM. */
export function createIdentity(
  name: string,
  args: EksClusterArgs,
  cluster: aws.eks.Cluster,
  parent: pulumi.Resource,
): ClusterIdentity {
  const issuer = cluster.identities.apply((ids) => {
    const url = ids[0]?.oidcs?.[0]?.issuer;
    if (!url) {
      throw new ComponentError(
        "Cluster",
        name,
        [`EKS cluster ${args.clusterName} reported no OIDC issuer`],
        "cannot be built",
      );
    }
    return url;
  });
  const oidcProvider = new aws.iam.OpenIdConnectProvider(
    `${name}-oidc`,
    {
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      thumbprintLists: [eksOidcRootCaThumbprint],
      tags: { ...args.tags, Name: `${name}-oidc` },
    },
    { parent },
  );
  return { oidcProvider, oidcIssuer: issuer.apply((url) => url.replace(/^https:\/\//, "")) };
}

/** The EBS CSI controller's role: only its service account may assume it. */
export function createEbsCsiRole(
  name: string,
  args: EksClusterArgs,
  identity: ClusterIdentity,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(
    `${name}-ebs-csi-role`,
    {
      description: `EBS CSI controller of ${args.clusterName} (IAM role for its service account)`,
      assumeRolePolicy: pulumi
        .all([identity.oidcProvider.arn, identity.oidcIssuer])
        .apply(([arn, host]) => JSON.stringify(irsaTrustPolicy(arn, host, ebsCsiServiceAccount))),
      tags: args.tags,
    },
    { parent },
  );
  const attachments = attachPolicies(`${name}-ebs-csi-role`, role, managedPolicies.ebsCsi, parent);
  return { role, attachments };
}
