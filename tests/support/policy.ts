import * as path from "node:path";
import {
  PolicyPackProcess,
  type PolicyDiagnostic,
  type PolicyInfo,
  type PolicyPackConfig,
} from "../../tools/plan/analyzer";
import type { RecordedResource } from "../../tools/plan/recorder";
import { lentTestPack } from "../../tools/plan/shared-packs";
import { focusedOn, inProcessPack } from "./policy-in-process";
import { repoRoot } from "./run";

export const packDir = path.join(repoRoot, "policies");

export interface FakeResource {
  type: string;
  name: string;
  /** Inputs as the program would send them (wire encoding: secrets as marked objects). */
  props: Record<string, unknown>;
  /** State after the update, for stack policies; the inputs when absent. */
  outputs?: Record<string, unknown>;
  protect?: boolean;
  parent?: string;
  urn?: string;
  /** Input name -> URNs of the resources the input's value came from. */
  propertyDependencies?: Record<string, string[]>;
  /** An explicit provider of the resource's package with these inputs; the default one when absent. */
  providerInputs?: Record<string, unknown>;
}

const defaultProviders: Record<string, RecordedResource> = {};
/** Explicit providers, one per distinct set of inputs, as `providerInputs` made them. */
const explicitProviders = new Map<string, RecordedResource>();

/** The provider a resource was given: its explicit one, else its package's default. */
function providerOf(r: FakeResource): RecordedResource | undefined {
  const pkg = r.type.split(":")[0] ?? "unknown";
  if (!r.providerInputs) return defaultProviders[pkg];
  const key = `${pkg} ${JSON.stringify(r.providerInputs)}`;
  const name = `explicit-${explicitProviders.size}`;
  const provider = explicitProviders.get(key) ?? {
    ...blank(`pulumi:providers:${pkg}`, name),
    urn: `urn:pulumi:test::platform::pulumi:providers:${pkg}::${name}`,
    id: `${name}-id`,
    inputs: r.providerInputs,
    outputs: r.providerInputs,
  };
  explicitProviders.set(key, provider);
  return provider;
}

/** A resource as the engine would describe it to the pack, with a default provider. */
export function resourceOf(r: FakeResource): RecordedResource {
  const pkg = r.type.split(":")[0] ?? "unknown";
  defaultProviders[pkg] ??= {
    ...blank(`pulumi:providers:${pkg}`, "default"),
    urn: `urn:pulumi:test::platform::pulumi:providers:${pkg}::default`,
    id: "default-id",
  };
  const provider = providerOf(r)!;
  return {
    ...blank(r.type, r.name),
    urn: r.urn ?? `urn:pulumi:test::platform::${r.type}::${r.name}`,
    parent: r.parent ?? "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test",
    provider: `${provider.urn}::${provider.id}`,
    protect: r.protect ?? false,
    propertyDependencies: r.propertyDependencies ?? {},
    inputs: r.props,
    outputs: r.outputs ?? r.props,
  };
}

function blank(type: string, name: string): RecordedResource {
  return {
    urn: "",
    type,
    name,
    custom: true,
    parent: "",
    provider: "",
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    additionalSecretOutputs: [],
    aliases: [],
    customTimeouts: { create: 0, update: 0, delete: 0 },
    version: "",
    remote: false,
    inputs: {},
    outputs: {},
    id: "",
  };
}

/**
 * The policy pack as a process, shared by a test file: start it in `before`, stop it in
 * `after` (a lent pack is only let go of). Every check goes over the analyzer protocol, as
 * the CLI's would.
 */
export class PackUnderTest {
  private pack?: PolicyPackProcess;
  private policyNames: string[] = [];
  private policyInfos: PolicyInfo[] = [];

  /** `in-process`: the pack served inside the test process (inProcessPack), not a child. */
  constructor(private readonly where: "process" | "in-process" = "process") {}

  async start(config: PolicyPackConfig = {}): Promise<void> {
    // Inside `npm test`, a pack lent to this process (tools/plan/shared-packs.ts); the config
    // below replaces whatever the file before set, so the file sees it as a fresh pack.
    const lent = lentTestPack();
    this.pack =
      this.where === "in-process"
        ? inProcessPack(packDir)
        : lent
          ? PolicyPackProcess.connect(lent)
          : await PolicyPackProcess.start(packDir);
    const info = await this.pack.info();
    this.policyInfos = info.policies;
    this.policyNames = info.policies.map((p) => p.name);
    await this.pack.configure(config, this.policyNames);
  }

  get policies(): readonly string[] {
    return this.policyNames;
  }

  /** What the pack says of each policy (GetAnalyzerInfo), in the pack's order. */
  get infos(): readonly PolicyInfo[] {
    return this.policyInfos;
  }

  async configure(config: PolicyPackConfig): Promise<void> {
    await this.required().configure(config, this.policyNames);
  }

  /** Diagnostics for one resource, optionally only those of one policy. */
  async analyze(r: FakeResource, policyName?: string): Promise<PolicyDiagnostic[]> {
    const recorded = resourceOf(r);
    const found = await this.focused(policyName, () =>
      this.required().analyze(recorded, defaultProviders[r.type.split(":")[0] ?? ""]),
    );
    return policyName ? found.filter((d) => d.policyName === policyName) : found;
  }

  async analyzeStack(
    resources: readonly FakeResource[],
    policyName?: string,
  ): Promise<PolicyDiagnostic[]> {
    const recorded = resources.map(resourceOf);
    const byUrn = new Map(recorded.map((r, i) => [r.urn, resources[i]!]));
    const found = await this.focused(policyName, () =>
      this.required().analyzeStack(recorded, (r) => {
        const fake = byUrn.get(r.urn);
        return fake ? providerOf(fake) : defaultProviders[r.type.split(":")[0] ?? ""];
      }),
    );
    return policyName ? found.filter((d) => d.policyName === policyName) : found;
  }

  async stop(): Promise<void> {
    await this.pack?.stop();
  }

  /** The served pack runs every policy; the in-process one runs only the one asked about. */
  private focused<T>(policyName: string | undefined, call: () => Promise<T>): Promise<T> {
    return this.where === "in-process" ? focusedOn(policyName, call) : call();
  }

  private required(): PolicyPackProcess {
    if (!this.pack) throw new Error("call start() in a before hook first");
    return this.pack;
  }
}
