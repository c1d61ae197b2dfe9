/**
 * AWS Regions a stack may name in `platform:aws.region` and `platform:aws.replicaRegion`.
 *
 * Source: the `Region` enum of @pulumi/aws 7.48.0 (`types/enums/index.d.ts`, the provider this
 * program pins), cross-checked with the AWS documentation's "Regions and Availability Zones"
 * list (docs.aws.amazon.com, read 2026-11-30). The isolated partitions (us-iso*, eu-isoe*) are
 * left out: they are not reachable from the public endpoints this program's providers use.
 */
export const awsRegions = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "cn-north-1",
  "cn-northwest-1",
  "eusc-de-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
] as const;

export type AwsRegion = (typeof awsRegions)[number];
