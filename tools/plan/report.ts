import Table from "cli-table3";
import type { DegradedVerdict, PolicyDiagnostic } from "./analyzer";
import { describeCall, type PlannedCall } from "./calls";
import type { SlowChain } from "./chains";
import type { Outcome } from "./outcome";
import type { RecordedResource } from "./recorder";
import { toDisplay } from "./values";

export interface PlanReport {
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
  readonly resources: readonly ReportResource[];
  readonly outputs: unknown;
  readonly violations: readonly PolicyDiagnostic[];
  /** Mandatory verdicts that became advisory because a value was unknown (preview only). */
  readonly degraded?: readonly DegradedVerdict[];
  readonly errors: readonly string[];
  readonly stats?: PlanStats;
  /** Longest chain of slow creates, and whether each data store waits on the cluster. */
  readonly slowChain: SlowChain;
  readonly policyPack?: {
    readonly name: string;
    readonly version: string;
    readonly policies: number;
  };
  /** The verdict of the run, and the exit code the CLI gives it (tools/plan/outcome.ts). */
  readonly outcome?: Outcome;
  readonly exitCode?: number;
  /** Every invoke and read the program made, and who answered it. */
  readonly calls?: readonly PlannedCall[];
  /** The calls nobody answered: unknown in preview, a stop in an update. */
  readonly guessedCalls?: readonly PlannedCall[];
  /** Components whose children the plan never saw, so no policy checked them. */
  readonly unexpanded?: readonly UnexpandedComponent[];
  /**
   * Helm releases: one resource each, checked by chart, version and values; Helm renders the
   * chart's objects at deploy time, so no policy sees them, here or in `pulumi preview`.
   */
  readonly helmReleases?: readonly HelmRelease[];
  /** The project's file of answers to calls (plan.mocks.*), when it has one. */
  readonly projectMocksFile?: string;
}

export interface UnexpandedComponent {
  /** The component's URN; "" when only its name is known (a chart whose render failed). */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface HelmRelease {
  readonly urn: string;
  readonly name: string;
  readonly chart: string;
  readonly version: string;
}

/** What the plan cost: wall time per phase and peak memory of each process. */
export interface PlanStats {
  readonly programMs: number;
  readonly policyMs: number;
  readonly planPeakMemoryMb: number;
  readonly packPeakMemoryMb: number;
}

export interface ReportResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly remote: boolean;
  readonly parent: string;
  readonly provider: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  readonly inputs: unknown;
  readonly outputs: unknown;
}

/** The JSON form of a recorded resource: every secret redacted, unknowns marked. */
export function toReportResource(r: RecordedResource): ReportResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    remote: r.remote,
    parent: r.parent,
    provider: r.provider,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    ignoreChanges: r.ignoreChanges,
    additionalSecretOutputs: r.additionalSecretOutputs,
    aliases: r.aliases,
    inputs: toDisplay(r.inputs),
    outputs: toDisplay(r.outputs),
  };
}

/** aws, gcp, kubernetes, cloudflare, random; "platform" for our components. */
export function cloudOf(type: string): string {
  if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
  return type.split(":")[0] ?? type;
}

/** The top-level component a resource belongs to ("(stack)" for direct children of the stack). */
export function componentOf(r: ReportResource, byUrn: ReadonlyMap<string, ReportResource>): string {
  let current: ReportResource | undefined = r;
  let last = r;
  while (current && current.type !== "pulumi:pulumi:Stack") {
    last = current;
    current = byUrn.get(current.parent);
  }
  if (last === r && r.type.startsWith("pulumi:")) return "(stack)";
  return last.type.startsWith("platform:")
    ? `${last.name} (${last.type.split(":")[2]})`
    : "(stack)";
}

export function summaryTable(report: PlanReport): string {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const counts = new Map<string, Map<string, number>>();
  const clouds = new Set<string>();
  for (const r of report.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const component = componentOf(r, byUrn);
    const cloud = cloudOf(r.type);
    clouds.add(cloud);
    const row = counts.get(component) ?? new Map<string, number>();
    row.set(cloud, (row.get(cloud) ?? 0) + 1);
    counts.set(component, row);
  }
  const columns = [...clouds].sort();
  const table = new Table({
    head: ["component", ...columns, "total"],
    style: { head: [], border: [] },
  });
  for (const [component, row] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const cells = columns.map((c) => row.get(c) ?? 0);
    table.push([component, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))]);
  }
  const totals = columns.map((c) =>
    [...counts.values()].reduce((sum, row) => sum + (row.get(c) ?? 0), 0),
  );
  table.push(["total", ...totals.map(String), String(totals.reduce((a, b) => a + b, 0))]);
  return table.toString();
}

/** The resource tree, one line per resource: type, name, and [protect] where set. */
export function tree(report: PlanReport): string {
  const children = new Map<string, ReportResource[]>();
  for (const r of report.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const flags = [r.protect ? "protect" : "", r.remote ? "remote" : ""].filter(Boolean);
      lines.push(
        `${prefix}${last ? "└─ " : "├─ "}${r.type} ${r.name}${flags.length ? ` [${flags.join(", ")}]` : ""}`,
      );
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk("", "");
  return lines.join("\n");
}

export function violationsTable(violations: readonly PolicyDiagnostic[]): string {
  if (violations.length === 0) return "No policy violations.";
  const table = new Table({
    head: ["level", "policy", "resource", "message"],
    colWidths: [11, 36, 40, 60],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const v of violations) {
    const resource = v.urn ? (v.urn.split("::").pop() ?? v.urn) : "(stack)";
    const message = v.message.split("\n").slice(1).join(" ") || v.message;
    table.push([v.enforcementLevel, v.policyName, resource, message]);
  }
  return table.toString();
}

export function degradedTable(degraded: readonly DegradedVerdict[]): string {
  if (degraded.length === 0) return "No verdict degraded.";
  const table = new Table({
    head: ["concern", "policy", "level", "resource", "why"],
    style: { head: [], border: [] },
  });
  for (const d of degraded) {
    const why =
      d.reason === "unknown-value"
        ? `reads unknown ${d.path}`
        : "reached by the update, absent in the preview";
    table.push([d.concern, d.policyName, d.level, d.urn.split("::").pop() ?? d.urn, why]);
  }
  return table.toString();
}

/** The lines that say what the plan could not see: unexpanded components and unanswered calls. */
export function blindSpots(report: PlanReport): string[] {
  const lines: string[] = [];
  const unexpanded = report.unexpanded ?? [];
  if (unexpanded.length > 0) {
    lines.push(
      unexpanded.length === 1
        ? "1 component not expanded; its children are not checked:"
        : `${unexpanded.length} components not expanded; their children are not checked:`,
      ...unexpanded.map((c) => `  ${c.type} ${c.name}: ${c.reason}`),
    );
  }
  const guessed = report.guessedCalls ?? [];
  if (guessed.length > 0 && report.preview) {
    lines.push(
      `${guessed.length} call(s) without an answer, left unknown as in a first preview:`,
      ...guessed.map((c) => `  ${describeCall(c)}`),
    );
  }
  const releases = report.helmReleases ?? [];
  if (releases.length > 0) {
    lines.push(
      `${releases.length} Helm release(s): chart, version and values are checked; the chart's ` +
        "objects are rendered by Helm at deploy time, so no policy sees them (nor in `pulumi preview`):",
      ...releases.map((r) => `  ${r.name}: ${r.chart}${r.version ? `@${r.version}` : ""}`),
    );
  }
  return lines;
}
