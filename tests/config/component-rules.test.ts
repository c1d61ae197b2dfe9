import { strict as assert } from "node:assert";
import { edgeDefaults, edgeRuleProblems } from "../../components/edge";
import { componentProblemLine } from "../../config/component-problems";
import { problems } from "../support/config";

const onGcp = {
  tier: "staging",
  target: "gcp",
  gcp: { project: "platform-staging", region: "europe-west1" },
  cache: { nodes: 1 },
};
const prodWithStandby = {
  tier: "prod",
  target: "aws",
  standby: "gcp",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
  gcp: { project: "platform-prod-standby", region: "us-central1" },
};

describe("Stack config reports a component's own rules by key", () => {
  it("names platform:database.instanceClass for a Cloud SQL tier Cloud SQL refuses, on target gcp", () => {
    assert.deepEqual(problems({ ...onGcp, database: { instanceClass: "db-custom-3-8192" } }), [
      'platform:database.instanceClass: "db-custom-3-8192" is invalid: 3 vCPUs: expected 1 or an even number from 2 to 96 (on target "gcp")',
    ]);
  });

  it("names platform:database.engineVersion for a version the GCP standby's Cloud SQL does not offer", () => {
    // RDS offers PostgreSQL 17; Cloud SQL, as the platform pins it, does not.
    const found = problems({ ...prodWithStandby, database: { engineVersion: "17" } });
    assert.ok(
      found.includes(
        'platform:database.engineVersion: "17" is not offered; expected one of 14, 15, 16 (on the GCP standby)',
      ),
      found.join("\n"),
    );
  });

  it("names platform:cache.nodeType for a size Memorystore has no instance for", () => {
    assert.deepEqual(problems({ ...onGcp, cache: { nodes: 1, nodeType: "512gb" } }), [
      'platform:cache.nodeType: "512gb" has no Memorystore size; use "<n>gb" (1-300) or one of cache.t4g.micro, cache.t4g.small, cache.t4g.medium, cache.m6g.large, cache.r6g.large, cache.r6g.xlarge (on target "gcp")',
    ]);
  });
});

describe("A component problem as a config line", () => {
  const keys = ["engineVersion", "nodes"];

  it("puts the key its arg names under the section", () => {
    assert.equal(
      componentProblemLine("cache", keys, "nodes: 1; needs 2", 'on target "gcp"'),
      'platform:cache.nodes: 1; needs 2 (on target "gcp")',
    );
    assert.equal(
      componentProblemLine("cache", keys, 'engineVersion "6.2" is not offered', "here"),
      'platform:cache.engineVersion: "6.2" is not offered (here)',
    );
  });

  it("reports a problem that names no setting against the section", () => {
    assert.equal(
      componentProblemLine("cache", keys, "placement.target: local", "here"),
      "platform:cache: placement.target: local (here)",
    );
  });
});

describe("Stack config reports the Edge component's rules by the keys the component names", () => {
  it("finds the same broken rules in platform:edge as the component in its args", () => {
    // No ingress controller (no acmeEmail), so neither origin comes from the stack.
    const lines = problems({
      ...prodWithStandby,
      workloads: {},
      edge: { enabled: true, zoneName: "example.com", hosts: ["app", "api"] },
    });
    const component = edgeRuleProblems(
      {
        ...edgeDefaults.prod,
        zone: { name: "example.com" },
        hosts: ["app", "api"],
        origins: {},
        accountId: undefined,
      },
      "platform:edge.",
    );
    assert.deepEqual(
      component.map((p) => p.key),
      ["platform:edge.origins.aws", "platform:edge.accountId", "platform:edge.origins.gcp"],
    );
    assert.deepEqual(
      lines.map((line) => line.slice(0, line.indexOf(":", "platform:".length))),
      component.map((p) => p.key),
    );
  });
});
