import { block, list, read, resourcePolicy, shown, type Props } from "../lib";

/** ELB security policies that refuse TLS 1.0 and 1.1 (TLS 1.2 or 1.3 as the floor). */
const modernPolicy = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** A plain-HTTP listener may only send clients to HTTPS or answer with a fixed response. */
function httpFindings(props: Props, name: string): string[] {
  const forwards = list(props, "defaultActions").filter((action) => {
    const type = read(action, "type");
    if (type === "fixed-response") return false;
    return !(type === "redirect" && read(block(action, "redirect"), "protocol") === "HTTPS");
  });
  return forwards.length === 0
    ? []
    : [
        `${name}: the HTTP listener serves traffic in plain text; make its default action a redirect with protocol "HTTPS".`,
      ];
}

function tlsFindings(props: Props, name: string): string[] {
  const policy = read(props, "sslPolicy");
  return modernPolicy.test(String(policy))
    ? []
    : [
        `${name}: sslPolicy ${shown(policy)} accepts TLS before 1.2 (unset means ELBSecurityPolicy-2016-08); set ELBSecurityPolicy-TLS13-1-2-2021-06 or a newer TLS 1.2+ policy.`,
      ];
}

/** A load balancer is where client TLS ends: plain HTTP or TLS 1.0 there exposes every request. */
export const lbListenerTls = resourcePolicy(
  {
    name: "aws-lb-listener-tls",
    description:
      'ALB and NLB listeners (aws:lb/listener:Listener, aws:alb/listener:Listener) must terminate TLS 1.2 or later: HTTPS and TLS listeners set a TLS 1.2+ sslPolicy (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06); HTTP listeners only redirect to "HTTPS" or answer with a fixed response.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
  (props, args) => {
    // Unset means HTTP, the provider's default for an Application Load Balancer.
    const protocol = read(props, "protocol") ?? "HTTP";
    if (protocol === "HTTP") return httpFindings(props, args.name);
    if (protocol === "HTTPS" || protocol === "TLS") return tlsFindings(props, args.name);
    return [];
  },
);
