import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { PlanRun } from "./cache";
import { repoRoot } from "./cache";
import { exitCodes } from "./outcome";

const tsxDist = path.join(repoRoot, "node_modules", "tsx", "dist");
export const tsxCli = path.join(tsxDist, "cli.mjs");
const workerScript = path.join(repoRoot, "tools", "plan", "worker.ts");
/**
 * The loader flags tsx's CLI gives the process it starts. The worker gets them directly: through
 * the CLI it would be a grandchild, which outlives its parent when the IPC channel closes.
 */
const tsxLoader = [
  "--require",
  path.join(tsxDist, "preflight.cjs"),
  "--import",
  pathToFileURL(path.join(tsxDist, "loader.mjs")).href,
];

export interface PlanRequest {
  readonly id: number;
  readonly args: readonly string[];
}

export interface PlanAnswer extends PlanRun {
  readonly id: number;
}

/** The exit codes after which a worker plans again: the program ran to completion, or never ran. */
export function reusableAfter(status: number | null): boolean {
  return (
    status === exitCodes.clean || status === exitCodes.violations || status === exitCodes.usage
  );
}

/**
 * The parent's side of a plan worker (tools/plan/worker.ts): runs the plan CLI's arguments in
 * it one at a time and hands back what the CLI printed and its exit code. A worker that exits
 * during a run answers that run as a planner failure; one whose run did not leave it reusable
 * is stopped, and `usable` turns false so the owner starts another.
 */
export class PlanWorkerProcess {
  private nextId = 0;
  private retired = false;
  private readonly pending = new Map<number, (run: PlanRun) => void>();
  private output = "";

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.keepOutput(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => this.keepOutput(chunk));
    child.on("message", (answer: PlanAnswer) => {
      const resolve = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      resolve?.({ status: answer.status, stdout: answer.stdout, stderr: answer.stderr });
    });
    child.on("exit", (code, signal) => {
      this.retired = true;
      const reason = `the plan worker exited (${signal ?? String(code)}) during the run`;
      for (const resolve of this.pending.values()) {
        resolve({
          status: exitCodes["planner-failed"],
          stdout: "",
          stderr: `the planner failed: ${reason}\n${this.output}`,
        });
      }
      this.pending.clear();
    });
  }

  static start(): PlanWorkerProcess {
    const child = spawn(process.execPath, [...tsxLoader, workerScript], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    return new PlanWorkerProcess(child);
  }

  /** False once the worker has exited or was retired after a run that may have left work behind. */
  get usable(): boolean {
    return !this.retired && this.child.exitCode === null && this.child.signalCode === null;
  }

  async run(args: readonly string[]): Promise<PlanRun> {
    const id = this.nextId++;
    const answer = new Promise<PlanRun>((resolve) => this.pending.set(id, resolve));
    const request: PlanRequest = { id, args };
    this.child.send(request);
    const run = await answer;
    if (!reusableAfter(run.status)) void this.stop();
    return run;
  }

  /** Closes the channel, on which the worker exits, and waits until it has. */
  async stop(): Promise<void> {
    this.retired = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (child.connected) child.disconnect();
    else child.kill();
    await exited;
  }

  /** What the worker printed outside any run (a crash's trace), kept for the failure message. */
  private keepOutput(chunk: string): void {
    this.output = (this.output + chunk).slice(-8000);
  }
}
