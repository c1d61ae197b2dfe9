import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  vanishedVerdicts,
  type PolicyDiagnostic,
  type PolicyInfo,
} from "../../tools/plan/analyzer";
import { CallLedger } from "../../tools/plan/calls";
import { checkDependencies, describeSlowChain } from "../../tools/plan/chains";
import { renderChart } from "../../tools/plan/manifests";
import { exitCodes, outcomeOf } from "../../tools/plan/outcome";
import { regionFrom } from "../../tools/plan/program";
import type { PlanReport } from "../../tools/plan/report";
import { forAnalyzer, resourceSig, secretSig, sigKey, unknownValue } from "../../tools/plan/values";

const report = (extra: Partial<PlanReport>): PlanReport => ({
  project: "p",
  stack: "dev",
  preview: false,
  resources: [],
  outputs: {},
  violations: [],
  errors: [],
  slowChain: { minutes: 0, chain: [], dataStores: [] },
  ...extra,
});

const violation = (policyName: string, urn: string, level = "mandatory"): PolicyDiagnostic => ({
  policyName,
  policyPackName: "platform-policies",
  description: "",
  message: `${policyName} on ${urn}`,
  enforcementLevel: level as PolicyDiagnostic["enforcementLevel"],
  urn,
});

describe("The offline plan's outcome and exit code", () => {
  const cases: [string, Partial<PlanReport>, string, number][] = [
    ["everything seen and no violation", {}, "clean", 0],
    ["the program raised an error", { errors: ["boom"] }, "program-failed", 1],
    [
      "the program stopped only on calls without an answer",
      {
        errors: ["no answer"],
        guessedCalls: [{ kind: "invoke", token: "t", location: "", answer: "unanswered" }],
      },
      "incomplete",
      3,
    ],
    [
      "an unanswered call and another error",
      {
        errors: ["no answer", "boom"],
        guessedCalls: [{ kind: "invoke", token: "t", location: "", answer: "unanswered" }],
      },
      "program-failed",
      1,
    ],
    ["a mandatory violation", { violations: [violation("p", "u")] }, "violations", 2],
    ["an advisory violation only", { violations: [violation("p", "u", "advisory")] }, "clean", 0],
    [
      "a component not expanded",
      { unexpanded: [{ urn: "u", type: "awsx:ec2:Vpc", name: "n", reason: "r" }] },
      "incomplete",
      3,
    ],
    [
      "a mandatory violation beside a component not expanded",
      {
        violations: [violation("p", "u")],
        unexpanded: [{ urn: "u", type: "awsx:ec2:Vpc", name: "n", reason: "r" }],
      },
      "violations",
      2,
    ],
    [
      "a call left unknown in preview",
      { guessedCalls: [{ kind: "read", token: "t", location: "", answer: "unknown" }] },
      "incomplete",
      3,
    ],
  ];
  for (const [when, extra, outcome, code] of cases) {
    it(`is ${outcome} (exit ${code}) when ${when}`, () => {
      const got = outcomeOf(report(extra));
      assert.equal(got, outcome);
      assert.equal(exitCodes[got], code);
    });
  }

  it("keeps 64 for bad usage and 4 for a failure of the planner itself", () => {
    assert.equal(exitCodes.usage, 64);
    assert.equal(exitCodes["planner-failed"], 4);
  });
});

describe("Resource references sent to the policy pack", () => {
  const ref = (urn: string, id?: string) => ({
    [sigKey]: resourceSig,
    urn,
    ...(id === undefined ? {} : { id }),
    packageVersion: "",
  });

  it("become the custom resource's id, as the engine marshals them for analyzers", () => {
    assert.deepEqual(forAnalyzer({ role: ref("urn:role", "worker-1234") }), {
      role: "worker-1234",
    });
  });

  it("stay unknown while the id is unknown (a first preview)", () => {
    assert.deepEqual(forAnalyzer({ role: ref("urn:role", "") }), { role: unknownValue });
    assert.deepEqual(forAnalyzer({ role: ref("urn:role", unknownValue) }), { role: unknownValue });
  });

  it("become a component's URN, inside lists and secrets too", () => {
    const secret = { [sigKey]: secretSig, value: [ref("urn:component")] };
    assert.deepEqual(forAnalyzer({ deps: secret }), {
      deps: { [sigKey]: secretSig, value: ["urn:component"] },
    });
  });
});

describe("Verdicts a preview loses", () => {
  const policies: PolicyInfo[] = [
    {
      name: "aws-s3-bucket-tls-only",
      description: "",
      enforcementLevel: "mandatory",
      severity: "high",
      type: "resource",
      tags: ["encryption"],
      configSchema: {},
    },
  ];
  const bucket = "urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::site";

  it("reports a verdict the update reaches and the preview silently drops", () => {
    const update = [violation("aws-s3-bucket-tls-only", bucket)];
    assert.deepEqual(vanishedVerdicts(update, [], policies, []), [
      {
        policyName: "aws-s3-bucket-tls-only",
        concern: "encryption",
        urn: bucket,
        path: "",
        reason: "absent-in-preview",
        level: "mandatory",
      },
    ]);
  });

  it("counts a 'can't run during preview' diagnostic as not reached", () => {
    const update = [violation("other", bucket, "advisory")];
    const skipped = {
      ...violation("other", bucket, "advisory"),
      message:
        "can't run policy 'other' from policy pack 'x' during preview: string value at .policy can't be known during preview",
    };
    assert.equal(vanishedVerdicts(update, [skipped], policies, []).length, 1);
  });

  it("says nothing when the preview reaches the same verdict", () => {
    const update = [violation("aws-s3-bucket-tls-only", bucket)];
    assert.deepEqual(vanishedVerdicts(update, update, policies, []), []);
  });
});

describe("Mock regions and wording for a program the planner does not know", () => {
  it("takes the region from aws:region, then gcp:region, before any program setting", () => {
    assert.equal(
      regionFrom({ "aws:region": "eu-west-3", "platform:aws": '{"region":"us-west-2"}' }),
      "eu-west-3",
    );
    assert.equal(regionFrom({ "gcp:region": "europe-west1" }), "europe-west1");
    assert.equal(regionFrom({ "platform:aws": '{"region":"us-west-2"}' }), "us-west-2");
    assert.equal(regionFrom({}), "us-east-1");
  });

  it("says nothing about waiting on a cluster when the stack has no cluster", () => {
    const stack = { urn: "urn:s", type: "pulumi:pulumi:Stack", name: "s", parent: "" };
    const bucket = {
      urn: "urn:b",
      type: "aws:s3/bucketV2:BucketV2",
      name: "site",
      parent: "urn:s",
    };
    const none = { provider: "", dependencies: [], propertyDependencies: {} };
    const check = checkDependencies([
      { ...stack, ...none },
      { ...bucket, ...none },
    ]);
    assert.deepEqual(check.dataStores, []);
    assert.doesNotMatch(describeSlowChain(check), /cluster/);
  });

  it("names the program's own frame of a call, relative to its folder", () => {
    const ledger = new CallLedger("/work/project");
    const planner = path.resolve(__dirname, "..", "..", "tools", "plan");
    const stack = [
      "Error",
      `    at wrapped (${planner}/program.ts:10:5)`,
      "    at Object.getAmiOutput (/work/main/node_modules/@pulumi/aws/ec2/getAmi.js:115:27)",
      "    at Object.<anonymous> (/work/project/src/network.ts:12:3)",
    ].join("\n");
    assert.equal(ledger.locate(stack), "src/network.ts:12:3");
  });
});

describe("A Helm chart in a local folder", () => {
  function chart(template: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-"));
    fs.mkdirSync(path.join(dir, "templates"));
    fs.writeFileSync(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 1.0.0\n");
    fs.writeFileSync(path.join(dir, "values.yaml"), "replicas: 2\n");
    fs.writeFileSync(path.join(dir, "templates", "deploy.yaml"), template);
    return dir;
  }

  it("is rendered when its templates only substitute values, release and chart fields", () => {
    const dir = chart(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '{{ .Release.Name }}'\ndata:\n  n: '{{ .Values.replicas }}'\n",
    );
    const render = renderChart(
      JSON.stringify({ path: dir, release_name: "r", namespace: "ns" }),
      "/",
    );
    assert.deepEqual(render, {
      objects: [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "r", namespace: "ns" },
          data: { n: "2" },
        },
      ],
    });
  });

  it("is reported unrendered, naming the template, when a template needs Helm", () => {
    const dir = chart('{{ include "c.labels" . }}\n');
    const render = renderChart(JSON.stringify({ path: dir, release_name: "r" }), "/");
    assert.deepEqual(render, {
      unrendered: 'templates/deploy.yaml uses {{ include "c.labels" . }}, which needs Helm',
    });
  });

  it("is reported unrendered when it comes from a repository", () => {
    const render = renderChart(JSON.stringify({ chart: "redis", release_name: "r" }), "/");
    assert.deepEqual(render, { unrendered: "chart redis is fetched from a repository" });
  });
});
