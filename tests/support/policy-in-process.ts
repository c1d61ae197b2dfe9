import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { PolicyPackProcess } from "../../tools/plan/analyzer";

type Callback = (err: Error | null | undefined, res?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;
type Service = Record<string, Handler>;

interface MethodDefinition {
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

/** `@pulumi/policy/server`: internal, so typed here by what this file uses. */
interface PolicyServer {
  serve(name: string, version: string, level: string, args: PackArgs, config?: unknown): void;
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: unknown[]): Handler;
  makeAnalyzeStackRpcFun(
    name: string,
    version: string,
    level: string,
    policies: unknown[],
  ): Handler;
}
interface PackArgs {
  policies?: { name: string }[];
}

/** The analyzer calls PolicyPackProcess makes. */
const analyzerMethods = [
  "getAnalyzerInfo",
  "configure",
  "configureStack",
  "analyze",
  "analyzeStack",
] as const;

/** The loaded pack: its whole service, and the same handlers over one policy at a time. */
interface LoadedPack {
  readonly service: Service;
  focused(policy: string): Service;
}

interface InProcessState {
  pack: PolicyPackProcess;
  loaded: LoadedPack;
  /** The policy the next calls are about (PackUnderTest.analyze with a policy name). */
  focus?: string;
}

interface InProcessGlobal {
  __inProcessPack__?: InProcessState;
  /** Set by the mutation runner (tests/policies/stryker-runner.mjs) when a reload is due. */
  __policyPackReload__?: boolean;
}
const g = globalThis as InProcessGlobal;

/**
 * The pack served inside this process: the pack's index is loaded here, and the analyzer
 * service `@pulumi/policy` registers for it (its own analyze, analyzeStack, configure and
 * getAnalyzerInfo handlers) is kept instead of bound to a port. Every request and response
 * still goes through the service's protobuf encoding both ways, so the policies receive exactly
 * the arguments the served pack builds from the wire. Under mutation testing this runs the
 * mutated policies where Stryker switches mutants and measures per-test coverage.
 * `@pulumi/policy` serves one pack per process and holds its config globally, so there is one.
 */
export function inProcessPack(packDir: string): PolicyPackProcess {
  if (g.__policyPackReload__ === true) {
    // A mutant in code that runs at load (policy metadata, tables): load the sources again.
    forget(packDir);
    delete g.__inProcessPack__;
    g.__policyPackReload__ = false;
  }
  g.__inProcessPack__ ??= packOver(packDir, load(packDir));
  return g.__inProcessPack__.pack;
}

/**
 * Runs `call` with the in-process pack evaluating only `policy`, when given: the diagnostics of
 * one policy are the same whether or not the others run, and per-test coverage then credits a
 * test only with the policy it is about.
 */
export async function focusedOn<T>(policy: string | undefined, call: () => Promise<T>): Promise<T> {
  const state = g.__inProcessPack__;
  if (!state) throw new Error("the in-process pack is not loaded");
  state.focus = policy;
  try {
    return await call();
  } finally {
    state.focus = undefined;
  }
}

function policyDirOf(packDir: string): string {
  return path.dirname(require.resolve("@pulumi/policy", { paths: [packDir] }));
}

/** Loads the pack's index with `serve` recorded and its gRPC server kept from listening. */
function load(packDir: string): LoadedPack {
  const policyDir = policyDirOf(packDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require(path.join(policyDir, "server")) as PolicyServer;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Server } = require(
    require.resolve("@grpc/grpc-js", { paths: [policyDir] }),
  ) as typeof grpc;
  const { addService, bindAsync } = Server.prototype;
  const { serve } = server;
  let service: Service | undefined;
  let served: Parameters<PolicyServer["serve"]> | undefined;
  const cwd = process.cwd();
  try {
    Server.prototype.addService = function (_definition, implementation) {
      service = implementation as unknown as Service;
    };
    Server.prototype.bindAsync = () => undefined;
    server.serve = (...args) => {
      served = args;
      serve(...args);
    };
    // The pack reads its version from the package.json of the folder it runs in.
    process.chdir(packDir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(packDir, "index.ts"));
  } finally {
    process.chdir(cwd);
    Object.assign(Server.prototype, { addService, bindAsync });
    server.serve = serve;
  }
  if (!service || !served) throw new Error(`${packDir}/index.ts did not define a policy pack`);
  return { service, focused: focusing(server, served) };
}

/** The pack's own analyze handlers, built by `@pulumi/policy` over one policy. */
function focusing(
  server: PolicyServer,
  [name, version, level, args]: Parameters<PolicyServer["serve"]>,
): (policy: string) => Service {
  const cache = new Map<string, Service>();
  return (policy) => {
    let service = cache.get(policy);
    if (!service) {
      const only = (args.policies ?? []).filter((p) => p.name === policy);
      service = {
        analyze: server.makeAnalyzeRpcFun(name, version, level, only),
        analyzeStack: server.makeAnalyzeStackRpcFun(name, version, level, only),
      };
      cache.set(policy, service);
    }
    return service;
  };
}

/** A PolicyPackProcess whose client hands each encoded request to the service in-process. */
function packOver(packDir: string, loaded: LoadedPack): InProcessState {
  const policyDir = policyDirOf(packDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AnalyzerService } = require(
    require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [policyDir] }),
  ) as { AnalyzerService: Record<string, MethodDefinition> };
  const state: Partial<InProcessState> = { loaded };
  const client: Record<string, unknown> = { close: () => undefined };
  for (const method of analyzerMethods) {
    const definition = AnalyzerService[method] as MethodDefinition;
    client[method] = (request: unknown, callback: (err: unknown, res?: unknown) => void) => {
      const service = state.focus ? loaded.focused(state.focus) : loaded.service;
      const handler = (service[method] ?? loaded.service[method]) as Handler;
      const call = { request: definition.requestDeserialize(definition.requestSerialize(request)) };
      void handler(call, (err, res) => {
        // gRPC hands the client a failed call's message as its details.
        if (err) callback(Object.assign(new Error(err.message), { details: err.message }));
        else callback(null, definition.responseDeserialize(definition.responseSerialize(res)));
      });
    };
  }
  // The constructor is private to keep callers on start() and connect(); this is a third way.
  state.pack = Reflect.construct(PolicyPackProcess, [
    undefined,
    client,
    () => "",
    "in-process",
  ]) as PolicyPackProcess;
  return state as InProcessState;
}

/** Drops the pack's sources and `@pulumi/policy` (which serves one pack) from the require cache. */
function forget(packDir: string): void {
  const roots = [packDir + path.sep, policyDirOf(packDir) + path.sep];
  for (const file of Object.keys(require.cache)) {
    if (roots.some((root) => file.startsWith(root))) Reflect.deleteProperty(require.cache, file);
  }
}
