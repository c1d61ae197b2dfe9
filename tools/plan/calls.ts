import * as path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What the program asked of the cloud besides creating resources: invokes (data sources,
 * `getAuthorizationToken`, ...) and reads (`Resource.get`, `StackReference`), and who answered
 * each one offline.
 */
export interface PlannedCall {
  readonly kind: "invoke" | "read";
  /** The invoke's token, or the type of the object read. */
  readonly token: string;
  /** For a read, the id asked for. */
  readonly id?: string;
  /** `file:line:column` in the program, relative to the project folder, or "" when unknown. */
  readonly location: string;
  /**
   * `project`: the project's mocks file; `planner`: the planner's own mocks; `unknown`: no
   * answer, so the result stayed unknown (preview only); `unanswered`: no answer, the program
   * could not go on (update mode).
   */
  readonly answer: "project" | "planner" | "unknown" | "unanswered";
}

/** The calls of one program run, in the order the program made them. */
export class CallLedger {
  readonly calls: PlannedCall[] = [];

  constructor(readonly projectDir: string) {}

  note(call: PlannedCall): void {
    this.calls.push(call);
  }

  /** Calls whose values the plan guessed (unknown) or could not give (unanswered). */
  withoutAnswer(): PlannedCall[] {
    return this.calls.filter((c) => c.answer === "unknown" || c.answer === "unanswered");
  }

  /**
   * The first frame of a stack trace that is the program's own code: outside node_modules and
   * the planner, shown relative to the project folder. "" when there is none.
   */
  locate(stack: string | undefined): string {
    for (const line of (stack ?? "").split("\n").slice(1)) {
      const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
      if (!match) continue;
      const file = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
      if (this.ownsFile(file)) return `${this.relative(file)}:${match[2]}:${match[3]}`;
    }
    return "";
  }

  /** As `locate`, from the SDK's own source positions (`file://` URIs with line and column). */
  locateFrames(frames: readonly { uri: string; line: number; column: number }[]): string {
    for (const frame of frames) {
      if (!frame.uri.startsWith("file://")) continue;
      const file = fileURLToPath(frame.uri);
      if (this.ownsFile(file)) return `${this.relative(file)}:${frame.line}:${frame.column}`;
    }
    return "";
  }

  private ownsFile(file: string): boolean {
    const planner = path.resolve(__dirname);
    // A program's modules may sit outside its folder (an example whose `main` is the root
    // program), so any file but the dependencies' and the planner's is the program's.
    return (
      !file.split(path.sep).includes("node_modules") && !file.startsWith(`${planner}${path.sep}`)
    );
  }

  private relative(file: string): string {
    const rel = path.relative(this.projectDir, file);
    return rel.startsWith("..") ? file : rel;
  }
}

/** How a call reads in a message: `invoke aws:ec2/getAmi:getAmi at index.ts:5:15`. */
export function describeCall(call: PlannedCall): string {
  const what =
    call.kind === "invoke"
      ? `invoke ${call.token}`
      : `read of ${call.token}${call.id ? ` '${call.id}'` : ""}`;
  return `${what}${call.location ? ` at ${call.location}` : ""}`;
}

/** The project's mocks file names, in the order the plan looks for them. */
export const projectMocksFiles = ["plan.mocks.ts", "plan.mocks.js", "plan.mocks.json"];

/**
 * The error an unanswered call raises in update mode. `details` is what the SDK shows of a
 * failed monitor call (it rethrows `new Error(err.details)`), so it carries the whole message.
 */
export class UnansweredCallError extends Error {
  readonly details: string;
  constructor(call: PlannedCall) {
    const message =
      `the offline plan has no answer for ${describeCall(call)}. Answer it in the project's ` +
      `${projectMocksFiles.join(" or ")} (see "Answering calls" in the planner's README section), ` +
      `or plan with --preview to treat its result as unknown, as a first preview would`;
    super(message);
    this.details = message;
  }
}
