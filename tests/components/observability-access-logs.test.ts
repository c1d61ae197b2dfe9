import { strict as assert } from "node:assert";
import { Observability, type ObservabilityArgs } from "../../components/observability";
import { settle, useMocks, type Recorded } from "../support/mocks";

const issuer = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";

function args(overrides: Partial<ObservabilityArgs> = {}): ObservabilityArgs {
  return {
    target: "aws",
    tier: "prod",
    namespace: "monitoring",
    clusterName: "platform-prod",
    region: "us-east-1",
    scrapeTargets: [],
    receivers: { emailTo: "team@example.com" },
    clusterIdentity: {
      oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${issuer}`,
      oidcIssuer: issuer,
    },
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    tags: { project: "platform", tier: "prod" },
    ...overrides,
  };
}

type Config = { filters: string; outputs: string };
const fluentConfig = (recorded: Recorded) =>
  (
    recorded.inputs(recorded.one("kubernetes:helm.sh/v3:Release", "observability-logging"))
      .values as { config: Config }
  ).config;

describe("Observability on aws in prod: the edge's access logs kept 1 year (seed 003)", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Observability("observability", args());
    await settle();
  });

  it("keeps them in a log group of their own for 365 days, encrypted with its own key, protected", () => {
    const group = recorded.one("aws:cloudwatch/logGroup:LogGroup", "observability-access-logs");
    const inputs = recorded.inputs(group);
    assert.equal(inputs.name, "/platform/platform-prod/access");
    assert.equal(inputs.retentionInDays, 365);
    const key = recorded.one("aws:kms/key:Key", "observability-access-logs-key");
    assert.equal(inputs.kmsKeyId, key.outputs.arn);
    assert.equal(group.protect, true);
  });

  it("lets CloudWatch Logs use that key for that log group only", () => {
    const key = recorded.inputs(recorded.one("aws:kms/key:Key", "observability-access-logs-key"));
    const policy = JSON.parse(key.policy as string) as {
      Statement: { Principal: { Service?: string }; Condition?: unknown }[];
    };
    const logs = policy.Statement.find(
      (s) => s.Principal.Service === "logs.us-east-1.amazonaws.com",
    );
    assert.ok(logs, "no statement for CloudWatch Logs");
    assert.match(JSON.stringify(logs.Condition), /log-group:\/platform\/platform-prod\/access/);
  });

  it("re-tags the ingress controller's records access.* and drops them from the container stream", () => {
    const { filters } = fluentConfig(recorded);
    assert.match(filters, /Name kubernetes\n {4}Match kube\.\*/);
    assert.match(
      filters,
      /Name rewrite_tag\n {4}Match kube\.\*\n {4}Rule \$kubernetes\['namespace_name'\] \^ingress-nginx\$ access\.\$TAG false\n/,
    );
    // The kubernetes filter must run first: the rule reads the metadata it adds.
    assert.ok(filters.indexOf("Name kubernetes") < filters.indexOf("Name rewrite_tag"));
  });

  it("ships access.* to the access log group, and only kube.* to the containers' group", () => {
    const sections = fluentConfig(recorded).outputs.split("[OUTPUT]").slice(1);
    assert.deepEqual(
      sections.map((s) => [/Match (\S+)/.exec(s)?.[1], /log_group_name (\S+)/.exec(s)?.[1]]),
      [
        ["kube.*", "/platform/platform-prod/containers"],
        ["access.*", "/platform/platform-prod/access"],
      ],
    );
  });

  it("lets Fluent Bit's role write both log groups and nothing else", () => {
    const role = recorded.one("aws:iam/rolePolicy:RolePolicy", "observability-logging-policy");
    const policy = JSON.parse(recorded.inputs(role).policy as string) as {
      Statement: { Resource: string[] }[];
    };
    const groups = ["observability-logs", "observability-access-logs"].map(
      (n) => recorded.one("aws:cloudwatch/logGroup:LogGroup", n).outputs.arn as string,
    );
    assert.deepEqual(
      policy.Statement[0]!.Resource,
      groups.flatMap((g) => [g, `${g}:log-stream:*`]),
    );
  });
});

describe("Observability on gcp: no access log rewrite", () => {
  it("keeps the chart's Kubernetes filter alone", async () => {
    const recorded = useMocks();
    new Observability(
      "observability",
      args({ target: "gcp", gcpProject: "p", region: "us-central1", clusterIdentity: undefined }),
    );
    await settle();
    assert.doesNotMatch(fluentConfig(recorded).filters, /rewrite_tag/);
  });
});
