import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

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

/**
 * Cloudflare's Authenticated Origin Pulls CA: it signs the client certificate Cloudflare presents
 * to an origin when the zone's `tls_client_auth` setting is on (CN origin-pull.cloudflare.net,
 * valid 2019-10-10 to 2029-11-01). Published in the "Zone-Level — Cloudflare certificates"
 * section of cloudflare/cloudflare-docs products/ssl/src/content/origin-configuration/
 * authenticated-origin-pull.md, and served as
 * https://developers.cloudflare.com/ssl/static/authenticated_origin_pull_ca.pem.
 * The certificate is shared by every Cloudflare zone: it proves a request came through
 * Cloudflare's network, not through this zone; the source ranges and the Host routing narrow the
 * rest.
 */
export const cloudflareOriginPullCa = `-----BEGIN CERTIFICATE-----
MIIGCjCCA/KgAwIBAgIIV5G6lVbCLmEwDQYJKoZIhvcNAQENBQAwgZAxCzAJBgNV
BAYTAlVTMRkwFwYDVQQKExBDbG91ZEZsYXJlLCBJbmMuMRQwEgYDVQQLEwtPcmln
aW4gUHVsbDEWMBQGA1UEBxMNU2FuIEZyYW5jaXNjbzETMBEGA1UECBMKQ2FsaWZv
cm5pYTEjMCEGA1UEAxMab3JpZ2luLXB1bGwuY2xvdWRmbGFyZS5uZXQwHhcNMTkx
MDEwMTg0NTAwWhcNMjkxMTAxMTcwMDAwWjCBkDELMAkGA1UEBhMCVVMxGTAXBgNV
BAoTEENsb3VkRmxhcmUsIEluYy4xFDASBgNVBAsTC09yaWdpbiBQdWxsMRYwFAYD
VQQHEw1TYW4gRnJhbmNpc2NvMRMwEQYDVQQIEwpDYWxpZm9ybmlhMSMwIQYDVQQD
ExpvcmlnaW4tcHVsbC5jbG91ZGZsYXJlLm5ldDCCAiIwDQYJKoZIhvcNAQEBBQAD
ggIPADCCAgoCggIBAN2y2zojYfl0bKfhp0AJBFeV+jQqbCw3sHmvEPwLmqDLqynI
42tZXR5y914ZB9ZrwbL/K5O46exd/LujJnV2b3dzcx5rtiQzso0xzljqbnbQT20e
ihx/WrF4OkZKydZzsdaJsWAPuplDH5P7J82q3re88jQdgE5hqjqFZ3clCG7lxoBw
hLaazm3NJJlUfzdk97ouRvnFGAuXd5cQVx8jYOOeU60sWqmMe4QHdOvpqB91bJoY
QSKVFjUgHeTpN8tNpKJfb9LIn3pun3bC9NKNHtRKMNX3Kl/sAPq7q/AlndvA2Kw3
Dkum2mHQUGdzVHqcOgea9BGjLK2h7SuX93zTWL02u799dr6Xkrad/WShHchfjjRn
aL35niJUDr02YJtPgxWObsrfOU63B8juLUphW/4BOjjJyAG5l9j1//aUGEi/sEe5
lqVv0P78QrxoxR+MMXiJwQab5FB8TG/ac6mRHgF9CmkX90uaRh+OC07XjTdfSKGR
PpM9hB2ZhLol/nf8qmoLdoD5HvODZuKu2+muKeVHXgw2/A6wM7OwrinxZiyBk5Hh
CvaADH7PZpU6z/zv5NU5HSvXiKtCzFuDu4/Zfi34RfHXeCUfHAb4KfNRXJwMsxUa
+4ZpSAX2G6RnGU5meuXpU5/V+DQJp/e69XyyY6RXDoMywaEFlIlXBqjRRA2pAgMB
AAGjZjBkMA4GA1UdDwEB/wQEAwIBBjASBgNVHRMBAf8ECDAGAQH/AgECMB0GA1Ud
DgQWBBRDWUsraYuA4REzalfNVzjann3F6zAfBgNVHSMEGDAWgBRDWUsraYuA4REz
alfNVzjann3F6zANBgkqhkiG9w0BAQ0FAAOCAgEAkQ+T9nqcSlAuW/90DeYmQOW1
QhqOor5psBEGvxbNGV2hdLJY8h6QUq48BCevcMChg/L1CkznBNI40i3/6heDn3IS
zVEwXKf34pPFCACWVMZxbQjkNRTiH8iRur9EsaNQ5oXCPJkhwg2+IFyoPAAYURoX
VcI9SCDUa45clmYHJ/XYwV1icGVI8/9b2JUqklnOTa5tugwIUi5sTfipNcJXHhgz
6BKYDl0/UP0lLKbsUETXeTGDiDpxZYIgbcFrRDDkHC6BSvdWVEiH5b9mH2BON60z
0O0j8EEKTwi9jnafVtZQXP/D8yoVowdFDjXcKkOPF/1gIh9qrFR6GdoPVgB3SkLc
5ulBqZaCHm563jsvWb/kXJnlFxW+1bsO9BDD6DweBcGdNurgmH625wBXksSdD7y/
fakk8DagjbjKShYlPEFOAqEcliwjF45eabL0t27MJV61O/jHzHL3dknXeE4BDa2j
bA+JbyJeUMtU7KMsxvx82RmhqBEJJDBCJ3scVptvhDMRrtqDBW5JShxoAOcpFQGm
iYWicn46nPDjgTU0bX1ZPpTpryXbvciVL5RkVBuyX2ntcOLDPlZWgxZCBp96x07F
AnOzKgZk4RzZPNAxCXERVxajn/FLcOhglVAKo5H0ac+AitlQ0ip55D2/mf8o72tM
fVQ6VpyjEXdiIXWUq/o=
-----END CERTIFICATE-----
`;

/** What locks an origin's ingress controller to the edge. */
export interface OriginLock {
  /**
   * CIDRs the origin's load balancer admits: Cloudflare's IPv4 ranges. IPv4 only, since both
   * origins are IPv4 load balancers (an NLB without dual-stack, a GCP IPv4 address), which
   * Cloudflare reaches over IPv4.
   */
  readonly sourceRanges: pulumi.Input<string[]>;
  /** Proxies whose `CF-Connecting-IP` the controller believes: Cloudflare's IPv4 and IPv6 ranges. */
  readonly trustedProxies: pulumi.Input<string[]>;
  /** PEM of the CA that signs the client certificate the edge presents (origin pulls). */
  readonly clientCa: string;
}

/**
 * The origin lock from Cloudflare's published ranges (the provider's `getIpRanges`, read at each
 * deployment, so a change of ranges reaches the load balancers on the next `pulumi up`) and the
 * origin-pull CA.
 */
export function cloudflareOriginLock(opts: pulumi.InvokeOutputOptions): OriginLock {
  const ranges = cloudflare.getIpRangesOutput({}, opts);
  return {
    sourceRanges: ranges.ipv4Cidrs,
    trustedProxies: pulumi
      .all([ranges.ipv4Cidrs, ranges.ipv6Cidrs])
      .apply(([v4, v6]) => [...v4, ...v6]),
    clientCa: cloudflareOriginPullCa,
  };
}
