import { strict as assert } from "node:assert";
import type { PolicyDiagnostic, PolicyInfo, PolicyPackConfig } from "../../tools/plan/analyzer";
import { PackUnderTest, type FakeResource } from "../support/policy";

/**
 * The pack for one test file: started in `before`, stopped in `after`, configured with the
 * file's policy config. Under mutation testing (`sharedPack`), one process per mutant serves
 * every file: it is started with the active mutant in its environment, so the pack process
 * loads the same mutated policies the test process does, and stopped by the root hook.
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
  __policyPack__?: { mutant: string; pack: PackUnderTest };
}
const g = globalThis as StrykerGlobal;

/** True when the test process runs under Stryker's mutant switching. */
export function sharedPack(): boolean {
  return g.__stryker__ !== undefined;
}

export async function stopSharedPack(): Promise<void> {
  await g.__policyPack__?.pack.stop();
  delete g.__policyPack__;
}

export class PackHandle {
  private pack?: PackUnderTest;
  constructor(private readonly config: PolicyPackConfig) {}

  async open(): Promise<void> {
    if (sharedPack()) {
      const mutant = g.__stryker__?.activeMutant ?? "";
      if (g.__policyPack__?.mutant !== mutant) {
        await stopSharedPack();
        process.env.__STRYKER_ACTIVE_MUTANT__ = mutant;
        const pack = new PackUnderTest();
        await pack.start();
        g.__policyPack__ = { mutant, pack };
      }
      this.pack = g.__policyPack__?.pack;
    } else {
      this.pack = new PackUnderTest();
      await this.pack.start();
    }
    await this.configure();
  }

  async close(): Promise<void> {
    if (!sharedPack()) await this.pack?.stop();
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
