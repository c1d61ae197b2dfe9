import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { clientGroupProblems, createClientsOnlySecurityGroup } from "../aws/clients";
import { createServiceKey } from "../aws/kms";
import { ComponentError } from "../errors";
import type { AwsPlacement } from "../placement";
import type { SearchArgs, SearchOutputs } from "./index";
import { createSnapshotAccess } from "./snapshots-aws";

export const httpsPort = 443;

/** OpenSearch's rules on the args, one line each; `searchArgProblems` gathers them. */
export function openSearchProblems(
  args: SearchArgs & { readonly placement: AwsPlacement },
): string[] {
  const problems = clientGroupProblems(args.placement.clientSecurityGroupIds);
  const zones = args.highAvailability ? args.placement.subnetIds.length : 1;
  if (args.highAvailability && (zones < 2 || zones > 3)) {
    problems.push(
      `highAvailability spreads nodes over 2 or 3 zones, but the placement has ${zones} subnets`,
    );
  } else if (args.instanceCount % zones !== 0) {
    problems.push(
      `instanceCount ${args.instanceCount} cannot be spread evenly over ${zones} zones; use a multiple of ${zones}`,
    );
  }
  return problems;
}
export const tlsSecurityPolicy = "Policy-Min-TLS-1-2-2019-07";
export const masterUsername = "admin";
/** The service whose service-linked role lets OpenSearch put its interfaces in the VPC. */
export const openSearchService = "opensearchservice.amazonaws.com";

/**
 * An OpenSearch domain in the private subnets: encrypted at rest with a customer KMS key,
 * node-to-node encryption, HTTPS only with TLS 1.2 or newer, fine-grained access control
 * with a generated master password kept in Secrets Manager, the workload clients alone
 * admitted on 443. With highAvailability, zone awareness over every private subnet.
 */
export function createAwsSearch(
  name: string,
  args: SearchArgs & { placement: AwsPlacement },
  parent: pulumi.Resource,
): SearchOutputs {
  const problems = openSearchProblems(args);
  if (problems.length > 0) throw new ComponentError("Search", name, problems);
  const zones = args.highAvailability ? args.placement.subnetIds.length : 1;
  const opts = { parent };
  const protect = args.deletionProtection;
  const identifier = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

  const key = createServiceKey(
    `${name}-key`,
    { description: `${identifier}: search indices and credentials`, protect, tags: args.tags },
    opts,
  );
  const securityGroup = createClientsOnlySecurityGroup(
    `${name}-sg`,
    {
      vpcId: args.placement.vpcId,
      description: "OpenSearch HTTPS from the workload clients only",
      port: httpsPort,
      clientSecurityGroupIds: args.placement.clientSecurityGroupIds,
      tags: args.tags,
    },
    opts,
  );
  const password = new random.RandomPassword(
    `${name}-master-password`,
    {
      length: 32,
      special: true,
      overrideSpecial: "!#%*-_=+",
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 2,
    },
    opts,
  );

  const serviceRole = createServiceLinkedRole(name, args.createServiceLinkedRole, parent);
  const domain = new aws.opensearch.Domain(
    `${name}-domain`,
    {
      engineVersion: args.engineVersion,
      clusterConfig: {
        instanceType: args.instanceType,
        instanceCount: args.instanceCount,
        zoneAwarenessEnabled: args.highAvailability,
        ...(args.highAvailability && {
          zoneAwarenessConfig: { availabilityZoneCount: zones },
        }),
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGb },
      vpcOptions: {
        subnetIds: args.placement.subnetIds.slice(0, zones),
        securityGroupIds: [securityGroup.id],
      },
      encryptAtRest: { enabled: true, kmsKeyId: key.arn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: true,
        masterUserOptions: { masterUserName: masterUsername, masterUserPassword: password.result },
      },
      tags: { ...args.tags, Name: identifier },
    },
    // AWS checks for the service-linked role when the domain is created in the VPC.
    { parent, protect, dependsOn: serviceRole ? [serviceRole] : [] },
  );

  // Fine-grained access control decides per user; the network boundary is the security group.
  new aws.opensearch.DomainPolicy(
    `${name}-access`,
    {
      domainName: domain.domainName,
      accessPolicies: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "es:ESHttp*",
            Resource: pulumi.interpolate`${domain.arn}/*`,
          },
        ],
      }),
    },
    opts,
  );

  const secret = new aws.secretsmanager.Secret(
    `${name}-credentials`,
    {
      description: `${identifier}: OpenSearch master user`,
      kmsKeyId: key.arn,
      recoveryWindowInDays: protect ? 30 : 7,
      tags: args.tags,
    },
    { parent, protect },
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-credentials-version`,
    {
      secretId: secret.id,
      secretString: pulumi.secret(
        pulumi.jsonStringify({
          endpoint: domain.endpoint,
          username: masterUsername,
          password: password.result,
        }),
      ),
    },
    opts,
  );

  const snapshots =
    args.snapshotBucket &&
    createSnapshotAccess(name, identifier, args.snapshotBucket, domain.arn, args.tags, parent);

  return {
    snapshotRoleArn: snapshots?.role.arn,
    snapshotRegistrarPolicyArn: snapshots?.registrarPolicy.arn,
    endpoint: pulumi.interpolate`https://${domain.endpoint}`,
    masterUsername: pulumi.output(masterUsername),
    masterPassword: pulumi.secret(password.result),
    connectionString: pulumi.secret(
      pulumi
        .all([password.result, domain.endpoint])
        .apply(([secret, host]) => basicAuthUrl(masterUsername, secret, host)),
    ),
    domainArn: domain.arn,
  };
}

/**
 * `https://user:password@host` with user and password percent-encoded: a generated password
 * holds `#`, `%` and other characters that would otherwise end or corrupt the URL's userinfo.
 */
export function basicAuthUrl(user: string, password: string, host: string): string {
  return `https://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}`;
}

/**
 * AWSServiceRoleForAmazonOpenSearchService: OpenSearch creates and manages the domain's network
 * interfaces in the VPC through it, and AWS refuses a VPC domain while the account lacks it.
 * It is one per account, so it outlives the stack (a second stack, or a later rebuild, keeps
 * using it; AWS would refuse to delete it while any domain uses it anyway).
 */
function createServiceLinkedRole(
  name: string,
  create: boolean,
  parent: pulumi.Resource,
): aws.iam.ServiceLinkedRole | undefined {
  if (!create) return undefined;
  return new aws.iam.ServiceLinkedRole(
    `${name}-service-role`,
    {
      awsServiceName: openSearchService,
      description: "Lets OpenSearch manage the network interfaces of VPC domains",
    },
    { parent, retainOnDelete: true },
  );
}
