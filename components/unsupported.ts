import type { Placement } from "./placement";

/** The error a component throws for a target it has no implementation for yet. */
export function unsupportedTarget(component: string, placement: Placement): Error {
  return new Error(
    `${component} cannot be built on target "${placement.target}" yet; supported targets: "aws", "gcp"`,
  );
}
