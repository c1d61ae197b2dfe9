/**
 * Every part of `@pulumi/pulumi` the offline plan uses that is not the SDK's public API, in one
 * place. Each entry says what it is and why the plan needs it; an SDK upgrade that moves one of
 * them breaks here, at load time or in the plan tests, not somewhere in the middle of a plan.
 * `package.json` pins the SDK version, and the program and the pack share one copy of it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
// Modules are required on first use, not at import: mocha loads tools/plan/lazy-stacks.ts (and
// so this module) before any test has set the config the SDK's store reads when it is made.
import type * as Pulumi from "@pulumi/pulumi";
import type { MockMonitor as MockMonitorType } from "@pulumi/pulumi/runtime/mocks";
import type * as Settings from "@pulumi/pulumi/runtime/settings";
import type * as Stack from "@pulumi/pulumi/runtime/stack";
import type * as structproto from "google-protobuf/google/protobuf/struct_pb";

const pulumiSdk = () => require("@pulumi/pulumi") as typeof Pulumi;
const settings = () => require("@pulumi/pulumi/runtime/settings") as typeof Settings;
type MockMonitor = MockMonitorType;

/**
 * `MockMonitor` (runtime/mocks): the resource monitor `setMocks` installs. The plan's
 * recording monitor extends it for invokes, `getResource` and `registerResourceOutputs`, and
 * replaces its `registerResource` and `readResource` to keep every option the engine sees.
 */
export function mockMonitorClass(): typeof MockMonitorType {
  return (require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: typeof MockMonitorType })
    .MockMonitor;
}

/**
 * `runInPulumiStack` (runtime/stack): runs a program inside the root `pulumi:pulumi:Stack`
 * component, as the language host does; its return value becomes the stack's outputs.
 */
export function runInPulumiStack(program: () => Promise<unknown>): Promise<unknown> {
  return (require("@pulumi/pulumi/runtime/stack") as typeof Stack).runInPulumiStack(program);
}

/**
 * `settings.waitForRPCs` (runtime/settings, not in the typings): resolves once every
 * registration and invoke the program started has finished, as the language host waits
 * before it reports the program done.
 */
export async function waitForRpcs(): Promise<void> {
  await (settings() as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/**
 * `settings.setMockOptions` plus the feature flags of `state.getStore()`: what `setMocks`
 * does, with the plan's own monitor. Resource references and secrets on, as the engine
 * supports them; output values off, so inputs arrive resolved; transforms off (the engine's
 * transforms need a callback server the mocks do not run).
 */
export function installMonitor(
  monitor: MockMonitor,
  options: { project: string; stack: string; preview: boolean; organization: string },
): void {
  settings().setMockOptions(
    monitor,
    options.project,
    options.stack,
    options.preview,
    options.organization,
  );
  const state = require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, boolean> };
  const store = state.getStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;
  store.supportsTransforms = false;
}

/**
 * `MockMonitor.resources` (private): URN to the state last registered for it. The stack's
 * outputs are the state `registerResourceOutputs` stored for the root stack; the plan's own
 * registrations are stored there too so `getResource` invokes find them.
 */
export function monitorResources(
  monitor: MockMonitor,
): Map<string, { urn: string; id: string | null; state: unknown }> {
  return (
    monitor as unknown as {
      resources: Map<string, { urn: string; id: string | null; state: unknown }>;
    }
  ).resources;
}

/** The root stack's outputs from what the monitor stored: a protobuf Struct or plain object. */
export function stackOutputs(monitor: MockMonitor, stackUrn: string): Record<string, unknown> {
  const stored = monitorResources(monitor).get(stackUrn)?.state as
    | structproto.Struct
    | Record<string, unknown>
    | undefined;
  if (stored && typeof (stored as structproto.Struct).toJavaScript === "function") {
    return (stored as structproto.Struct).toJavaScript() as Record<string, unknown>;
  }
  return (stored as Record<string, unknown> | undefined) ?? {};
}

/**
 * `RunError.isInstance`: the SDK's error for a clear user error (bad config), printed without
 * a stack trace. Not in the typings as a static.
 */
export function isRunError(err: unknown): boolean {
  return (pulumiSdk().RunError as unknown as { isInstance(e: unknown): boolean }).isInstance(err);
}

/**
 * The generated protobuf modules of the resource monitor protocol (proto/resource_pb): they
 * ship without typings TypeScript resolves by path. Only the responses the monitor builds.
 */
export const resourceProto = () =>
  require("@pulumi/pulumi/proto/resource_pb") as {
    RegisterResourceResponse: new () => {
      setUrn(v: string): void;
      setId(v: string): void;
      setObject(v: structproto.Struct): void;
    };
    ReadResourceResponse: new () => {
      setUrn(v: string): void;
      setProperties(v: structproto.Struct): void;
    };
  };

/**
 * `debuggablePromise` (runtime/debuggable): stamps every SDK promise with the stack that made
 * it. The SDK calls it through the module's exports object, so replacing the export replaces
 * every call (tools/plan/lazy-stacks.ts skips that stack, or defers its formatting).
 */
export function debuggableModule(): {
  debuggablePromise?: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
  /** Set from PULUMI_DEBUG_PROMISE_LEAKS when the SDK loads; only then is a promise's stack read. */
  readonly debugPromiseLeaks?: boolean;
} {
  return require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise?: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
    readonly debugPromiseLeaks?: boolean;
  };
}

type InvokeFn = (tok: string, props: unknown, opts?: unknown, packageRef?: unknown) => unknown;

/** The four invoke entry points generated provider SDKs call through `pulumi.runtime`. */
export const invokeEntryPoints = [
  "invoke",
  "invokeOutput",
  "invokeSingle",
  "invokeSingleOutput",
] as const;
export type InvokeEntryPoint = (typeof invokeEntryPoints)[number];

/**
 * Wraps `pulumi.runtime.invoke`, `invokeOutput`, `invokeSingle` and `invokeSingleOutput`.
 * Provider SDKs call them as properties of `pulumi.runtime` (`pulumi.runtime.invokeOutput(
 * "aws:ec2/getAmi:getAmi", ...)`), and runtime/index copies them onto that object, so a
 * replacement there is what every data source calls. The wrapper runs in the program's own
 * call stack, which is how the plan learns where a call was made.
 */
export function wrapInvokes(
  wrap: (entry: InvokeEntryPoint, original: InvokeFn) => InvokeFn,
): () => void {
  const runtime = pulumiSdk().runtime as unknown as Record<InvokeEntryPoint, InvokeFn>;
  const originals = invokeEntryPoints.map((entry) => [entry, runtime[entry]] as const);
  for (const [entry, original] of originals) runtime[entry] = wrap(entry, original);
  return () => {
    for (const [entry, original] of originals) runtime[entry] = original;
  };
}

/**
 * An output whose value is unknown, as the SDK makes one for a computed value in a preview:
 * `pulumi.Output`'s constructor (resources, value, isKnown, isSecret, allResources) is public
 * in JavaScript but not in the typings.
 */
export function unknownOutput(): Pulumi.Output<unknown> {
  const OutputClass = pulumiSdk().Output as unknown as new (
    resources: Set<unknown>,
    promise: Promise<unknown>,
    isKnown: Promise<boolean>,
    isSecret: Promise<boolean>,
    allResources: Promise<Set<unknown>>,
  ) => Pulumi.Output<unknown>;
  return new OutputClass(
    new Set(),
    Promise.resolve(undefined),
    Promise.resolve(false),
    Promise.resolve(false),
    Promise.resolve(new Set()),
  );
}

/** Where `@pulumi/pulumi` keeps `cmd/run-policy-pack`, the script the CLI starts a pack with. */
export function policyPackRunner(packDir: string): string {
  const pulumiDir = require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] });
  return pulumiDir.replace(/package\.json$/, "cmd/run-policy-pack");
}
