import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** AWS-managed policies the roles carry. */
export const managedPolicies = {
  cluster: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
  node: [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ],
  ebsCsi: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/** An IAM role an AWS service assumes. */
export function serviceRole(
  name: string,
  service: string,
  description: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    name,
    {
      description,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      }),
      tags,
    },
    { parent },
  );
}

/** One attachment per managed policy, named after the policy. */
export function attachPolicies(
  name: string,
  role: aws.iam.Role,
  policyArns: readonly string[],
  parent: pulumi.Resource,
): aws.iam.RolePolicyAttachment[] {
  return policyArns.map(
    (policyArn) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policyArn.split("/").pop()!}`,
        { role: role.name, policyArn },
        { parent },
      ),
  );
}

/** Trust policy of an IAM role one Kubernetes service account may assume (IRSA). */
export function irsaTrustPolicy(
  providerArn: string,
  issuerHost: string,
  serviceAccount: string,
): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuerHost}:sub`]: serviceAccount,
            [`${issuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}
