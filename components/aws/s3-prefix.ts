/**
 * Statements of a role that keeps its objects under one prefix of an SSE-KMS bucket (Velero's
 * cluster backups, the timescaledb engine's base backups and WAL).
 */

/** Read, write and delete objects under `prefix/` only, multipart uploads included. */
export function prefixReadWriteStatement(bucketArn: string, prefix: string) {
  return {
    Sid: "ReadWriteOwnPrefix",
    Effect: "Allow",
    Action: [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ],
    Resource: [`${bucketArn}/${prefix}/*`],
  };
}

/**
 * Use the bucket's KMS key through S3 for that bucket only: bucket keys are on, so S3 passes
 * the bucket's ARN as the encryption context.
 */
export function bucketKeyThroughS3Statement(bucketArn: string, region: string, keyArn: string) {
  return {
    Sid: "UseBucketKeyThroughS3",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: [keyArn],
    Condition: {
      StringEquals: {
        "kms:ViaService": `s3.${region}.amazonaws.com`,
        "kms:EncryptionContext:aws:s3:arn": bucketArn,
      },
    },
  };
}
