import * as fs from "node:fs";
import * as path from "node:path";
import {
  degradedVerdicts,
  effectiveLevels,
  PolicyPackProcess,
  vanishedVerdicts,
  type DegradedVerdict,
  type PolicyDiagnostic,
  type PolicyInfo,
  type PolicyPackConfig,
} from "./analyzer";
import { checkDependencies } from "./chains";
import { runProgram } from "./program";
import { readStackSettings } from "./project";
import type { RecordedResource } from "./recorder";
import { toDisplay } from "./values";
import type { UnrenderedChart } from "./mocks";
import {
  toReportResource,
  type HelmRelease,
  type PlanReport,
  type UnexpandedComponent,
} from "./report";

export interface PlanOptions {
  /** Pulumi project folder. */
  readonly dir: string;
  readonly stack: string;
  /** Policy pack folder; undefined to skip policy analysis. */
  readonly policyPack?: string;
  /** Policy config file (as `--policy-pack-config` takes); defaults to `Pulumi.<stack>.policy.json` beside the stack. */
  readonly policyConfig?: string;
  /** Behave like the first preview of an empty stack: no computed outputs are known. */
  readonly preview?: boolean;
  /**
   * Address of a running server of `policyPack` to use instead of starting one (tools/plan/lanes.ts
   * shares one between the plans it runs one after another); it is configured for this stack.
   */
  readonly policyPackAddress?: string;
  /**
   * In preview, the verdicts of the same stack's update plan: each one the preview does not
   * reach is reported as degraded.
   */
  readonly updateVerdicts?: readonly PolicyDiagnostic[];
}

/**
 * Plans one stack offline: runs its program under the recording monitor, then sends every
 * resource to the policy pack over the analyzer protocol, as `pulumi preview --policy-pack` does.
 */
export async function planStack(options: PlanOptions): Promise<PlanReport> {
  const settings = readStackSettings(options.dir, options.stack);
  const preview = options.preview ?? false;
  const programStarted = performance.now();
  const run = await runProgram(settings, { preview });
  const programMs = performance.now() - programStarted;
  const planPeakMemoryMb = () => process.resourceUsage().maxRSS / 1024;
  const report: PlanReport = {
    project: settings.project,
    stack: settings.stack,
    preview,
    resources: run.resources.map(toReportResource),
    outputs: toDisplay(run.outputs),
    violations: [],
    errors: run.errors,
    stats: { programMs, policyMs: 0, planPeakMemoryMb: planPeakMemoryMb(), packPeakMemoryMb: 0 },
    slowChain: checkDependencies(run.resources),
    calls: run.calls,
    guessedCalls: run.calls.filter((c) => c.answer === "unknown" || c.answer === "unanswered"),
    unexpanded: unexpandedComponents(run.resources, run.unrenderedCharts),
    helmReleases: helmReleases(run.resources),
    ...(run.projectMocksFile ? { projectMocksFile: run.projectMocksFile } : {}),
  };
  if (!options.policyPack || run.errors.length > 0) return report;

  const policyStarted = performance.now();
  const pack = options.policyPackAddress
    ? PolicyPackProcess.connect(options.policyPackAddress)
    : await PolicyPackProcess.start(options.policyPack);
  try {
    const info = await pack.info();
    const policyConfig = readPolicyConfig(
      settings.projectDir,
      settings.stack,
      options.policyConfig,
    );
    await pack.configure(
      policyConfig,
      info.policies.map((p) => p.name),
    );
    await pack.configureStack({
      project: settings.project,
      stack: settings.stack,
      organization: "organization",
      dryRun: preview,
      config: settings.config,
      secretKeys: settings.secretKeys,
    });
    const violations = await analyzeAll(pack, run.resources);
    return {
      ...report,
      stats: {
        programMs,
        policyMs: performance.now() - policyStarted,
        planPeakMemoryMb: planPeakMemoryMb(),
        packPeakMemoryMb: pack.peakMemoryMb(),
      },
      violations,
      degraded: previewDegraded(violations, info.policies, policyConfig, options),
      policyPack: { name: info.name, version: info.version, policies: info.policies.length },
    };
  } finally {
    await pack.stop();
  }
}

/** Mandatory verdicts lost to unknown values, then any update verdict the preview lacks. */
function previewDegraded(
  violations: readonly PolicyDiagnostic[],
  policies: readonly PolicyInfo[],
  policyConfig: PolicyPackConfig,
  options: PlanOptions,
): DegradedVerdict[] {
  const unknown = degradedVerdicts(violations, effectiveLevels(policies, policyConfig), policies);
  if (!options.preview || !options.updateVerdicts) return unknown;
  return [...unknown, ...vanishedVerdicts(options.updateVerdicts, violations, policies, unknown)];
}

async function analyzeAll(
  pack: PolicyPackProcess,
  resources: readonly RecordedResource[],
): Promise<PolicyDiagnostic[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const providerOf = (r: RecordedResource) =>
    r.provider ? byUrn.get(r.provider.split("::").slice(0, -1).join("::")) : undefined;
  const violations: PolicyDiagnostic[] = [];
  // The engine analyzes every resource it registers, the stack and components included.
  for (const r of resources) violations.push(...(await pack.analyze(r, providerOf(r))));
  violations.push(...(await pack.analyzeStack(resources, providerOf)));
  return violations;
}

function readPolicyConfig(projectDir: string, stack: string, file?: string): PolicyPackConfig {
  const candidate = file ?? path.join(projectDir, `Pulumi.${stack}.policy.json`);
  if (!fs.existsSync(candidate)) {
    if (file) throw new Error(`policy config ${file} does not exist`);
    return {};
  }
  return JSON.parse(fs.readFileSync(candidate, "utf8")) as PolicyPackConfig;
}

/**
 * Components whose children never register here: multi-language components (their provider
 * builds the children at deploy time, e.g. awsx, eks, `helm.v4.Chart`, `yaml.v2.*`), and local
 * Helm charts whose templates need Helm to render.
 */
function unexpandedComponents(
  resources: readonly RecordedResource[],
  charts: readonly UnrenderedChart[],
): UnexpandedComponent[] {
  const remote = resources
    .filter((r) => r.remote && !r.expanded)
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      reason: "a multi-language component: its provider builds its children at deploy time",
    }));
  const unrendered = charts.map((c) => {
    const chart = resources.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Chart" && r.name === c.release,
    );
    return {
      urn: chart?.urn ?? "",
      type: "kubernetes:helm.sh/v3:Chart",
      name: c.release,
      reason: c.reason,
    };
  });
  return [...remote, ...unrendered];
}

function helmReleases(resources: readonly RecordedResource[]): HelmRelease[] {
  return resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => {
      const display = toDisplay(r.inputs) as Record<string, unknown>;
      return {
        urn: r.urn,
        name: r.name,
        chart: typeof display.chart === "string" ? display.chart : "",
        version: typeof display.version === "string" ? display.version : "",
      };
    });
}

export function mandatoryViolations(report: PlanReport): PolicyDiagnostic[] {
  return report.violations.filter((v) => v.enforcementLevel === "mandatory");
}
