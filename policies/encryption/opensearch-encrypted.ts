import type { PolicyConfigSchema } from "@pulumi/policy";
import { block, isTrue, read, resourcePolicy, shown } from "../lib";

export interface OpenSearchTlsConfig {
  /** TLS security policies a domain endpoint may use. */
  allowedTlsPolicies?: string[];
}

export const defaultTlsPolicies = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedTlsPolicies: {
      type: "array",
      items: { type: "string" },
      default: defaultTlsPolicies,
      description: "TLS security policies (minimum TLS 1.2) a domain endpoint may use.",
    },
  },
};

/** Search indexes copy the data they index: they need the same protection as the database. */
export const opensearchEncrypted = resourcePolicy(
  {
    name: "aws-opensearch-encrypted",
    description:
      "OpenSearch domains must encrypt at rest and between nodes and accept only HTTPS with TLS 1.2 or later; set encryptAtRest.enabled, nodeToNodeEncryption.enabled, domainEndpointOptions.enforceHttps to true and tlsSecurityPolicy to Policy-Min-TLS-1-2-2019-07.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
  },
  ["aws:opensearch/domain:Domain"],
  (props, args) => {
    const allowed = args.getConfig<OpenSearchTlsConfig>().allowedTlsPolicies ?? defaultTlsPolicies;
    const endpoint = block(props, "domainEndpointOptions");
    const tls = read(endpoint, "tlsSecurityPolicy");
    return [
      ...(isTrue(read(block(props, "encryptAtRest"), "enabled"))
        ? []
        : [`${args.name}: data at rest is not encrypted; set encryptAtRest.enabled: true.`]),
      ...(isTrue(read(block(props, "nodeToNodeEncryption"), "enabled"))
        ? []
        : [
            `${args.name}: traffic between nodes is not encrypted; set nodeToNodeEncryption.enabled: true.`,
          ]),
      ...(isTrue(read(endpoint, "enforceHttps"))
        ? []
        : [
            `${args.name}: the endpoint accepts plain HTTP; set domainEndpointOptions.enforceHttps: true.`,
          ]),
      ...(allowed.includes(tls as string)
        ? []
        : [
            `${args.name}: TLS policy ${shown(tls)} is not allowed; set domainEndpointOptions.tlsSecurityPolicy to one of ${allowed.join(", ")}.`,
          ]),
    ];
  },
);
