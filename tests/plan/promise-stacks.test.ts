import { strict as assert } from "node:assert";
import { deferPromiseStacks } from "../../tools/plan/lazy-stacks";

interface Debuggable {
  debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
  promiseDebugString(p: Promise<unknown>): string;
  /** PULUMI_DEBUG_PROMISE_LEAKS as the SDK read it when it loaded. */
  debugPromiseLeaks: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;

describe("The debug stack the SDK stamps on each promise", () => {
  before(() => deferPromiseStacks());

  const stackOf = (p: Promise<unknown>) =>
    (p as unknown as { _debugStackTrace: unknown })._debugStackTrace;

  it("is not taken at all while PULUMI_DEBUG_PROMISE_LEAKS is off, as nothing reads it", async () => {
    assert.equal(sdk.debugPromiseLeaks, false, "the suite runs without leak debugging");
    const made = Promise.resolve(1);
    assert.equal(await sdk.debuggablePromise(made, "a quiet promise"), 1);
    assert.equal(stackOf(made), "");
  });

  it("with PULUMI_DEBUG_PROMISE_LEAKS, is captured where the promise is made and formatted only when read", async () => {
    sdk.debugPromiseLeaks = true;
    try {
      const made = Promise.resolve(1);
      const stampedHere = () => sdk.debuggablePromise(made, "a test promise");
      assert.equal(await stampedHere(), 1);
      assert.equal(typeof stackOf(made), "object", "not formatted while the program runs");
      const text = sdk.promiseDebugString(made);
      assert.match(
        text,
        /^CONTEXT\(\d+\): a test promise\nSTACK_TRACE:\nError\n {4}at debuggablePromise /,
      );
      assert.match(text, /at stampedHere /);
    } finally {
      sdk.debugPromiseLeaks = false;
    }
  });

  it("leaves the global Error in place once the promise is stamped", async () => {
    const native = Error;
    await sdk.debuggablePromise(Promise.resolve(), "another");
    assert.equal(globalThis.Error, native);
    assert.ok(new Error("x") instanceof native);
  });

  it("is installed once however often it is asked for", () => {
    const installed = sdk.debuggablePromise;
    deferPromiseStacks();
    assert.equal(sdk.debuggablePromise, installed);
  });
});
