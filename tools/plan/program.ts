import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CallLedger, UnansweredCallError, type PlannedCall } from "./calls";
import { createMocker, type PlanMocker, type UnrenderedChart } from "./mocks";
import { loadProjectMocks } from "./project-mocks";
import type { StackSettings } from "./project";
import {
  disabledDefaultProviders,
  installRecordingMonitor,
  type RecordedResource,
} from "./recorder";
import {
  isRunError,
  runInPulumiStack,
  stackOutputs,
  unknownOutput,
  waitForRpcs,
  wrapInvokes,
  type InvokeEntryPoint,
} from "./sdk-internals";
import { unknownValue } from "./values";

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  /** Stack outputs in the wire encoding (secrets marked). */
  readonly outputs: Record<string, unknown>;
  /** Errors the program raised; empty when it ran to completion. */
  readonly errors: readonly string[];
  /** Every invoke and read the program made, and who answered it. */
  readonly calls: readonly PlannedCall[];
  /** Local Helm charts whose templates need Helm to render; their objects are not planned. */
  readonly unrenderedCharts: readonly UnrenderedChart[];
  /** The project's mocks file, when it has one. */
  readonly projectMocksFile?: string;
}

/**
 * Runs a stack's program in this process under the recording monitor, as the CLI would run
 * it: config set from the stack, working directory at the project, inside the root Stack.
 * A process runs one program: the SDK's runtime state is global.
 */
export async function runProgram(
  stack: StackSettings,
  opts: { preview: boolean },
): Promise<ProgramRun> {
  pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
  const calls = new CallLedger(stack.projectDir);
  const unrenderedCharts: UnrenderedChart[] = [];
  const { file, mocks } = loadProjectMocks(stack.projectDir);
  const mocker = createMocker(regionFrom(stack.config), {
    projectMocks: mocks,
    onUnrendered: (chart) => unrenderedCharts.push(chart),
  });
  const monitor = installRecordingMonitor({
    mocker,
    project: stack.project,
    stack: stack.stack,
    preview: opts.preview,
    disabledDefaultProviders: disabledDefaultProviders(stack.config),
    calls,
  });
  const restoreInvokes = wrapInvokes((entry, original) =>
    answeredOrUnknown(entry, original, { mocker, calls, preview: opts.preview }),
  );

  const errors: string[] = [];
  try {
    await runMain(stack, (err) => errors.push(describe(err)));
  } finally {
    restoreInvokes();
  }

  const stackRecord = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
  const outputs = stackRecord ? stackOutputs(monitor, stackRecord.urn) : {};
  if (stackRecord) stackRecord.outputs = outputs;
  return {
    resources: monitor.records,
    outputs,
    errors: programErrors(errors, monitor.refusals, calls),
    calls: calls.calls,
    unrenderedCharts,
    projectMocksFile: file ? path.basename(file) : undefined,
  };
}

/** Requires the program's main module inside the root stack and waits for every RPC. */
async function runMain(stack: StackSettings, onError: (err: unknown) => void): Promise<void> {
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  const cwd = process.cwd();
  try {
    process.chdir(stack.projectDir);
    await runInPulumiStack(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.resolve(stack.main)) as unknown;
      return exported instanceof Function ? await (exported as () => unknown)() : exported;
    });
    await waitForRpcs();
  } catch (err) {
    onError(err);
  } finally {
    process.chdir(cwd);
    // Rejections of already-failed outputs arrive a turn later; let them land before detaching.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }
}

/**
 * The program's errors as the user should read them: each unanswered call once, by token and
 * location, instead of the errors it set off further down (a failed input, a bare `Error`);
 * then the engine's refusals and anything else the program raised.
 */
function programErrors(
  raised: readonly string[],
  refusals: readonly string[],
  calls: CallLedger,
): string[] {
  const unanswered = calls.calls
    .filter((c) => c.answer === "unanswered")
    .map((c) => new UnansweredCallError(c).message);
  const rest = raised.filter((e) => !e.includes("the offline plan has no answer for"));
  return [...new Set([...unanswered, ...rest, ...refusals])];
}

type InvokeFn = (tok: string, props: unknown, opts?: unknown, packageRef?: unknown) => unknown;

/**
 * One invoke entry point, noting each call with the program's frame that made it. A call
 * someone answers goes on to the monitor. One nobody answers is unknown in preview (an output
 * that is not known, or for the promise forms an object whose every field is the wire's
 * unknown value, which stays unknown when passed to a resource); in an update it fails,
 * naming the call.
 */
function answeredOrUnknown(
  entry: InvokeEntryPoint,
  original: InvokeFn,
  context: { mocker: PlanMocker; calls: CallLedger; preview: boolean },
): InvokeFn {
  const { mocker, calls, preview } = context;
  return (tok, props, opts, packageRef) => {
    if (tok.startsWith("pulumi:pulumi:")) return original(tok, props, opts, packageRef);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const stack = new Error().stack;
    Error.stackTraceLimit = limit;
    const answerer = mocker.invokeAnswerer(tok);
    const call: PlannedCall = {
      kind: "invoke",
      token: tok,
      location: calls.locate(stack),
      answer: answerer ?? (preview ? "unknown" : "unanswered"),
    };
    calls.note(call);
    if (answerer) return original(tok, props, opts, packageRef);
    const output = entry === "invokeOutput" || entry === "invokeSingleOutput";
    if (preview) return output ? unknownOutput() : Promise.resolve(unknownFields());
    const error = new UnansweredCallError(call);
    if (!output) return Promise.reject(error);
    return original(tok, props, opts, packageRef);
  };
}

/** An invoke result whose every field is unknown on the wire. */
function unknownFields(): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get: (_target, key) => (typeof key === "string" && key !== "then" ? unknownValue : undefined),
    },
  );
}

/** The region mocks answer with: the provider's own config first, then the program's. */
export function regionFrom(config: Record<string, string>): string {
  for (const key of ["aws:region", "gcp:region"]) {
    if (config[key]) return config[key];
  }
  try {
    const aws = JSON.parse(config["platform:aws"] ?? "{}") as { region?: string };
    if (aws.region) return aws.region;
  } catch {
    // Not this project's config shape: no region there.
  }
  return "us-east-1";
}

/** A RunError (bad config, a clear user error) is its message; anything else keeps its stack. */
function describe(err: unknown): string {
  if (err instanceof Error) return isRunError(err) ? err.message : (err.stack ?? err.message);
  return String(err);
}
