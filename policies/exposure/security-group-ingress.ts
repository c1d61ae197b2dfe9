import type { PolicyConfigSchema } from "@pulumi/policy";
import { list, read, resourcePolicy, type Props } from "../lib";

export interface PublicIngressConfig {
  /** Ports that may be open to the whole internet (a load balancer's HTTP and HTTPS). */
  allowedPublicPorts?: number[];
}

export const defaultPublicPorts = [80, 443];
const anywhere = ["0.0.0.0/0", "::/0"];

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedPublicPorts: {
      type: "array",
      items: { type: "number" },
      default: defaultPublicPorts,
      description: "Ports that may be open to 0.0.0.0/0 or ::/0 (a load balancer's listeners).",
    },
  },
};

interface Ingress {
  cidrs: unknown[];
  fromPort: unknown;
  toPort: unknown;
  protocol: unknown;
}

/** The ingress rules of each of the three ways to write one. */
function ingressOf(type: string, props: Props): Ingress[] {
  if (type === "aws:ec2/securityGroup:SecurityGroup") {
    return list(props, "ingress").map((rule) => ({
      cidrs: [...list(rule, "cidrBlocks"), ...list(rule, "ipv6CidrBlocks")],
      fromPort: read(rule, "fromPort"),
      toPort: read(rule, "toPort"),
      protocol: read(rule, "protocol"),
    }));
  }
  if (type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
    return read(props, "type") === "ingress"
      ? [
          {
            cidrs: [...list(props, "cidrBlocks"), ...list(props, "ipv6CidrBlocks")],
            fromPort: read(props, "fromPort"),
            toPort: read(props, "toPort"),
            protocol: read(props, "protocol"),
          },
        ]
      : [];
  }
  return [
    {
      cidrs: [read(props, "cidrIpv4"), read(props, "cidrIpv6")],
      fromPort: read(props, "fromPort"),
      toPort: read(props, "toPort"),
      protocol: read(props, "ipProtocol"),
    },
  ];
}

/** Every port is open when the protocol is "all" ("-1"), whatever the port fields say. */
function openPorts(rule: Ingress): string {
  if (String(rule.protocol) === "-1" || String(rule.protocol) === "all") return "all ports";
  return rule.fromPort === rule.toPort
    ? `port ${String(rule.fromPort)}`
    : `ports ${String(rule.fromPort)}-${String(rule.toPort)}`;
}

function onlyAllowed(rule: Ingress, allowed: readonly number[]): boolean {
  if (String(rule.protocol) === "-1" || String(rule.protocol) === "all") return false;
  const from = Number(rule.fromPort);
  const to = Number(rule.toPort);
  return from === to && allowed.includes(from);
}

/** Anything but a load balancer's listener open to the internet is an attack surface. */
export const securityGroupIngress = resourcePolicy(
  {
    name: "aws-security-group-no-public-ingress",
    description:
      "Security groups must not admit 0.0.0.0/0 or ::/0 except on the allowed public ports (80 and 443, for load balancers); restrict the source to a security group or a private CIDR.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema,
  },
  [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  ],
  (props, args) => {
    const allowed = args.getConfig<PublicIngressConfig>().allowedPublicPorts ?? defaultPublicPorts;
    return ingressOf(args.type, props)
      .filter((rule) => rule.cidrs.some((c) => anywhere.includes(c as string)))
      .filter((rule) => !onlyAllowed(rule, allowed))
      .map(
        (rule) =>
          `${args.name}: ingress from the internet on ${openPorts(rule)}; only ports ${allowed.join(", ")} may be public.`,
      );
  },
);
