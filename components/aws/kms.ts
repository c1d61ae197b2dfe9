import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceKeyArgs {
  /** What the key protects, shown in the console. */
  readonly description: string;
  /**
   * Service principals that use the key directly (e.g. `logs.<region>.amazonaws.com`,
   * `sns.amazonaws.com`); services acting through a grant (RDS, S3) need no entry.
   */
  readonly servicePrincipals?: readonly pulumi.Input<string>[];
  /** Refuse deletion (`protect`): losing the key loses the data it encrypts. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key with yearly rotation. The account administers it; the listed
 * service principals may encrypt and decrypt with it.
 */
export function createServiceKey(
  name: string,
  args: ServiceKeyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
  const account = aws.getCallerIdentityOutput({}, opts);
  const services = args.servicePrincipals ?? [];
  const statements: pulumi.Input<Record<string, unknown>>[] = [
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (services.length > 0) {
    statements.push({
      Sid: "ServicesUse",
      Effect: "Allow",
      Principal: { Service: services },
      Action: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      Resource: "*",
    });
  }
  return new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
      tags: { ...args.tags, Name: name },
    },
    { ...opts, protect: args.protect },
  );
}
