import { block, list, read, resourcePolicy, shown, type Props } from "../lib";

const httpsViewerPolicies = ["redirect-to-https", "https-only"];

function behaviourFindings(props: Props, name: string): string[] {
  const behaviours: [string, unknown][] = [
    ["defaultCacheBehavior", block(props, "defaultCacheBehavior")],
    ...list(props, "orderedCacheBehaviors").map((b): [string, unknown] => [
      `orderedCacheBehaviors ${String(read(b, "pathPattern"))}`,
      b,
    ]),
  ];
  return behaviours
    .map(([where, b]) => ({ where, policy: read(b, "viewerProtocolPolicy") }))
    .filter(({ policy }) => !httpsViewerPolicies.includes(policy as string))
    .map(
      ({ where, policy }) =>
        `${name}: ${where} lets viewers in over HTTP (viewerProtocolPolicy ${shown(policy)}); set it to "redirect-to-https" or "https-only".`,
    );
}

function originFindings(props: Props, name: string): string[] {
  return list(props, "origins")
    .filter((o) => read(block(o, "customOriginConfig"), "originProtocolPolicy") === "http-only")
    .map(
      (o) =>
        `${name}: origin ${String(read(o, "originId"))} is fetched over plain HTTP; set customOriginConfig.originProtocolPolicy to "https-only".`,
    );
}

/** A custom certificate lets the distribution refuse TLS before 1.2; the default one cannot. */
function certificateFindings(props: Props, name: string): string[] {
  const certificate = block(props, "viewerCertificate");
  if (read(certificate, "cloudfrontDefaultCertificate") === true) return [];
  const minimum = read(certificate, "minimumProtocolVersion");
  return /^TLSv1\.[23]_/.test(String(minimum))
    ? []
    : [
        `${name}: viewers may use TLS before 1.2 (minimumProtocolVersion ${shown(minimum)}); set viewerCertificate.minimumProtocolVersion to TLSv1.2_2021 or later.`,
      ];
}

/** CloudFront terminates viewers' TLS and opens its own to the origin: both legs must be HTTPS. */
export const cloudfrontHttps = resourcePolicy(
  {
    name: "aws-cloudfront-https",
    description:
      'CloudFront distributions (aws:cloudfront/distribution:Distribution) must serve viewers HTTPS only (viewerProtocolPolicy "redirect-to-https" or "https-only" on every cache behaviour), accept TLS 1.2+ with a custom certificate (minimumProtocolVersion TLSv1.2_2021), and never fetch an origin over "http-only".',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:cloudfront/distribution:Distribution"],
  (props, args) => [
    ...behaviourFindings(props, args.name),
    ...originFindings(props, args.name),
    ...certificateFindings(props, args.name),
  ],
);
