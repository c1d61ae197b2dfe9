import { strict as assert } from "node:assert";
import type { PolicyDiagnostic, PolicyInfo, PolicyPackConfig } from "../../tools/plan/analyzer";
import { PackUnderTest, type FakeResource } from "../support/policy";

/**
 * The pack for one test file: started in `before`, stopped in `after`, configured with the
 * file's policy config. Under mutation testing (`underMutationTesting`), every file uses the pack served
 * inside the test process (tests/support/policy.ts, inProcessPack): the mutated policies run
 * where Stryker switches mutants and measures per-test coverage, so no mutant needs a restart.
 * tests/policies/in-process.test.ts holds that pack to the served one's diagnostics.
 */
export function usePack(config: PolicyPackConfig = {}): PackHandle {
  const handle = new PackHandle(config);
  before(async function () {
    this.timeout(120_000);
    await handle.open();
  });
  after(async () => handle.close());
  return handle;
}

interface StrykerGlobal {
  __stryker__?: { activeMutant?: string };
}

/** True when the test process runs under Stryker's mutant switching. */
export function underMutationTesting(): boolean {
  return (globalThis as StrykerGlobal).__stryker__ !== undefined;
}

export class PackHandle {
  private pack?: PackUnderTest;
  constructor(private readonly config: PolicyPackConfig) {}

  async open(): Promise<void> {
    this.pack = new PackUnderTest(underMutationTesting() ? "in-process" : "process");
    await this.pack.start();
    await this.configure();
  }

  async close(): Promise<void> {
    await this.pack?.stop();
  }

  get policies(): readonly string[] {
    return this.required().policies;
  }

  get infos(): readonly PolicyInfo[] {
    return this.required().infos;
  }

  /** Applies `extra` on top of the file's config; call with no argument to restore it. */
  async configure(extra: PolicyPackConfig = {}): Promise<void> {
    await this.required().configure({ ...this.config, ...extra });
  }

  analyze(r: FakeResource, policyName?: string): Promise<PolicyDiagnostic[]> {
    return this.required().analyze(r, policyName);
  }

  analyzeStack(
    resources: readonly FakeResource[],
    policyName?: string,
  ): Promise<PolicyDiagnostic[]> {
    return this.required().analyzeStack(resources, policyName);
  }

  private required(): PackUnderTest {
    if (!this.pack) throw new Error("the pack is not open; call usePack() in a describe block");
    return this.pack;
  }
}

/** A fresh copy of a fixture with one field changed at a dotted path ("a.b.0.c"). */
export function withField<T extends object>(fixture: T, path: string, value: unknown): T {
  const copy = structuredClone(fixture) as Record<string, unknown>;
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1] ?? "") ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1] ?? "";
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}

/** Asserts exactly the given messages (regexes, in order) from one policy, at a level. */
export function assertFindings(
  found: readonly PolicyDiagnostic[],
  policy: string,
  messages: readonly RegExp[],
  level = "mandatory",
): void {
  assert.deepEqual(
    found.map((d) => d.policyName),
    messages.map(() => policy),
    `expected ${messages.length} finding(s) of ${policy}, got: ${JSON.stringify(found.map((d) => d.message))}`,
  );
  found.forEach((d, i) => {
    assert.match(ownMessage(d), messages[i] as RegExp);
    assert.equal(d.enforcementLevel, level);
  });
}

/** The violation's own message: the analyzer prefixes it with the policy's description. */
export function ownMessage(d: PolicyDiagnostic): string {
  return d.message.startsWith(`${d.description}\n`)
    ? d.message.slice(d.description.length + 1)
    : d.message;
}
