/**
 * The SDK stamps every promise it makes with the call stack that made it (`_debugStackTrace`),
 * read only to print a leaked promise under PULUMI_DEBUG_PROMISE_LEAKS. Formatting that stack
 * at once, with source maps on, is about a fifth of a plan's CPU, and capturing its frames
 * another tenth. With this, a promise gets no stack unless PULUMI_DEBUG_PROMISE_LEAKS is set;
 * when it is, the frames are captured when the promise is made, as before, and formatted by
 * the same formatter only if the text is read (the one difference is this wrapper's own frame).
 */
import { debuggableModule } from "./sdk-internals";

const NativeError = Error;

/** `new Error()` whose `stack` is formatted on first use of its text. */
class DeferredStackError {
  readonly stack: { toString(): string };
  constructor() {
    const holder = new NativeError();
    NativeError.captureStackTrace(holder, DeferredStackError);
    let text: string | undefined;
    this.stack = { toString: () => (text ??= holder.stack ?? "") };
  }
}

/** What a promise's stack is when no one will read it. */
class NoStackError {
  readonly stack = "";
}

const installed = Symbol.for("platform.deferredPromiseStacks");

/** Installs the deferred stacks once; does nothing if the SDK no longer has `debuggablePromise`. */
export function deferPromiseStacks(): void {
  // The module's own exports object: the SDK calls `debuggable_1.debuggablePromise(...)`.
  const sdk = debuggableModule();
  const original = sdk.debuggablePromise;
  if (typeof original !== "function" || installed in original) return;
  const deferred = function <T>(p: Promise<T>, ctx: unknown): Promise<T> {
    const global = globalThis as { Error: unknown };
    global.Error = sdk.debugPromiseLeaks ? DeferredStackError : NoStackError;
    try {
      return original(p, ctx);
    } finally {
      global.Error = NativeError;
    }
  };
  sdk.debuggablePromise = Object.assign(deferred, { [installed]: true });
}
