import { isSet, read, resourcePolicy, shown } from "../lib";

const modernVersions = ["TLS_1_2", "TLS_1_3"];
const proxyTypes = [
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
  "gcp:compute/targetSSLProxy:TargetSSLProxy",
];

/**
 * A Google load balancer's proxy terminates clients' TLS; without an SSL policy, or with one
 * left at its default, it accepts TLS 1.0.
 */
export const gcpSslPolicy = resourcePolicy(
  {
    name: "gcp-lb-tls-policy",
    description:
      'Google load balancer proxies (TargetHttpsProxy, RegionTargetHttpsProxy, TargetSSLProxy) must name an sslPolicy, and SSL policies (gcp:compute/sSLPolicy:SSLPolicy) must set minTlsVersion "TLS_1_2" or later; the default is TLS_1_0.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["gcp:compute/sSLPolicy:SSLPolicy", ...proxyTypes],
  (props, args) => {
    if (proxyTypes.includes(args.type)) {
      return isSet(read(props, "sslPolicy"))
        ? []
        : [`${args.name}: the proxy uses Google's default SSL policy (TLS 1.0); set sslPolicy.`];
    }
    const version = read(props, "minTlsVersion");
    return modernVersions.includes(version as string)
      ? []
      : [`${args.name}: minTlsVersion is ${shown(version)}; set it to "TLS_1_2".`];
  },
);
