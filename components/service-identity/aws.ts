import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../cluster/aws";
import type { Access, ServiceUses } from "../workloads";
import type {
  AwsIdentitySettings,
  AwsUsableResources,
  ServiceIdentityArgs,
  ServiceIdentityOutputs,
} from "./index";
import { ComponentError } from "../errors";

/** An IAM policy statement as IAM receives it. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The ARNs a service's policy names, resolved. */
export interface ResolvedArns {
  readonly region: string;
  /** Bucket names by role. */
  readonly buckets: Readonly<Record<string, string>>;
  readonly bucketKeyArn?: string;
  readonly queueArn?: string;
  readonly topicArn?: string;
  readonly queueKeyArn?: string;
  readonly searchDomainArn?: string;
}

const reads = (a: Access) => a === "read" || a === "readwrite";
const writes = (a: Access) => a === "write" || a === "readwrite";
/** `Uploads` from `uploads`, `UserPhotos` from `user-photos`: statement ids are alphanumeric. */
const sidOf = (role: string) =>
  role
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");

/**
 * S3: list and get on the bucket's objects to read; put, delete and the multipart calls to
 * write. KMS: Decrypt to read, GenerateDataKey (and Decrypt, which multipart uploads need) to
 * write, on the buckets' key only, only through S3 in the region and only for these buckets
 * (with bucket keys the encryption context is the bucket's ARN).
 */
/**
 * What `servicePolicy` throws for a use it has no ARN for; `serviceIdentityArgProblems`
 * refuses such args before the component registers.
 */
function unresolved(use: string): ComponentError {
  return new ComponentError("servicePolicy", "uses", [`${use}, which no resource was passed for`]);
}

function bucketStatements(uses: ServiceUses, arns: ResolvedArns): Statement[] {
  const statements: Statement[] = [];
  const entries = Object.entries(uses.buckets).sort(([a], [b]) => a.localeCompare(b));
  for (const [role, access] of entries) {
    const name = arns.buckets[role];
    if (name === undefined) throw unresolved(`uses bucket "${role}"`);
    const bucket = `arn:aws:s3:::${name}`;
    if (reads(access)) {
      statements.push(
        {
          Sid: `List${sidOf(role)}`,
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [bucket],
        },
        {
          Sid: `Read${sidOf(role)}`,
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: [`${bucket}/*`],
        },
      );
    }
    if (writes(access)) {
      statements.push({
        Sid: `Write${sidOf(role)}`,
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:DeleteObject",
          "s3:ListMultipartUploadParts",
          "s3:PutObject",
        ],
        Resource: [`${bucket}/*`],
      });
    }
  }
  if (entries.length > 0) {
    if (arns.bucketKeyArn === undefined) throw unresolved("uses buckets: no key encrypts them");
    const anyWrite = entries.some(([, a]) => writes(a));
    statements.push({
      Sid: "UseBucketKeyThroughS3",
      Effect: "Allow",
      Action: anyWrite ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
      Resource: [arns.bucketKeyArn],
      Condition: {
        StringEquals: {
          "kms:ViaService": `s3.${arns.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": entries.map(
            ([role]) => `arn:aws:s3:::${arns.buckets[role]!}`,
          ),
        },
      },
    });
  }
  return statements;
}

/**
 * SQS: receive, delete and change visibility to consume; send to produce. SNS: publish. KMS
 * on the queue's key through SQS and SNS only: Decrypt to consume, GenerateDataKey and Decrypt
 * to send or publish (SSE-encrypted queues and topics require both of a producer).
 */
function messagingStatements(uses: ServiceUses, arns: ResolvedArns): Statement[] {
  const statements: Statement[] = [];
  const viaServices: string[] = [];
  let produces = false;
  if (uses.queue !== undefined) {
    if (arns.queueArn === undefined) throw unresolved("uses the queue");
    if (reads(uses.queue)) {
      statements.push({
        Sid: "ConsumeQueue",
        Effect: "Allow",
        Action: [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ReceiveMessage",
        ],
        Resource: [arns.queueArn],
      });
    }
    if (writes(uses.queue)) {
      produces = true;
      statements.push({
        Sid: "SendToQueue",
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        Resource: [arns.queueArn],
      });
    }
    viaServices.push(`sqs.${arns.region}.amazonaws.com`);
  }
  if (uses.topic !== undefined) {
    if (arns.topicArn === undefined) throw unresolved("uses the topic");
    produces = true;
    statements.push({
      Sid: "PublishToTopic",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: [arns.topicArn],
    });
    viaServices.push(`sns.${arns.region}.amazonaws.com`);
  }
  if (viaServices.length > 0) {
    if (arns.queueKeyArn === undefined)
      throw unresolved("uses the queue or topic: no key encrypts them");
    statements.push({
      Sid: "UseQueueKeyThroughSqsAndSns",
      Effect: "Allow",
      Action: produces ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
      Resource: [arns.queueKeyArn],
      Condition: { StringEquals: { "kms:ViaService": viaServices } },
    });
  }
  return statements;
}

/**
 * OpenSearch HTTP methods on this domain: GET, HEAD and POST (searches are POSTs) to read;
 * PUT, POST, PATCH and DELETE to write. The domain's fine-grained access control decides per
 * index what the role may do; the domain's own key is used by OpenSearch, not by the client.
 */
function searchStatements(uses: ServiceUses, arns: ResolvedArns): Statement[] {
  if (uses.search === undefined) return [];
  if (arns.searchDomainArn === undefined) throw unresolved("uses the search domain");
  const actions = new Set<string>();
  if (reads(uses.search))
    ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"].forEach((a) => actions.add(a));
  if (writes(uses.search)) {
    ["es:ESHttpDelete", "es:ESHttpPatch", "es:ESHttpPost", "es:ESHttpPut"].forEach((a) =>
      actions.add(a),
    );
  }
  return [
    {
      Sid: "UseSearchDomain",
      Effect: "Allow",
      Action: [...actions].sort(),
      Resource: [arns.searchDomainArn, `${arns.searchDomainArn}/*`],
    },
  ];
}

/** The service's least-privilege policy: only what it uses, on exactly those ARNs and keys. */
export function servicePolicy(uses: ServiceUses, arns: ResolvedArns): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      ...bucketStatements(uses, arns),
      ...messagingStatements(uses, arns),
      ...searchStatements(uses, arns),
    ],
  };
}

/** `system:serviceaccount:<namespace>:<name>`, the only subject the role trusts. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * The service's IAM role: assumable with a web identity token of the cluster's OIDC provider
 * for exactly its ServiceAccount (`:sub`) and the STS audience (`:aud`), with one inline policy.
 */
export function createAwsServiceIdentity(
  name: string,
  args: ServiceIdentityArgs & { cloud: AwsIdentitySettings },
  parent: pulumi.Resource,
): ServiceIdentityOutputs {
  const { cloud } = args;
  const subject = serviceAccountSubject(args.namespace, args.serviceAccount);
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `${args.serviceAccount} in ${args.namespace} of ${args.clusterName} (IAM role for its service account)`,
      assumeRolePolicy: pulumi
        .all([cloud.oidcProviderArn, cloud.oidcIssuer])
        .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, subject))),
      tags: args.tags,
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.id,
      policy: usedArns(args.uses, cloud.resources).apply((arns) =>
        JSON.stringify(servicePolicy(args.uses, arns)),
      ),
    },
    { parent },
  );
  return { annotations: { "eks.amazonaws.com/role-arn": role.arn }, ready: [role, policy] };
}

/**
 * The ARNs of what the service uses, and only those: the policy then waits for nothing else
 * (a service using a bucket does not wait for the search domain).
 */
function usedArns(uses: ServiceUses, r: AwsUsableResources): pulumi.Output<ResolvedArns> {
  const roles = Object.keys(uses.buckets);
  const messaging = uses.queue !== undefined || uses.topic !== undefined;
  return pulumi
    .all([
      pulumi.all(Object.fromEntries(roles.map((role) => [role, r.buckets[role] ?? ""]))),
      roles.length > 0 ? r.bucketKeyArn : undefined,
      uses.queue !== undefined ? r.queueArn : undefined,
      uses.topic !== undefined ? r.topicArn : undefined,
      messaging ? r.queueKeyArn : undefined,
      uses.search !== undefined ? r.searchDomainArn : undefined,
    ])
    .apply(([buckets, bucketKeyArn, queueArn, topicArn, queueKeyArn, searchDomainArn]) => ({
      region: r.region,
      buckets: Object.fromEntries(Object.entries(buckets).filter(([, n]) => n !== "")),
      ...(bucketKeyArn !== undefined && { bucketKeyArn }),
      ...(queueArn !== undefined && { queueArn }),
      ...(topicArn !== undefined && { topicArn }),
      ...(queueKeyArn !== undefined && { queueKeyArn }),
      ...(searchDomainArn !== undefined && { searchDomainArn }),
    }));
}
