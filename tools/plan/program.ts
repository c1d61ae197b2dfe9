import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import type * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { createMocker } from "./mocks";
import type { StackSettings } from "./project";
import {
  disabledDefaultProviders,
  installRecordingMonitor,
  type RecordedResource,
} from "./recorder";

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  /** Stack outputs in the wire encoding (secrets marked). */
  readonly outputs: Record<string, unknown>;
  /** Errors the program raised; empty when it ran to completion. */
  readonly errors: readonly string[];
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
  const monitor = installRecordingMonitor({
    mocker: createMocker(regionFrom(stack.config)),
    project: stack.project,
    stack: stack.stack,
    preview: opts.preview,
    disabledDefaultProviders: disabledDefaultProviders(stack.config),
  });

  const errors: string[] = [];
  const onError = (err: unknown) => errors.push(describe(err));
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
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  } catch (err) {
    onError(err);
  } finally {
    process.chdir(cwd);
    // Rejections of already-failed outputs arrive a turn later; let them land before detaching.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }

  errors.push(...monitor.refusals);
  const stackRecord = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
  const registered = stackRecord
    ? (monitor as unknown as { resources: Map<string, { state: unknown }> }).resources.get(
        stackRecord.urn,
      )
    : undefined;
  const state = registered?.state as structproto.Struct | Record<string, unknown> | undefined;
  const outputs =
    state && typeof (state as structproto.Struct).toJavaScript === "function"
      ? ((state as structproto.Struct).toJavaScript() as Record<string, unknown>)
      : ((state as Record<string, unknown> | undefined) ?? {});
  if (stackRecord) stackRecord.outputs = outputs;
  return { resources: monitor.records, outputs, errors: [...new Set(errors)] };
}

function regionFrom(config: Record<string, string>): string {
  try {
    const aws = JSON.parse(config["platform:aws"] ?? "{}") as { region?: string };
    return aws.region ?? config["aws:region"] ?? "us-east-1";
  } catch {
    return config["aws:region"] ?? "us-east-1";
  }
}

/** A RunError (bad config, a clear user error) is its message; anything else keeps its stack. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const runError = (pulumi.RunError as unknown as { isInstance(e: unknown): boolean }).isInstance(
      err,
    );
    return runError ? err.message : (err.stack ?? err.message);
  }
  return String(err);
}
