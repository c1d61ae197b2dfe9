import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Table from "cli-table3";
import { stringify } from "yaml";
import type { PlanReport } from "../plan/report";

/**
 * Plans synthetic prod stacks of 10, 100 and 500 services through the offline plan, policy
 * analysis included, and prints what each cost; then the longest chain of slow creates of
 * every real stack. Figures only: nothing here passes or fails.
 */
const repoRoot = path.resolve(__dirname, "..", "..");
const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
const cli = path.join(repoRoot, "tools", "plan", "cli.ts");
const sizes = [10, 100, 500];

/** Every service asks for this much, per replica; the quota grows with the count. */
const perReplica = { requests: { cpu: 50, memoryMi: 64 }, limits: { cpu: 100, memoryMi: 128 } };
const replicas = 3;

function syntheticConfig(services: number): Record<string, unknown> {
  // Room for every service at its autoscaling maximum (twice its replicas).
  const pods = services * replicas * 2;
  return {
    config: {
      "platform:tier": "prod",
      "platform:target": "aws",
      "platform:aws": { region: "us-east-1", replicaRegion: "us-west-2" },
      "platform:workloads": {
        acmeEmail: "platform-team@example.com",
        // The prod quota holds a few dozen services; this one holds every pod of the stack.
        quota: {
          requestsCpu: `${pods * perReplica.requests.cpu}m`,
          requestsMemory: `${pods * perReplica.requests.memoryMi}Mi`,
          limitsCpu: `${pods * perReplica.limits.cpu}m`,
          limitsMemory: `${pods * perReplica.limits.memoryMi}Mi`,
          pods,
        },
        services: Array.from({ length: services }, (_, i) => ({
          name: `svc-${String(i).padStart(3, "0")}`,
          image: `bench/svc:1.0.${i}`,
          port: 8080,
          replicas,
          resources: {
            requests: {
              cpu: `${perReplica.requests.cpu}m`,
              memory: `${perReplica.requests.memoryMi}Mi`,
            },
            limits: { cpu: `${perReplica.limits.cpu}m`, memory: `${perReplica.limits.memoryMi}Mi` },
          },
          autoscaling: { min: replicas, max: replicas * 2 },
          secretEnv: { DATABASE_URL: { secret: "connections", key: "database-url" } },
          ...(i % 10 === 0 && {
            exposure: { kind: "ingress", host: `svc-${i}.bench.example.com`, path: "/" },
          }),
          egress: [{ port: 5432, cidr: "10.10.0.0/16" }],
        })),
      },
    },
  };
}

interface Run {
  readonly report: PlanReport;
  readonly wallMs: number;
}

function plan(dir: string, stack: string, withPolicy: boolean): Run {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "plan.json");
  const args = [tsx, cli, "--dir", dir, "--stack", stack, "--quiet", "--json", json];
  const started = performance.now();
  const result = spawnSync(process.execPath, withPolicy ? args : [...args, "--no-policy"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `plan of ${dir} --stack ${stack} failed (exit ${String(result.status)}):\n${result.stderr}`,
    );
  }
  return { report: JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport, wallMs };
}

function syntheticProject(services: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${services}-`));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    stringify({
      name: "platform",
      runtime: { name: "nodejs", options: { typescript: true } },
      main: path.join(repoRoot, "index.ts"),
    }),
  );
  fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), stringify(syntheticConfig(services)));
  return dir;
}

/** Resources the stack would create, as `npm run plan` counts them (the stack itself aside). */
const countResources = (report: PlanReport) =>
  report.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mb = (value: number) => value.toFixed(0);
const ratio = (a: number, b: number) => `x${(b / a).toFixed(1)}`;

function realStacks(): { label: string; dir: string; stack: string }[] {
  const stacksIn = (dir: string) =>
    fs
      .readdirSync(dir)
      .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  const examples = path.join(repoRoot, "examples");
  const dirs = [
    repoRoot,
    ...(fs.existsSync(examples)
      ? fs
          .readdirSync(examples)
          .sort()
          .map((d) => path.join(examples, d))
          .filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml")))
      : []),
  ];
  return dirs.flatMap((dir) =>
    stacksIn(dir).map((stack) => ({
      label: `${path.relative(repoRoot, dir) || "."} ${stack}`,
      dir,
      stack,
    })),
  );
}

function main(): void {
  const runs = sizes.map((n) => {
    process.stderr.write(`planning ${n} services ...\n`);
    const dir = syntheticProject(n);
    try {
      return { services: n, ...plan(dir, "bench", true) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const table = new Table({
    head: [
      "services",
      "resources",
      "wall s",
      "program s",
      "policy s",
      "plan peak MB",
      "pack peak MB",
      "violations",
    ],
    style: { head: [], border: [] },
  });
  const resources = (r: Run) => countResources(r.report);
  for (const r of runs) {
    const stats = r.report.stats;
    table.push([
      String(r.services),
      String(resources(r)),
      seconds(r.wallMs),
      seconds(stats?.programMs ?? 0),
      seconds(stats?.policyMs ?? 0),
      mb(stats?.planPeakMemoryMb ?? 0),
      mb(stats?.packPeakMemoryMb ?? 0),
      String(r.report.violations.filter((v) => v.enforcementLevel === "mandatory").length),
    ]);
  }
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  table.push([
    `${first.services} -> ${last.services}`,
    ratio(resources(first), resources(last)),
    ratio(first.wallMs, last.wallMs),
    ratio(first.report.stats?.programMs ?? 1, last.report.stats?.programMs ?? 1),
    ratio(first.report.stats?.policyMs ?? 1, last.report.stats?.policyMs ?? 1),
    ratio(first.report.stats?.planPeakMemoryMb ?? 1, last.report.stats?.planPeakMemoryMb ?? 1),
    ratio(first.report.stats?.packPeakMemoryMb ?? 1, last.report.stats?.packPeakMemoryMb ?? 1),
    "",
  ]);
  console.log("Offline plan with policy analysis, synthetic prod stacks (aws target):");
  console.log(table.toString());

  const chains = new Table({
    head: ["stack", "resources", "minutes", "longest chain of slow creates"],
    colWidths: [36, 11, 9, 80],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const s of realStacks()) {
    process.stderr.write(`planning ${s.label} ...\n`);
    const { report } = plan(s.dir, s.stack, false);
    const chain = report.slowChain.chain
      .map((l) => `${l.name} (${l.type.split(":")[2]}, ${l.minutes} min)`)
      .join(" -> ");
    chains.push([
      s.label,
      String(countResources(report)),
      String(report.slowChain.minutes),
      chain || "no slow resources",
    ]);
  }
  console.log("\nLongest chain of slow resources per stack (estimated create minutes):");
  console.log(chains.toString());
}

main();
