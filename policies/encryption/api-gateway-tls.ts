import { block, read, resourcePolicy } from "../lib";

/** Where each custom domain kind keeps its TLS security policy. */
const securityPolicyOf: Record<string, (props: Record<string, unknown>) => unknown> = {
  "aws:apigateway/domainName:DomainName": (props) => read(props, "securityPolicy"),
  "aws:apigatewayv2/domainName:DomainName": (props) =>
    read(block(props, "domainNameConfiguration"), "securityPolicy"),
};

/** An API's custom domain terminates clients' TLS; TLS 1.0 there is broken in transit. */
export const apiGatewayTls = resourcePolicy(
  {
    name: "aws-api-gateway-tls",
    description:
      'API Gateway custom domains (aws:apigateway/domainName:DomainName, aws:apigatewayv2/domainName:DomainName) must not accept TLS 1.0; set securityPolicy (domainNameConfiguration.securityPolicy for v2) to "TLS_1_2" or a TLS 1.3 policy.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  Object.keys(securityPolicyOf),
  (props, args) => {
    // The policy only runs on the types the table lists.
    const policy = securityPolicyOf[args.type](props);
    return policy === "TLS_1_0"
      ? [`${args.name}: the domain accepts TLS 1.0; set its securityPolicy to "TLS_1_2".`]
      : [];
  },
);
