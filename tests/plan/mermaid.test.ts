import { strict as assert } from "node:assert";
import { mermaidDiagram } from "../../tools/plan/mermaid";
import type { PlanReport, ReportResource } from "../../tools/plan/report";

const stackUrn = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

function resource(
  type: string,
  name: string,
  parent: string,
  extra: Partial<ReportResource> = {},
): ReportResource {
  return {
    urn: urn(type, name),
    type,
    name,
    custom: !type.startsWith("platform:"),
    remote: false,
    parent,
    provider: "",
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    additionalSecretOutputs: [],
    aliases: [],
    inputs: {},
    outputs: {},
    ...extra,
  };
}

function report(resources: ReportResource[]): PlanReport {
  return {
    project: "p",
    stack: "s",
    preview: false,
    resources: [resource("pulumi:pulumi:Stack", "p-s", ""), ...resources].map((r) =>
      r.type === "pulumi:pulumi:Stack" ? { ...r, urn: stackUrn } : r,
    ),
    outputs: {},
    violations: [],
    errors: [],
    slowChain: { minutes: 0, chain: [], dataStores: [] },
  };
}

describe("The plan's Mermaid architecture diagram", () => {
  const network = resource("platform:index:Network", "network", stackUrn);
  const vpc = resource("aws:ec2/vpc:Vpc", "network-vpc", network.urn);
  const database = resource("platform:index:Database", "database", stackUrn);
  const instance = resource("aws:rds/instance:Instance", "database-instance", database.urn, {
    propertyDependencies: { vpcId: [vpc.urn] },
  });
  const password = resource(
    "random:index/randomPassword:RandomPassword",
    "database-pw",
    database.urn,
  );
  const workloads = resource("platform:index:Workloads", "workloads", stackUrn);
  const secret = resource("kubernetes:core/v1:Secret", "workloads-connections", workloads.urn, {
    dependencies: [instance.urn],
  });
  const deployment = resource("kubernetes:apps/v1:Deployment", "workloads-api", workloads.urn, {
    dependencies: [secret.urn],
  });
  const provider = resource("pulumi:providers:aws", "aws", stackUrn);

  it("draws each component once, inside the subgraph of the cloud most of its resources use", () => {
    const diagram = mermaidDiagram(
      report([network, vpc, database, instance, password, workloads, secret, deployment, provider]),
    );
    assert.equal(
      diagram,
      [
        "flowchart LR",
        '  subgraph cloud_aws["AWS"]',
        '    database["database<br/>Database"]',
        '    network["network<br/>Network"]',
        "  end",
        '  subgraph cloud_kubernetes["Kubernetes"]',
        '    workloads["workloads<br/>Workloads"]',
        "  end",
        "  database --> network",
        "  workloads --> database",
        "",
      ].join("\n"),
    );
  });

  it("draws no edge for dependencies inside one component or on top-level providers", () => {
    const diagram = mermaidDiagram(
      report([
        database,
        { ...instance, provider: `${provider.urn}::id`, propertyDependencies: {} },
        provider,
      ]),
    );
    assert.doesNotMatch(diagram, /-->/);
  });
});
