import { block, environmentProperty, isProd, list, read, resourcePolicy } from "../lib";

/** A public API endpoint open to every address is brute-forceable from anywhere. */
export const eksEndpoint = resourcePolicy(
  {
    name: "aws-eks-endpoint-restricted",
    description:
      "In prod, an EKS cluster's public API endpoint must be off or limited to known CIDRs; set vpcConfig.endpointPublicAccess: false, or publicAccessCidrs to your office/CI ranges (never 0.0.0.0/0).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentProperty } },
  },
  ["aws:eks/cluster:Cluster"],
  (props, args) => {
    if (!isProd(args)) return [];
    const vpc = block(props, "vpcConfig");
    // AWS turns the public endpoint on, open to 0.0.0.0/0, when these are not set.
    if (read(vpc, "endpointPublicAccess") === false) return [];
    const cidrs = list(vpc, "publicAccessCidrs");
    return cidrs.length > 0 && !cidrs.includes("0.0.0.0/0")
      ? []
      : [
          `${args.name}: the API endpoint is public to 0.0.0.0/0; set vpcConfig.endpointPublicAccess: false or narrow publicAccessCidrs.`,
        ];
  },
);
