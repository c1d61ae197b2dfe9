import { ComponentError } from "./errors";
import type { Placement } from "./placement";

/**
 * The problem with a placement on a target the component has no implementation for: it
 * names the targets the component's dispatch does build on, so the caller sees where it can go.
 */
export function unsupportedTargetProblem(
  placement: Placement,
  supported: readonly Placement["target"][],
): string {
  return `placement.target: "${placement.target}" cannot be built yet; supported targets: ${supported.map((t) => `"${t}"`).join(", ")}`;
}

/** The error for a placement on a target the component has no implementation for. */
export function unsupportedTarget(
  component: string,
  name: string,
  placement: Placement,
  supported: readonly Placement["target"][],
): ComponentError {
  return new ComponentError(component, name, [unsupportedTargetProblem(placement, supported)]);
}
