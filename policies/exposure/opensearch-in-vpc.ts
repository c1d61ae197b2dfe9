import { block, list, resourcePolicy } from "../lib";

/** A domain outside a VPC has an internet endpoint guarded only by its access policy. */
export const opensearchInVpc = resourcePolicy(
  {
    name: "aws-opensearch-in-vpc",
    description:
      "OpenSearch domains must live in the VPC, not on a public endpoint; set vpcOptions with private subnetIds and securityGroupIds.",
    enforcementLevel: "mandatory",
    severity: "critical",
  },
  ["aws:opensearch/domain:Domain"],
  (props, args) =>
    list(block(props, "vpcOptions"), "subnetIds").length > 0
      ? []
      : [
          `${args.name}: the domain has a public endpoint; set vpcOptions.subnetIds to private subnets.`,
        ],
);
