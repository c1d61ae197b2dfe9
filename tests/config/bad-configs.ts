/**
 * Stack configs a new user could write that the cloud, Kubernetes or the program itself
 * would refuse or ignore, each as the `config:` block of a stack file, with the key the one
 * refusal must name and the value it must show right after it.
 */
export interface BadConfig {
  readonly category: string;
  readonly what: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The key the line starts with, e.g. `platform:aws.region`. */
  readonly key: string;
  /** How the value follows the key: `"us-east"`, `[plain text]`, `.inf`. */
  readonly shows: string;
  /** What the line must also say (what is allowed, the fix). */
  readonly says?: RegExp;
  /** Also run through the offline plan, end to end. */
  readonly planned?: boolean;
}

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
const service = { name: "api", image: "ghcr.io/example/api:1.4.2", port: 8080, resources };
const job = {
  name: "report",
  image: "ghcr.io/example/report:2.0.1",
  schedule: "0 3 * * *",
  resources,
};
const email = {
  emailTo: "oncall@example.com",
  emailFrom: "alerts@example.com",
  emailSmarthost: "smtp.example.com:587",
};

const bases = {
  dev: { "platform:tier": "dev", "platform:target": "local" },
  staging: {
    "platform:tier": "staging",
    "platform:target": "aws",
    "platform:aws": { region: "us-east-1" },
  },
  prod: {
    "platform:tier": "prod",
    "platform:target": "aws",
    "platform:standby": "gcp",
    "platform:aws": { region: "us-east-1", replicaRegion: "us-west-2" },
    "platform:gcp": { project: "platform-prod-standby", region: "us-central1" },
    "platform:observability": { alerting: email },
  },
  gcp: {
    "platform:tier": "staging",
    "platform:target": "gcp",
    "platform:gcp": { project: "platform-staging", region: "europe-west1" },
    "platform:cache": { nodes: 1 },
    "platform:observability": { alerting: email },
  },
} as const;
type Base = keyof typeof bases;

const on = (base: Base, overrides: Record<string, unknown>) => ({ ...bases[base], ...overrides });
/** A staging stack on aws running the service with `patch` applied. */
const withService = (patch: Record<string, unknown>, base: Base = "staging") =>
  on(base, { "platform:workloads": { services: [{ ...service, ...patch }] } });
const withJob = (patch: Record<string, unknown>) =>
  on("staging", { "platform:workloads": { services: [service], jobs: [{ ...job, ...patch }] } });
const svcKey = (k: string) => `platform:workloads.services[0].${k}`;
const jobKey = (k: string) => `platform:workloads.jobs[0].${k}`;

type Case = Omit<BadConfig, "category">;
const group = (category: string, cases: Case[]): BadConfig[] =>
  cases.map((c) => ({ category, ...c }));

const regions = group("regions", [
  ...[
    "australia-southeast1",
    "southamerica-east1",
    "me-central1",
    "africa-south1",
    "northamerica-northeast1",
    "europe-west2",
    "asia-east2",
  ].map(
    (region, i): Case => ({
      what: `a GCP standby in ${region}, where replicated buckets have no location in its jurisdiction`,
      config: on("prod", { "platform:gcp": { project: "platform-prod-standby", region } }),
      key: "platform:gcp.region",
      shows: `"${region}"`,
      says: /is in no Cloud Storage multi-region.*crossRegionReplication false/,
      planned: i === 0,
    }),
  ),
  {
    what: "a GCP target in São Paulo with replicated buckets",
    config: on("gcp", {
      "platform:gcp": { project: "platform-staging", region: "southamerica-east1" },
      "platform:objectStore": { crossRegionReplication: true },
    }),
    key: "platform:gcp.region",
    shows: '"southamerica-east1"',
  },
  {
    what: "a made-up GCP region",
    config: on("prod", {
      "platform:gcp": { project: "platform-prod-standby", region: "europe-west99" },
    }),
    key: "platform:gcp.region",
    shows: '"europe-west99"',
    says: /is not a Google Cloud region.*expected one of .*europe-west1/,
  },
  {
    what: "a GCP zone instead of a region",
    config: on("gcp", {
      "platform:gcp": { project: "platform-staging", region: "europe-west1-b" },
    }),
    key: "platform:gcp.region",
    shows: '"europe-west1-b"',
    says: /did you mean "europe-west1"/,
  },
  {
    what: "an AWS region that does not exist",
    config: on("staging", { "platform:aws": { region: "us-east-7" } }),
    key: "platform:aws.region",
    shows: '"us-east-7"',
    says: /is not an AWS region/,
  },
  {
    what: "an AWS region without its number",
    config: on("staging", { "platform:aws": { region: "us-east" } }),
    key: "platform:aws.region",
    shows: '"us-east"',
  },
  {
    what: "an AWS region in capitals",
    config: on("staging", { "platform:aws": { region: "EU-WEST-1" } }),
    key: "platform:aws.region",
    shows: '"EU-WEST-1"',
    says: /did you mean "eu-west-1"/,
  },
  {
    what: "an AWS availability zone instead of a region",
    config: on("staging", { "platform:aws": { region: "eu-west-1a" } }),
    key: "platform:aws.region",
    shows: '"eu-west-1a"',
  },
  {
    what: "a GCP region as the AWS region",
    config: on("staging", { "platform:aws": { region: "us-central1" } }),
    key: "platform:aws.region",
    shows: '"us-central1"',
  },
  {
    what: "a replica region that does not exist",
    config: on("prod", { "platform:aws": { region: "us-east-1", replicaRegion: "us-west-3" } }),
    key: "platform:aws.replicaRegion",
    shows: '"us-west-3"',
  },
]);

const namespaces = group("namespaces", [
  {
    what: "a typo in the program's namespace",
    config: on("staging", { "platfom:network": { azCount: 3 } }),
    key: "platfom:network",
    shows: '{"azCount":3}',
    says: /did you mean "platform:network"\?/,
    planned: true,
  },
  {
    what: "a typo in a provider's namespace",
    config: on("staging", { "awss:region": "us-east-1" }),
    key: "awss:region",
    shows: '"us-east-1"',
    says: /did you mean "aws:region"\?/,
  },
  {
    what: "another project's namespace",
    config: on("staging", { "billing:budget": 100 }),
    key: "billing:budget",
    shows: "100",
    says: /expected a key in platform:, aws:, gcp:, cloudflare:, kubernetes:, random:, pulumi:/,
  },
  {
    what: "the project's namespace in capitals",
    config: on("staging", { "Platform:tier": "prod" }),
    key: "Platform:tier",
    shows: '"prod"',
    says: /did you mean "platform:tier"/,
  },
  {
    what: "a typo in kubernetes:",
    config: on("dev", { "kubernets:context": "kind-platform" }),
    key: "kubernets:context",
    shows: '"kind-platform"',
    says: /did you mean "kubernetes:context"/,
  },
  {
    what: "a typo in cloudflare: (a secret, not shown)",
    config: on("staging", { "cloudflair:apiToken": { secure: "AAAB" } }),
    key: "cloudflair:apiToken",
    shows: "[secret]",
    says: /did you mean "cloudflare:apiToken"/,
  },
  {
    what: "a typo in gcp:",
    config: on("gcp", { "gpc:project": "platform-staging" }),
    key: "gpc:project",
    shows: '"platform-staging"',
    says: /did you mean "gcp:project"/,
  },
  {
    what: "a misspelt key inside the program's namespace",
    config: on("prod", { "platform:netwrok": { azCount: 3 } }),
    key: "platform:netwrok",
    shows: "unknown key",
    says: /allowed here: .*network/,
  },
]);

const slack = "https://hooks.slack.com/services/T000/B000/XXXX";
const secrets = group("secrets", [
  {
    what: "a plain Slack webhook beside a secure PagerDuty key",
    config: on("prod", {
      "platform:observability": {
        alerting: { ...email, pagerdutyKey: { secure: "AAAB" }, slackWebhookUrl: slack },
      },
    }),
    key: "platform:observability.alerting.slackWebhookUrl",
    shows: "[plain text]",
    says: /pulumi config set --secret --path/,
    planned: true,
  },
  {
    what: "a plain PagerDuty key beside a secure Slack webhook",
    config: on("prod", {
      "platform:observability": {
        alerting: {
          ...email,
          pagerdutyKey: "0123456789abcdef",
          slackWebhookUrl: { secure: "AAAB" },
        },
      },
    }),
    key: "platform:observability.alerting.pagerdutyKey",
    shows: "[plain text]",
  },
  {
    what: "a plain PagerDuty CloudWatch key beside a secure one",
    config: on("prod", {
      "platform:observability": {
        alerting: { ...email, pagerdutyKey: { secure: "AAAB" }, pagerdutyCloudwatchKey: "abc" },
      },
    }),
    key: "platform:observability.alerting.pagerdutyCloudwatchKey",
    shows: "[plain text]",
  },
  {
    what: "a plain SMTP password beside a secure webhook",
    config: on("prod", {
      "platform:observability": {
        alerting: {
          ...email,
          emailUsername: "alerts",
          emailPassword: "hunter2",
          slackWebhookUrl: { secure: "AAAB" },
        },
      },
    }),
    key: "platform:observability.alerting.emailPassword",
    shows: "[plain text]",
  },
  {
    what: "a plain Slack webhook with no secure sibling",
    config: on("staging", { "platform:observability": { alerting: { slackWebhookUrl: slack } } }),
    key: "platform:observability.alerting.slackWebhookUrl",
    shows: "[plain text]",
  },
  {
    what: "a plain DNS-01 token for cert-manager",
    config: on("staging", { "platform:ingress": { cloudflareApiToken: "token-in-the-clear" } }),
    key: "platform:ingress.cloudflareApiToken",
    shows: "[plain text]",
  },
  ...[
    ["cloudflare:apiToken", "v1.0-token"],
    ["cloudflare:apiKey", "0123456789abcdef"],
    ["cloudflare:apiUserServiceKey", "v1.0-service-key"],
    ["aws:accessKey", "AKIAIOSFODNN7EXAMPLE"],
    ["aws:secretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ["aws:token", "IQoJb3JpZ2luX2VjEXAMPLE"],
    ["gcp:credentials", '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----"}'],
    ["gcp:accessToken", "ya29.a0AfH6SMBEXAMPLE"],
  ].map(
    ([key, value]): Case => ({
      what: `${key} in plain text`,
      config: on("staging", { [key!]: value }),
      key: key!,
      shows: "[plain text]",
      says: new RegExp(`pulumi config set --secret ${key}`),
    }),
  ),
  {
    what: "an inline kubeconfig with a token in plain text",
    config: on("dev", {
      "kubernetes:kubeconfig":
        "apiVersion: v1\nclusters: []\nusers:\n- name: ci\n  user:\n    token: abc123\n",
    }),
    key: "kubernetes:kubeconfig",
    shows: "[plain text]",
  },
]);

const cidr = group("cidr", [
  {
    what: "a VPC range with an octet over 255",
    config: on("staging", { "platform:network": { cidrBlock: "10.300.0.0/16" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.300.0.0/16"',
    says: /has an octet above 255/,
    planned: true,
  },
  {
    what: "a VPC range with host bits set",
    config: on("staging", { "platform:network": { cidrBlock: "10.0.1.0/16" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.1.0/16"',
    says: /has host bits set; the network is 10\.0\.0\.0\/16/,
  },
  {
    what: "a VPC range wider than /16",
    config: on("staging", { "platform:network": { cidrBlock: "10.0.0.0/12" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.0.0/12"',
    says: /between \/16 and \/24/,
  },
  {
    what: "a VPC range narrower than /24",
    config: on("staging", { "platform:network": { cidrBlock: "10.0.0.0/26" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.0.0/26"',
  },
  {
    what: "a VPC range without a prefix",
    config: on("staging", { "platform:network": { cidrBlock: "10.0.0.0" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.0.0"',
  },
  {
    what: "a VPC range given as a number",
    config: on("staging", { "platform:network": { cidrBlock: 10 } }),
    key: "platform:network.cidrBlock",
    shows: "10",
  },
  {
    what: "an egress range with prefix /99",
    config: withService({ egress: [{ port: 443, cidr: "0.0.0.0/99" }] }),
    key: svcKey("egress[0].cidr"),
    shows: '"0.0.0.0/99"',
    says: /an IPv4 prefix is \/0 to \/32/,
  },
  {
    what: "an egress range with host bits set",
    config: withService({ egress: [{ port: 443, cidr: "192.168.1.1/24" }] }),
    key: svcKey("egress[0].cidr"),
    shows: '"192.168.1.1/24"',
    says: /the network is 192\.168\.1\.0\/24/,
  },
  {
    what: "an egress range with an octet over 255",
    config: withService({ egress: [{ port: 443, cidr: "256.0.0.0/8" }] }),
    key: svcKey("egress[0].cidr"),
    shows: '"256.0.0.0/8"',
  },
  {
    what: "a job's egress range that is an address, not a block",
    config: withJob({ egress: [{ port: 443, cidr: "203.0.113.7" }] }),
    key: jobKey("egress[0].cidr"),
    shows: '"203.0.113.7"',
  },
  {
    what: "a deployer range with host bits set",
    config: on("staging", {
      "platform:cluster": { apiAccess: { mode: "public", cidrs: ["203.0.113.9/24"] } },
    }),
    key: "platform:cluster.apiAccess.cidrs[0]",
    shows: '"203.0.113.9/24"',
  },
  {
    what: "a deployer range with prefix /33",
    config: on("staging", {
      "platform:cluster": { apiAccess: { mode: "public", cidrs: ["203.0.113.0/33"] } },
    }),
    key: "platform:cluster.apiAccess.cidrs[0]",
    shows: '"203.0.113.0/33"',
  },
]);

const longName = (n: number) => `a${"b".repeat(n - 1)}`;
const names = group("kubernetes names", [
  {
    what: "a CronJob name over 52 characters",
    config: withJob({ name: longName(53) }),
    key: jobKey("name"),
    shows: `"${longName(53).slice(0, 10)}`,
    says: /is 53 characters; a CronJob name is at most 52/,
  },
  {
    what: "a CronJob name with capitals",
    config: withJob({ name: "NightlyReport" }),
    key: jobKey("name"),
    shows: '"NightlyReport"',
  },
  {
    what: "a CronJob name with a dot",
    config: withJob({ name: "report.nightly" }),
    key: jobKey("name"),
    shows: '"report.nightly"',
  },
  {
    what: "a Service name starting with a digit",
    config: withService({ name: "1api" }),
    key: svcKey("name"),
    shows: '"1api"',
    says: /DNS-1035 label.*starting with a letter/,
  },
  {
    what: "a Service name ending with a hyphen",
    config: withService({ name: "api-" }),
    key: svcKey("name"),
    shows: '"api-"',
  },
  {
    what: "a Service name over 63 characters",
    config: withService({ name: longName(64) }),
    key: svcKey("name"),
    shows: `"${longName(64).slice(0, 10)}`,
    says: /is 64 characters; a Service name is at most 63/,
  },
  {
    what: "a Service name with an underscore",
    config: withService({ name: "user_api" }),
    key: svcKey("name"),
    shows: '"user_api"',
  },
  {
    what: "a call to a Service name starting with a digit",
    config: withService({ calls: ["2fa"] }),
    key: svcKey("calls[0]"),
    shows: '"2fa"',
  },
  {
    what: "a Namespace name over 63 characters",
    config: on("staging", { "platform:workloads": { namespace: longName(64) } }),
    key: "platform:workloads.namespace",
    shows: `"${longName(64).slice(0, 10)}`,
  },
  {
    what: "a Namespace name with capitals",
    config: on("staging", { "platform:workloads": { namespace: "Production" } }),
    key: "platform:workloads.namespace",
    shows: '"Production"',
  },
  {
    what: "an egress Namespace name with a dot",
    config: withService({ egress: [{ port: 443, namespace: "ingress.nginx" }] }),
    key: svcKey("egress[0].namespace"),
    shows: '"ingress.nginx"',
  },
  {
    what: "a Secret name with an underscore",
    config: withService({ secretEnv: { API_KEY: { secret: "api_keys", key: "key" } } }),
    key: svcKey("secretEnv.API_KEY.secret"),
    shows: '"api_keys"',
    says: /DNS-1123 subdomain/,
  },
]);

const hosts = group("hosts", [
  {
    what: "a host label over 63 characters",
    config: withService({ exposure: { kind: "ingress", host: `${longName(64)}.example.com` } }),
    key: svcKey("exposure.host"),
    shows: `"${longName(64).slice(0, 10)}`,
    says: /has a 64-character label; a DNS label is at most 63/,
  },
  {
    what: "a host over 253 characters",
    config: withService({
      exposure: { kind: "ingress", host: `${Array(5).fill(longName(60)).join(".")}.example.com` },
    }),
    key: svcKey("exposure.host"),
    shows: '"ab',
    says: /is 316 characters; a host name is at most 253/,
  },
  {
    what: "a host with an underscore",
    config: withService({ exposure: { kind: "ingress", host: "my_api.example.com" } }),
    key: svcKey("exposure.host"),
    shows: '"my_api.example.com"',
  },
  {
    what: "a host without a domain",
    config: withService({ exposure: { kind: "ingress", host: "api" } }),
    key: svcKey("exposure.host"),
    shows: '"api"',
  },
  {
    what: "a host with capitals",
    config: withService({ exposure: { kind: "ingress", host: "API.example.com" } }),
    key: svcKey("exposure.host"),
    shows: '"API.example.com"',
  },
  {
    what: "a wildcard host that is not the leftmost label",
    config: withService({ exposure: { kind: "ingress", host: "api.*.example.com" } }),
    key: svcKey("exposure.host"),
    shows: '"api.*.example.com"',
  },
]);

const timeZones = group(
  "time zones",
  [
    ["Mars/Olympus", /is not an IANA time zone/],
    ["Europe/Berlinn", /did you mean "Europe\/Berlin"/],
    ["utc", /is not an IANA time zone/],
    ["GMT+2", /is not an IANA time zone/],
    ["Central European Time", /is not an IANA time zone/],
  ].map(
    ([zone, says]): Case => ({
      what: `the time zone ${String(zone)}`,
      config: withJob({ timeZone: zone }),
      key: jobKey("timeZone"),
      shows: JSON.stringify(zone),
      says: says as RegExp,
    }),
  ),
);

const images = group(
  "images",
  [
    ["ghcr.io/example/api:1.4.2 ", "an image with a trailing space", /without spaces/],
    ["ghcr.io/example/my api:1.4.2", "an image with a space", /without spaces/],
    ["ghcr.io/example/api@sha256:abc", "a digest too short", /digest is not <algorithm>:<hex>/],
    [`ghcr.io/example/api@sha256:${"a".repeat(63)}g`, "a digest with a non-hex digit", /digest/],
    [
      `ghcr.io/example/api@sha256:${"a".repeat(70)}`,
      "a sha256 digest of 70 digits",
      /expected 64 lowercase hex digits/,
    ],
    [
      `ghcr.io/example/api@md5:${"a".repeat(32)}`,
      "a digest algorithm no runtime takes",
      /expected sha256 or sha512/,
    ],
    [`ghcr.io/example/api@sha256${"a".repeat(64)}`, "a digest without its colon", /digest/],
    ["ghcr.io/Example/API:1.4.2", "an image path in capitals", /lowercase/],
    ["ghcr.io/example/api:", "an empty tag", /image reference/],
    ["ghcr.io/example/api:latest", "the latest tag", /not pinned \(the tag is latest\)/],
    ["ghcr.io/example/api", "no tag", /not pinned \(no tag\)/],
    [`ghcr.io/example/api:${"1".repeat(129)}`, "a tag over 128 characters", /image reference/],
  ].map(
    ([image, what, says]): Case => ({
      what: what as string,
      config: withService({ image }),
      key: svcKey("image"),
      shows: JSON.stringify(image).slice(0, 20),
      says: says as RegExp,
    }),
  ),
);

const quantities = group(
  "quantities",
  [
    [{ quota: { requestsCpu: "ten" } }, "platform:workloads.quota.requestsCpu", '"ten"'],
    [{ quota: { limitsMemory: "4 Gi" } }, "platform:workloads.quota.limitsMemory", '"4 Gi"'],
    [{ quota: { requestsMemory: "4GB" } }, "platform:workloads.quota.requestsMemory", '"4GB"'],
    [{ containerLimits: { maxCpu: "-1" } }, "platform:workloads.containerLimits.maxCpu", '"-1"'],
    [
      { containerLimits: { defaultLimitMemory: "1e" } },
      "platform:workloads.containerLimits.defaultLimitMemory",
      '"1e"',
    ],
    [{ quota: { limitsCpu: 4 } }, "platform:workloads.quota.limitsCpu", "4"],
  ].map(
    ([workloads, key, shows]): Case => ({
      what: `${String(key).split(".").pop()} ${String(shows)}`,
      config: on("staging", { "platform:workloads": workloads }),
      key: key as string,
      shows: shows as string,
      says: /Kubernetes quantity/,
    }),
  ),
);

const consistency = group("consistency", [
  {
    what: "database egress to the old VPC range after network.cidrBlock changed",
    config: on("staging", {
      "platform:network": { cidrBlock: "10.20.0.0/16" },
      "platform:workloads": {
        services: [{ ...service, egress: [{ port: 5432, cidr: "10.0.0.0/16" }] }],
      },
    }),
    key: svcKey("egress[0].cidr"),
    shows: '"10.0.0.0/16"',
    says: /does not reach the VPC \(platform:network\.cidrBlock "10\.20\.0\.0\/16"\).*expected "10\.20\.0\.0\/16"/,
    planned: true,
  },
  {
    what: "cache egress to the old VPC range after network.cidrBlock changed",
    config: on("staging", {
      "platform:network": { cidrBlock: "10.30.0.0/16" },
      "platform:workloads": {
        services: [{ ...service, egress: [{ port: 6379, cidr: "10.0.0.0/16" }] }],
      },
    }),
    key: svcKey("egress[0].cidr"),
    shows: '"10.0.0.0/16"',
    says: /the cache listens on 6379/,
  },
  {
    what: "a job's database egress outside the VPC",
    config: on("staging", {
      "platform:workloads": {
        services: [service],
        jobs: [{ ...job, egress: [{ port: 5432, cidr: "172.16.0.0/16" }] }],
      },
    }),
    key: jobKey("egress[0].cidr"),
    shows: '"172.16.0.0/16"',
  },
  {
    what: "database egress on gcp outside the private service access range",
    config: withService({ egress: [{ port: 5432, cidr: "10.0.0.0/16" }] }, "gcp"),
    key: svcKey("egress[0].cidr"),
    shows: '"10.0.0.0/16"',
    says: /private service access range "10\.30\.0\.0\/16"/,
  },
  {
    what: "a /24 VPC that the subnet split turns into /28 subnets",
    config: on("staging", { "platform:network": { cidrBlock: "10.0.0.0/24" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.0.0/24"',
    says: /splits into \/28 subnets of 16 addresses, too small for EKS.*expected \/\d+ or larger/,
  },
  {
    what: "a /22 VPC for prod's twelve nodes",
    config: on("prod", { "platform:network": { cidrBlock: "10.10.0.0/22" } }),
    key: "platform:network.cidrBlock",
    shows: '"10.10.0.0/22"',
    says: /too small for EKS/,
  },
  {
    what: "a /21 VPC for a cluster of up to 40 nodes",
    config: on("staging", {
      "platform:network": { cidrBlock: "10.0.0.0/21" },
      "platform:cluster": { maxNodes: 40 },
    }),
    key: "platform:network.cidrBlock",
    shows: '"10.0.0.0/21"',
  },
  {
    what: "cluster minNodes above maxNodes, said plainly",
    config: on("staging", { "platform:cluster": { minNodes: 5, maxNodes: 2 } }),
    key: "platform:cluster.minNodes",
    shows: "5",
    says: /is more than maxNodes 2; expected minNodes <= desiredNodes <= maxNodes/,
  },
]);

const readable = group("readable values", [
  {
    what: "an infinite node count, shown as YAML writes it",
    config: on("staging", { "platform:cluster": { maxNodes: Infinity } }),
    key: "platform:cluster.maxNodes",
    shows: ".inf",
  },
  {
    what: "a negative infinite disk size",
    config: on("staging", { "platform:cluster": { nodeDiskGb: -Infinity } }),
    key: "platform:cluster.nodeDiskGb",
    shows: "-.inf",
  },
  {
    what: "a retention of .inf days",
    config: on("staging", { "platform:database": { backupRetentionDays: Infinity } }),
    key: "platform:database.backupRetentionDays",
    shows: ".inf",
  },
  {
    what: "autoscaling max below min",
    config: withService({ autoscaling: { min: 5, max: 2 } }),
    key: svcKey("autoscaling.max"),
    shows: "2",
    says: /is below autoscaling\.min 5; expected max >= min/,
  },
]);

const earlier = group("earlier refusals", [
  {
    what: "an unknown tier",
    config: on("staging", { "platform:tier": "production" }),
    key: "platform:tier",
    shows: '"production"',
    says: /expected one of dev, staging, prod/,
  },
  {
    what: "an unknown target",
    config: on("staging", { "platform:target": "azure" }),
    key: "platform:target",
    shows: '"azure"',
    says: /expected one of local, aws, gcp/,
  },
  {
    what: "an unknown standby",
    config: on("prod", { "platform:standby": "aws" }),
    key: "platform:standby",
    shows: '"aws"',
  },
  {
    what: "aws target without platform:aws",
    config: { "platform:tier": "staging", "platform:target": "aws" },
    key: "platform:aws",
    shows: "(missing)",
  },
  {
    what: "a GCP project id with capitals",
    config: on("gcp", { "platform:gcp": { project: "Platform", region: "europe-west1" } }),
    key: "platform:gcp.project",
    shows: '"Platform"',
  },
  {
    what: "the prod tier on a local cluster",
    config: {
      "platform:tier": "prod",
      "platform:target": "local",
      "platform:observability": { alerting: email },
    },
    key: "platform:target",
    shows: '"local"',
  },
  {
    what: "four availability zones",
    config: on("staging", { "platform:network": { azCount: 4 } }),
    key: "platform:network.azCount",
    shows: "4",
  },
  {
    what: "an unknown NAT gateway layout",
    config: on("staging", { "platform:network": { natGateways: "none" } }),
    key: "platform:network.natGateways",
    shows: '"none"',
  },
  {
    what: "a flow log retention CloudWatch refuses",
    config: on("staging", { "platform:network": { flowLogRetentionDays: 10 } }),
    key: "platform:network.flowLogRetentionDays",
    shows: "10",
  },
  {
    what: "an interface endpoint the VPC does not offer here",
    config: on("staging", { "platform:network": { interfaceEndpoints: ["dynamodb"] } }),
    key: "platform:network.interfaceEndpoints[0]",
    shows: '"dynamodb"',
  },
  {
    what: "a malformed EC2 instance type",
    config: on("staging", { "platform:cluster": { instanceTypes: ["large"] } }),
    key: "platform:cluster.instanceTypes[0]",
    shows: '"large"',
  },
  {
    what: "a node disk below 20 GiB",
    config: on("staging", { "platform:cluster": { nodeDiskGb: 10 } }),
    key: "platform:cluster.nodeDiskGb",
    shows: "10",
  },
  {
    what: "an unknown API access mode",
    config: on("staging", { "platform:cluster": { apiAccess: { mode: "open" } } }),
    key: "platform:cluster.apiAccess.mode",
    shows: '"open"',
  },
  {
    what: "an admin role that is a user ARN",
    config: on("staging", {
      "platform:cluster": { adminRoleArns: ["arn:aws:iam::123456789012:user/ci"] },
    }),
    key: "platform:cluster.adminRoleArns[0]",
    shows: '"arn:aws:iam::123456789012:user/ci"',
  },
  {
    what: "PostgreSQL 13",
    config: on("staging", { "platform:database": { engineVersion: "13" } }),
    key: "platform:database.engineVersion",
    shows: '"13"',
  },
  {
    what: "a backup retention over 35 days",
    config: on("staging", { "platform:database": { backupRetentionDays: 40 } }),
    key: "platform:database.backupRetentionDays",
    shows: "40",
  },
  {
    what: "a backup window without minutes",
    config: on("staging", { "platform:database": { backupWindow: "3-4" } }),
    key: "platform:database.backupWindow",
    shows: '"3-4"',
  },
  {
    what: "a reserved master user",
    config: on("staging", { "platform:database": { username: "postgres" } }),
    key: "platform:database.username",
    shows: '"postgres"',
  },
  {
    what: "an RDS class that does not exist",
    config: on("staging", { "platform:database": { instanceClass: "db.m1.huge" } }),
    key: "platform:database.instanceClass",
    shows: '"db.m1.huge"',
  },
  {
    what: "Redis 6",
    config: on("staging", { "platform:cache": { engineVersion: "6.2" } }),
    key: "platform:cache.engineVersion",
    shows: '"6.2"',
  },
  {
    what: "seven cache nodes",
    config: on("staging", { "platform:cache": { nodes: 7 } }),
    key: "platform:cache.nodes",
    shows: "7",
  },
  {
    what: "a bucket role with capitals",
    config: on("staging", { "platform:objectStore": { buckets: { Uploads: {} } } }),
    key: "platform:objectStore.buckets",
    shows: '"Uploads"',
  },
  {
    what: "an Elasticsearch version for OpenSearch",
    config: on("staging", { "platform:search": { engineVersion: "Elasticsearch_7.10" } }),
    key: "platform:search.engineVersion",
    shows: '"Elasticsearch_7.10"',
  },
  {
    what: "a queue retention over 14 days",
    config: on("staging", { "platform:queue": { messageRetentionDays: 20 } }),
    key: "platform:queue.messageRetentionDays",
    shows: "20",
  },
  {
    what: "a backup plan with no rules",
    config: on("staging", { "platform:backup": { rules: [] } }),
    key: "platform:backup.rules",
    shows: "[]",
  },
  {
    what: "a Cloudflare zone id that is not hex",
    config: on("prod", { "platform:edge": { zoneId: "zone-1" } }),
    key: "platform:edge.zoneId",
    shows: '"zone-1"',
  },
  {
    what: "an unknown WAF mode",
    config: on("prod", { "platform:edge": { wafMode: "challenge" } }),
    key: "platform:edge.wafMode",
    shows: '"challenge"',
  },
  {
    what: "a replication lag alert under 10 s",
    config: on("prod", { "platform:replication": { lagAlertSeconds: 5 } }),
    key: "platform:replication.lagAlertSeconds",
    shows: "5",
  },
  {
    what: "a Prometheus retention in words",
    config: on("staging", { "platform:observability": { metricsRetention: "15 days" } }),
    key: "platform:observability.metricsRetention",
    shows: '"15 days"',
  },
  {
    what: "a Slack channel without #",
    config: on("staging", { "platform:observability": { alerting: { slackChannel: "alerts" } } }),
    key: "platform:observability.alerting.slackChannel",
    shows: '"alerts"',
  },
  {
    what: "an e-mail receiver that is not an address",
    config: on("staging", {
      "platform:observability": { alerting: { ...email, emailTo: "oncall" } },
    }),
    key: "platform:observability.alerting.emailTo",
    shows: '"oncall"',
  },
  {
    what: "a port above 65535",
    config: withService({ port: 70000 }),
    key: svcKey("port"),
    shows: "70000",
  },
  {
    what: "a cron schedule with six fields",
    config: withJob({ schedule: "0 0 3 * * *" }),
    key: jobKey("schedule"),
    shows: '"0 0 3 * * *"',
  },
  {
    what: "an hour 24 in a schedule",
    config: withJob({ schedule: "0 24 * * *" }),
    key: jobKey("schedule"),
    shows: '"0 24 * * *"',
  },
  {
    what: "an unknown concurrency policy",
    config: withJob({ concurrencyPolicy: "Queue" }),
    key: jobKey("concurrencyPolicy"),
    shows: '"Queue"',
  },
  {
    what: "an unknown exposure kind",
    config: withService({ exposure: { kind: "nodePort" } }),
    key: svcKey("exposure.kind"),
    shows: '"nodePort"',
  },
  {
    what: "an environment variable name with a hyphen",
    config: withService({ env: { "LOG-LEVEL": "debug" } }),
    key: svcKey("env"),
    shows: '"LOG-LEVEL"',
  },
  {
    what: "an ACME e-mail that is not an address",
    config: on("staging", { "platform:workloads": { acmeEmail: "ops" } }),
    key: "platform:workloads.acmeEmail",
    shows: '"ops"',
  },
  {
    what: "in-cluster exporters on aws",
    config: on("staging", { "platform:observability": { inClusterExporters: true } }),
    key: "platform:observability.inClusterExporters",
    shows: "true",
  },
  {
    what: "the GCP standby on a gcp target",
    config: on("gcp", { "platform:standby": "gcp" }),
    key: "platform:standby",
    shows: '"gcp"',
  },
  {
    what: "a search domain on gcp",
    config: on("gcp", { "platform:search": { enabled: true } }),
    key: "platform:search.enabled",
    shows: "true",
  },
  {
    what: "a replica region equal to the primary",
    config: on("prod", { "platform:aws": { region: "us-east-1", replicaRegion: "us-east-1" } }),
    key: "platform:aws.replicaRegion",
    shows: '"us-east-1"',
  },
  {
    what: "replication settings without a standby",
    config: on("staging", { "platform:replication": { lagAlertSeconds: 60 } }),
    key: "platform:replication",
    shows: "is set",
  },
  {
    what: "a misspelt key inside a section",
    config: on("staging", { "platform:database": { backupRetentionDay: 7 } }),
    key: "platform:database.backupRetentionDay",
    shows: "unknown key",
  },
  {
    what: "a replica count of zero",
    config: withService({ replicas: 0 }),
    key: svcKey("replicas"),
    shows: "0",
  },
]);

export const badConfigs: readonly BadConfig[] = [
  ...regions,
  ...namespaces,
  ...secrets,
  ...cidr,
  ...names,
  ...hosts,
  ...timeZones,
  ...images,
  ...quantities,
  ...consistency,
  ...readable,
  ...earlier,
];
