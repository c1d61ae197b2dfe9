import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { RecordedResource } from "./recorder";
import { policyPackRunner } from "./sdk-internals";
import { forAnalyzer } from "./values";

// The generated client ships a .d.ts that TypeScript resolves; the service stub is plain JS.
import * as analyzergrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyDiagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource the violation is about; "" for a stack-level finding with no resource. */
  readonly urn: string;
}

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** How bad a violation is, as the policy declares it ("unspecified" when it does not). */
  readonly severity: "unspecified" | "low" | "medium" | "high" | "critical";
  readonly type: "resource" | "stack" | "unknown";
  /** The concern a policy belongs to ("encryption", "pod-security" ...), carried as tags. */
  readonly tags: readonly string[];
  /** The policy's config properties (JSON schema per property), as the pack declares them. */
  readonly configSchema: Record<string, PolicyConfigProperty>;
}

export interface PolicyConfigProperty {
  readonly type?: string;
  readonly default?: unknown;
  readonly description?: string;
  readonly enum?: readonly unknown[];
}

/**
 * Policy pack config as `pulumi preview --policy-pack-config` takes it: per policy a level, or
 * an object with `enforcementLevel` and the policy's own properties; `all` sets every policy.
 */
export type PolicyPackConfig = Record<string, EnforcementLevel | Record<string, unknown>>;

const levels: Record<number, EnforcementLevel> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};
const severities: Record<number, PolicyInfo["severity"]> = {
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};
const levelCodes: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};

/**
 * A policy pack running as its own process, served by `@pulumi/policy` on loopback exactly
 * as `pulumi preview --policy-pack <dir>` starts it, and spoken to over the analyzer protocol.
 */
export class PolicyPackProcess {
  private constructor(
    /** The pack's process when this object started it; undefined when it only connected. */
    private readonly child: ChildProcess | undefined,
    private readonly client: analyzergrpc.AnalyzerClient,
    private readonly stderr: () => string,
    /** Where the pack serves, `127.0.0.1:<port>`. */
    readonly address: string,
  ) {}

  /**
   * Speaks to a pack another process started (tools/plan/lanes.ts starts one per concurrent
   * plan and hands its address to each plan CLI). The caller still sends its own policy and
   * stack config; `stop()` closes the connection and leaves the pack serving.
   */
  static connect(address: string): PolicyPackProcess {
    return new PolicyPackProcess(undefined, analyzerClient(address), () => "", address);
  }

  /** True while the pack this object started is running (always true for a connection). */
  get running(): boolean {
    return this.child ? this.child.exitCode === null && this.child.signalCode === null : true;
  }

  /** Starts `run-policy-pack` on the pack folder and connects once it prints its port. */
  static async start(packDir: string, timeoutMs = 120_000): Promise<PolicyPackProcess> {
    const dir = path.resolve(packDir);
    const runner = policyPackRunner(dir);
    // The engine passes its own address first; the pack runner drops it.
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", dir], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    });
    let errText = "";
    child.stderr?.on("data", (chunk: Buffer) => (errText += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let outText = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`policy pack ${dir} did not start within ${timeoutMs} ms\n${errText}`));
      }, timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => {
        outText += chunk.toString();
        const match = /^(\d+)\s*$/m.exec(outText);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `policy pack ${dir} exited with ${String(code)} before serving\n${errText}${outText}`,
          ),
        );
      });
    });
    const address = `127.0.0.1:${port}`;
    return new PolicyPackProcess(child, analyzerClient(address), () => errText, address);
  }

  async info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
    const res = await this.unary<analyzerpb.AnalyzerInfo>((cb) =>
      this.client.getAnalyzerInfo(new Empty(), cb),
    );
    return {
      name: res.getName(),
      version: res.getVersion(),
      policies: res.getPoliciesList().map((p) => ({
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: levels[p.getEnforcementlevel()] ?? "advisory",
        severity: severities[p.getSeverity()] ?? "unspecified",
        type:
          p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE
            ? "resource"
            : p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK
              ? "stack"
              : "unknown",
        tags: p.getTagsList(),
        configSchema: (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<
          string,
          PolicyConfigProperty
        >,
      })),
    };
  }

  /** Sends the stack's policy config, expanding `all` the way the CLI does. */
  async configure(config: PolicyPackConfig, policyNames: readonly string[]): Promise<void> {
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    const all = config.all;
    for (const name of policyNames) {
      const entry = config[name] ?? all;
      if (entry === undefined) continue;
      const { level, properties } = splitEntry(entry, all);
      const pc = new analyzerpb.PolicyConfig();
      if (level) pc.setEnforcementlevel(levelCodes[level]);
      pc.setProperties(Struct.fromJavaScript(properties as never));
      map.set(name, pc);
    }
    await this.unary((cb) => this.client.configure(req, cb));
  }

  async configureStack(args: {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    config: Record<string, string>;
    secretKeys: readonly string[];
  }): Promise<void> {
    const req = new analyzerpb.AnalyzerStackConfigureRequest();
    req.setProject(args.project);
    req.setStack(args.stack);
    req.setOrganization(args.organization);
    req.setDryRun(args.dryRun);
    for (const [k, v] of Object.entries(args.config)) req.getConfigMap().set(k, v);
    req.setConfigSecretKeysList([...args.secretKeys]);
    await this.unary((cb) => this.client.configureStack(req, cb));
  }

  /** One resource's inputs, before it is created, with its options and provider. */
  async analyze(
    resource: RecordedResource,
    provider?: RecordedResource,
  ): Promise<PolicyDiagnostic[]> {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(resource.urn);
    req.setProperties(Struct.fromJavaScript(forAnalyzer(resource.inputs) as never));
    req.setOptions(resourceOptions(resource));
    if (provider) req.setProvider(providerResource(provider));
    const res = await this.unary<analyzerpb.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
    return diagnostics(res, resource.urn);
  }

  /** The whole stack's resources after the (planned) update, with their resulting state. */
  async analyzeStack(
    resources: readonly RecordedResource[],
    providerOf: (r: RecordedResource) => RecordedResource | undefined,
  ): Promise<PolicyDiagnostic[]> {
    const req = new analyzerpb.AnalyzeStackRequest();
    for (const r of resources) {
      const ar = new analyzerpb.AnalyzerResource();
      ar.setType(r.type);
      ar.setName(r.name);
      ar.setUrn(r.urn);
      ar.setProperties(Struct.fromJavaScript(forAnalyzer(r.outputs) as never));
      ar.setOptions(resourceOptions(r));
      const provider = providerOf(r);
      if (provider) ar.setProvider(providerResource(provider));
      ar.setParent(r.parent);
      ar.setDependenciesList([...r.dependencies]);
      for (const [key, urns] of Object.entries(r.propertyDependencies)) {
        const deps = new analyzerpb.AnalyzerPropertyDependencies();
        deps.setUrnsList([...urns]);
        ar.getPropertydependenciesMap().set(key, deps);
      }
      req.addResources(ar);
    }
    const res = await this.unary<analyzerpb.AnalyzeResponse>((cb) =>
      this.client.analyzeStack(req, cb),
    );
    return diagnostics(res, "");
  }

  /** Peak resident memory of the pack process so far, MiB (Linux; 0 where unknown). */
  peakMemoryMb(): number {
    if (!this.child) return 0;
    try {
      const status = fs.readFileSync(`/proc/${String(this.child.pid)}/status`, "utf8");
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    this.client.close();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill();
    });
  }

  private unary<T>(
    call: (cb: (err: grpc.ServiceError | null, res: T) => void) => void,
  ): Promise<T> {
    return new Promise((resolve, reject) =>
      call((err, res) => {
        if (err) reject(new Error(`${err.details || err.message}\n${this.stderr()}`));
        else resolve(res);
      }),
    );
  }
}

function analyzerClient(address: string): analyzergrpc.AnalyzerClient {
  return new analyzergrpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
  });
}

function splitEntry(
  entry: EnforcementLevel | Record<string, unknown>,
  all: PolicyPackConfig[string] | undefined,
): { level?: EnforcementLevel; properties: Record<string, unknown> } {
  const fallback =
    typeof all === "string" ? all : (all?.enforcementLevel as EnforcementLevel | undefined);
  if (typeof entry === "string") return { level: entry, properties: {} };
  const { enforcementLevel, ...properties } = entry;
  return { level: (enforcementLevel as EnforcementLevel | undefined) ?? fallback, properties };
}

function resourceOptions(r: RecordedResource): analyzerpb.AnalyzerResourceOptions {
  const opts = new analyzerpb.AnalyzerResourceOptions();
  opts.setProtect(r.protect);
  opts.setIgnorechangesList([...r.ignoreChanges]);
  opts.setDeletebeforereplace(r.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(r.deleteBeforeReplace);
  opts.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
  opts.setAliasesList([...r.aliases]);
  const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(r.customTimeouts.create);
  timeouts.setUpdate(r.customTimeouts.update);
  timeouts.setDelete(r.customTimeouts.delete);
  opts.setCustomtimeouts(timeouts);
  opts.setParent(r.parent);
  return opts;
}

function providerResource(p: RecordedResource): analyzerpb.AnalyzerProviderResource {
  const res = new analyzerpb.AnalyzerProviderResource();
  res.setType(p.type);
  res.setName(p.name);
  res.setUrn(p.urn);
  res.setProperties(Struct.fromJavaScript(forAnalyzer(p.inputs) as never));
  return res;
}

function diagnostics(res: analyzerpb.AnalyzeResponse, defaultUrn: string): PolicyDiagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: levels[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn() || defaultUrn,
  }));
}

/** A mandatory verdict the pack could not reach because a value was unknown at preview. */
export interface DegradedVerdict {
  readonly policyName: string;
  readonly concern: string;
  readonly urn: string;
  /** The property the policy read, e.g. `storageEncrypted` or `spec.template.spec`; "" if none. */
  readonly path: string;
  /**
   * `unknown-value`: the pack said the policy could not run on an unknown value;
   * `absent-in-preview`: the update's plan has this verdict and the preview's has not.
   */
  readonly reason: "unknown-value" | "absent-in-preview";
  /** The verdict's level in the update (absent-in-preview) or as configured (unknown-value). */
  readonly level: EnforcementLevel;
}

const previewSkip =
  /^can't run policy '([^']+)' from policy pack .* during preview: \S+ value at \.(\S*) can't be known during preview/;

/**
 * `@pulumi/policy` turns a policy that touches an unknown value into an advisory "can't run"
 * diagnostic whatever its level; these are the ones whose configured level was mandatory.
 */
export function degradedVerdicts(
  diagnostics: readonly PolicyDiagnostic[],
  levels: ReadonlyMap<string, EnforcementLevel>,
  policies: readonly PolicyInfo[],
): DegradedVerdict[] {
  const concernOf = new Map(policies.map((p) => [p.name, p.tags[0] ?? "uncategorised"]));
  const out: DegradedVerdict[] = [];
  for (const d of diagnostics) {
    const match = previewSkip.exec(d.message);
    if (!match || d.enforcementLevel !== "advisory") continue;
    const policyName = match[1] ?? d.policyName;
    const configured = levels.get(policyName);
    if (configured !== "mandatory" && configured !== "remediate") continue;
    out.push({
      policyName,
      concern: concernOf.get(policyName) ?? "uncategorised",
      urn: d.urn,
      path: match[2] ?? "",
      reason: "unknown-value",
      level: configured,
    });
  }
  return out;
}

/**
 * Verdicts the update's plan reached that the preview's did not, at any level: a policy that
 * skips an unknown value without saying so drops its verdict silently, and this names it.
 * A verdict already reported as degraded on an unknown value is not repeated.
 */
export function vanishedVerdicts(
  update: readonly PolicyDiagnostic[],
  preview: readonly PolicyDiagnostic[],
  policies: readonly PolicyInfo[],
  alreadyDegraded: readonly DegradedVerdict[],
): DegradedVerdict[] {
  const key = (policy: string, urn: string) => `${policy}\0${urn}`;
  const reached = new Set(
    preview.filter((d) => !previewSkip.test(d.message)).map((d) => key(d.policyName, d.urn)),
  );
  const degraded = new Set(alreadyDegraded.map((d) => key(d.policyName, d.urn)));
  const concernOf = new Map(policies.map((p) => [p.name, p.tags[0] ?? "uncategorised"]));
  const out: DegradedVerdict[] = [];
  for (const v of update) {
    const k = key(v.policyName, v.urn);
    if (reached.has(k) || degraded.has(k)) continue;
    degraded.add(k);
    out.push({
      policyName: v.policyName,
      concern: concernOf.get(v.policyName) ?? "uncategorised",
      urn: v.urn,
      path: "",
      reason: "absent-in-preview",
      level: v.enforcementLevel,
    });
  }
  return out;
}

/** The level each policy runs at once `config` is applied: its own entry, then `all`, then its default. */
export function effectiveLevels(
  policies: readonly PolicyInfo[],
  config: PolicyPackConfig,
): Map<string, EnforcementLevel> {
  const levelOf = (entry: PolicyPackConfig[string] | undefined) =>
    typeof entry === "string" ? entry : (entry?.enforcementLevel as EnforcementLevel | undefined);
  return new Map(
    policies.map((p) => [
      p.name,
      levelOf(config[p.name]) ?? levelOf(config.all) ?? p.enforcementLevel,
    ]),
  );
}
