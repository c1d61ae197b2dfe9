import { waitsFor } from "./chains";
import { cloudOf, type PlanReport, type ReportResource } from "./report";

/** Clouds in the order their subgraphs are drawn, with their titles. */
const cloudTitles: Readonly<Record<string, string>> = {
  cloudflare: "Cloudflare",
  aws: "AWS",
  gcp: "GCP",
  kubernetes: "Kubernetes",
};

/** Resource families that say nothing about where a component runs. */
const neutralClouds = new Set(["pulumi", "random", "platform"]);

interface Component {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly cloud: string;
}

const nodeId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

/**
 * The component-level architecture of a planned stack as a Mermaid flowchart: each of the
 * program's top-level components is a node inside the subgraph of the cloud most of its
 * resources belong to; an edge `a --> b` says that a resource of `a` waits for one of `b`
 * (an input, an explicit dependency or its provider). Drawn from the plan alone, so the
 * diagram changes only when what the program builds changes.
 */
export function mermaidDiagram(report: PlanReport): string {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const stack = report.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const topLevel = report.resources.filter(
    (r) => stack !== undefined && r.parent === stack.urn && r.type.startsWith("platform:"),
  );
  const componentOf = new Map<string, string>();
  const owner = (r: ReportResource): string | undefined => {
    const known = componentOf.get(r.urn);
    if (known !== undefined) return known;
    let current: ReportResource | undefined = r;
    while (current && current.parent !== stack?.urn) current = byUrn.get(current.parent);
    const found = current && topLevel.includes(current) ? current.urn : undefined;
    if (found) componentOf.set(r.urn, found);
    return found;
  };

  const counts = new Map<string, Map<string, number>>();
  for (const r of report.resources) {
    const component = owner(r);
    const cloud = cloudOf(r.type);
    if (component === undefined || neutralClouds.has(cloud)) continue;
    const row = counts.get(component) ?? new Map<string, number>();
    row.set(cloud, (row.get(cloud) ?? 0) + 1);
    counts.set(component, row);
  }
  const components: Component[] = topLevel.map((c) => {
    const row = [...(counts.get(c.urn) ?? new Map<string, number>()).entries()];
    row.sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    return {
      urn: c.urn,
      name: c.name,
      type: c.type.split(":")[2] ?? c.type,
      cloud: row[0]?.[0] ?? "platform",
    };
  });

  const edges = new Set<string>();
  for (const r of report.resources) {
    const from = owner(r);
    if (from === undefined) continue;
    for (const dep of waitsFor(r)) {
      if (dep === r.parent) continue;
      const target = byUrn.get(dep);
      const to = target && owner(target);
      if (to !== undefined && to !== from) edges.add(`${from}\n${to}`);
    }
  }
  const nameOf = new Map(components.map((c) => [c.urn, c.name]));

  const lines = ["flowchart LR"];
  const clouds = [...new Set(components.map((c) => c.cloud))].sort((a, b) => {
    const order = Object.keys(cloudTitles);
    const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  for (const cloud of clouds) {
    lines.push(`  subgraph ${nodeId(`cloud_${cloud}`)}["${cloudTitles[cloud] ?? cloud}"]`);
    for (const c of components
      .filter((x) => x.cloud === cloud)
      .sort((a, b) => a.name.localeCompare(b.name))) {
      lines.push(`    ${nodeId(c.name)}["${c.name}<br/>${c.type}"]`);
    }
    lines.push("  end");
  }
  const edgeLines = [...edges]
    .map((e) => e.split("\n").map((urn) => nodeId(nameOf.get(urn) ?? urn)))
    .map(([from, to]) => `  ${from} --> ${to}`)
    .sort();
  return `${[...lines, ...edgeLines].join("\n")}\n`;
}
