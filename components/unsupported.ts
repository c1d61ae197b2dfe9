import type { Placement } from "./placement";

/**
 * The error a component throws for a target it has no implementation for: it names the
 * targets the component's dispatch does build on, so the caller sees where it can go.
 */
export function unsupportedTarget(
  component: string,
  placement: Placement,
  supported: readonly Placement["target"][],
): Error {
  return new Error(
    `${component} cannot be built on target "${placement.target}" yet; supported targets: ${supported.map((t) => `"${t}"`).join(", ")}`,
  );
}
