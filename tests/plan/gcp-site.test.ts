import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { apiOfResourceType, gcpApiUses } from "../../components/gcp/apis";
import { waitsFor } from "../../tools/plan/chains";
import type { PlanReport, ReportResource } from "../../tools/plan/report";
import { repoRoot, runPlanCli } from "../support/run";

const planned = new Map<string, PlanReport>();

/** The stack's plan, planned once for every suite of this file that reads it. */
function plan(args: string[]): PlanReport {
  const key = args.join(" ");
  const known = planned.get(key);
  if (known) return known;
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gcp-site-")), "plan.json");
  const run = runPlanCli([...args, "--quiet", "--json", json]);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
  planned.set(key, report);
  return report;
}

/** Every resource `start` waits for before the engine creates it, however indirectly. */
function waitedFor(report: PlanReport, start: ReportResource): Set<string> {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const queue = [start.urn];
  while (queue.length > 0) {
    const r = byUrn.get(queue.shift()!);
    if (r === undefined) continue;
    for (const next of waitsFor(r)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const serviceType = "gcp:projects/service:Service";
const providerType = "pulumi:providers:gcp";

/** The GCP resources of the site: everything on gcp but the enablements themselves. */
function siteResources(report: PlanReport): ReportResource[] {
  return report.resources.filter((r) => r.type.startsWith("gcp:") && r.type !== serviceType);
}

function enabledApis(report: PlanReport): Map<string, ReportResource> {
  return new Map(
    report.resources
      .filter((r) => r.type === serviceType)
      .map((r) => [(r.inputs as { service: string }).service, r]),
  );
}

/** Resources of the site that may call their API before it is enabled, with that API. */
function unordered(report: PlanReport): string[] {
  const services = enabledApis(report);
  return siteResources(report).flatMap((r) => {
    const api = apiOfResourceType(r.type);
    const service = api && services.get(api);
    if (api === undefined) return [`${r.type} ${r.name}: no API known for this type`];
    if (service === undefined) return [`${r.type} ${r.name}: ${api} is never enabled`];
    return waitedFor(report, r).has(service.urn) ? [] : [`${r.type} ${r.name}: ${api}`];
  });
}

/** kubernetes:* resources on `provider` that could be created before `nodePool` exists. */
function beforeNodes(report: PlanReport, providerName: string, nodePool: string): string[] {
  const pool = report.resources.find(
    (r) => r.type === "gcp:container/nodePool:NodePool" && r.name === nodePool,
  );
  assert.ok(pool, `no node pool ${nodePool}`);
  const onCluster = report.resources.filter(
    (r) =>
      r.type.startsWith("kubernetes:") &&
      r.provider.includes(`pulumi:providers:kubernetes::${providerName}::`),
  );
  assert.ok(onCluster.length > 10, `only ${onCluster.length} resources on ${providerName}`);
  return onCluster.filter((r) => !waitedFor(report, r).has(pool.urn)).map((r) => r.name);
}

for (const [label, args, prefix] of [
  [
    "The gcp-standalone example",
    ["--dir", path.join(repoRoot, "examples/gcp-standalone"), "--stack", "staging"],
    "",
  ],
  ["The prod stack's GCP standby", ["--stack", "prod"], "standby-"],
] as const) {
  describe(`${label}: APIs and ordering on GCP`, function () {
    this.timeout(300_000);
    let report: PlanReport;
    before(() => {
      report = plan([...args]);
    });

    it("enables every API its GCP resources call, before any of them calls it", () => {
      assert.ok(siteResources(report).length > 20);
      assert.deepEqual(unordered(report), []);
    });

    it("enables each API once, known to the platform, and leaves it on when the stack is destroyed", () => {
      const services = report.resources.filter((r) => r.type === serviceType);
      const names = services.map((r) => (r.inputs as { service: string }).service);
      assert.equal(new Set(names).size, names.length);
      for (const s of services) {
        const inputs = s.inputs as Record<string, unknown>;
        assert.ok(Object.keys(gcpApiUses).includes(inputs.service as string));
        assert.equal(inputs.disableOnDestroy, false, `${s.name} would disable its API on destroy`);
        assert.match(s.provider, /::pulumi:providers:gcp::gcp::/);
      }
    });

    it("builds the site through a provider that waits for every enabled API", () => {
      const site = report.resources.find(
        (r) => r.type === providerType && r.name === `${prefix}gcp-site`,
      );
      assert.ok(site, "no site provider");
      const waits = waitedFor(report, site);
      for (const s of enabledApis(report).values()) assert.ok(waits.has(s.urn), s.name);
      for (const r of siteResources(report)) {
        assert.match(r.provider, new RegExp(`::pulumi:providers:gcp::${prefix}gcp-site::`));
      }
    });

    it("creates nothing in the cluster before its node pool exists", () => {
      assert.deepEqual(beforeNodes(report, `${prefix}cluster-k8s`, `${prefix}cluster-nodes`), []);
    });
  });
}

describe("The gcp-standalone example: the deployer's path to GKE", function () {
  this.timeout(300_000);
  it("keeps the API private, admitting only the nodes' subnet, where the deploy runner lives", () => {
    const report = plan([
      "--dir",
      path.join(repoRoot, "examples/gcp-standalone"),
      "--stack",
      "staging",
    ]);
    const cluster = report.resources.find((r) => r.type === "gcp:container/cluster:Cluster");
    assert.ok(cluster);
    const inputs = cluster.inputs as Record<string, Record<string, unknown>>;
    assert.equal(inputs.privateClusterConfig!.enablePrivateEndpoint, true);
    assert.deepEqual(inputs.masterAuthorizedNetworksConfig, {
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [{ cidrBlock: "10.20.0.0/20", displayName: "nodes" }],
    });
  });
});
