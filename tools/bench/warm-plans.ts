import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Table from "cli-table3";
import { repoRoot, type PlanRun } from "../plan/cache";
import { PolicyPackProcess } from "../plan/analyzer";
import { planCommand, packDir } from "../plan/lanes";
import { PlanWorkerProcess } from "../plan/worker-process";

/**
 * What a plan costs started cold (a new CLI process, as `npm run plan` runs) and in a warm
 * plan worker (tools/plan/worker.ts, as `npm test` runs its plans), for a two-resource
 * program and for the platform's own stacks. Both use one policy pack already serving, so
 * the figures compare the start-up of the planner and program alone. Figures only: nothing
 * here passes or fails; run it on an idle machine.
 */

const repeats = 3;

const subjects = [
  {
    label: "two resources (tests/fixtures/plan-resource-reference)",
    dir: "tests/fixtures/plan-resource-reference",
    stack: "dev",
  },
  { label: "platform dev", dir: ".", stack: "dev" },
  { label: "platform prod", dir: ".", stack: "prod" },
];

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function argsFor(subject: (typeof subjects)[number], pack: string): string[] {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "warm-bench-")), "plan.json");
  return [
    "--dir",
    subject.dir,
    "--stack",
    subject.stack,
    "--quiet",
    "--json",
    json,
    "--policy-pack-address",
    pack,
  ];
}

function checked(run: PlanRun, label: string): void {
  if (run.status !== 0) {
    throw new Error(`plan of ${label} exited ${String(run.status)}:\n${run.stderr}`);
  }
}

function cold(args: readonly string[], label: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, planCommand(args), {
    cwd: repoRoot,
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  checked({ status: result.status, stdout: result.stdout, stderr: result.stderr }, label);
  return ms;
}

async function warm(
  worker: PlanWorkerProcess,
  args: readonly string[],
  label: string,
): Promise<number> {
  const started = performance.now();
  checked(await worker.run(args), label);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const pack = await PolicyPackProcess.start(packDir);
  // Started at its first plan, so that the first figure includes the worker's own start.
  let worker: PlanWorkerProcess | undefined;
  const table = new Table({
    head: [
      "program",
      "cold CLI (median s)",
      "worker, first plan (s)",
      "worker, later (median s)",
      "saved per plan",
    ],
  });
  try {
    for (const subject of subjects) {
      process.stderr.write(`planning ${subject.label} ...\n`);
      const coldMs = Array.from({ length: repeats }, () =>
        cold(argsFor(subject, pack.address), subject.label),
      );
      worker ??= PlanWorkerProcess.start();
      const first = await warm(worker, argsFor(subject, pack.address), subject.label);
      const later: number[] = [];
      for (let i = 0; i < repeats; i++)
        later.push(await warm(worker, argsFor(subject, pack.address), subject.label));
      const saved = median(coldMs) - median(later);
      table.push([
        subject.label,
        seconds(median(coldMs)),
        seconds(first),
        seconds(median(later)),
        `${seconds(saved)} s`,
      ]);
    }
  } finally {
    await worker?.stop();
    await pack.stop();
  }
  console.log(table.toString());
  console.log(
    `${repeats} runs each, on ${os.availableParallelism()} core(s). The worker starts at the first plan of the first ` +
      "program, whose figure includes that start; the pack was serving before either.",
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
