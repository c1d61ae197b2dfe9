import * as pulumi from "@pulumi/pulumi";

/**
 * What a component refuses, or cannot build, and why: the one error every file under
 * `components/` throws. It is a `RunError`, so the Pulumi CLI prints the message alone,
 * without a stack trace, as it does for the stack config's `ConfigError`.
 *
 * The message has one format, a heading and one line per problem:
 *
 * ```
 * <Component> <name>: invalid args:
 *   - <arg>: <value> <what is wrong>; <what is allowed>
 *   - ...
 * ```
 *
 * `<Component> <name>` is the component and the resource name it was given (`Database main`),
 * or, for a helper that parses one value, the helper's subject and that value
 * (`Quantity "2 Gi"`). The heading's reason is "invalid args" when the caller can fix the
 * args, or "cannot be built" when the cloud reports something the args cannot change.
 */
export class ComponentError extends pulumi.RunError {
  constructor(
    readonly component: string,
    readonly resourceName: string,
    readonly problems: readonly string[],
    readonly reason: ComponentErrorReason = "invalid args",
  ) {
    super(
      `${component} ${resourceName}: ${reason}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ComponentError";
  }
}

/** Why a component stops: args the caller can fix, or a fact of the cloud it cannot. */
export type ComponentErrorReason = "invalid args" | "cannot be built";

/**
 * Throws the component's one error when `problems` is not empty. Constructors call it with
 * their `<name>ArgProblems(args)` before `super(...)`, so nothing is registered.
 */
export function refuseArgs(component: string, name: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ComponentError(component, name, problems);
}

/**
 * Runs a helper that parses one value and throws `ComponentError` when it cannot; its
 * problems are added to `problems` instead of thrown, so a component reports them with the
 * rest of its args. Any other error is not a problem with the args and is thrown on.
 */
export function collectProblems<T>(parse: () => T, problems: string[]): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ComponentError)) throw e;
    problems.push(...e.problems);
    return undefined;
  }
}
