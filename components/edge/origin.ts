import type * as pulumi from "@pulumi/pulumi";

/**
 * A cloud's public way in: a load balancer's hostname (the edge's DNS record is a CNAME) or a
 * reserved IPv4 address (an A record). Which one is known before deploying, so the record's
 * type never waits on an output.
 */
export type EdgeOrigin =
  | { readonly hostname: pulumi.Input<string> }
  | { readonly ipv4: pulumi.Input<string> };

/** The DNS record an origin takes: an A record for an address, a CNAME for a hostname. */
export function originRecordType(origin: EdgeOrigin): "A" | "CNAME" {
  return "ipv4" in origin ? "A" : "CNAME";
}

/** The origin's address as a load balancer pool or a DNS record takes it. */
export function originAddress(origin: EdgeOrigin): pulumi.Input<string> {
  return "ipv4" in origin ? origin.ipv4 : origin.hostname;
}
