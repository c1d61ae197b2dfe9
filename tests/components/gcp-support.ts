import * as pulumi from "@pulumi/pulumi";
import { toDisplay } from "../../tools/plan/values";
import type { Recorded } from "../support/mocks";

/** The parent every GCP function under test builds under. */
export function testParent(): pulumi.ComponentResource {
  return new pulumi.ComponentResource("platform:index:Test", "t");
}

/**
 * Resources (type/name) whose recorded inputs or outputs show `secret` in plain text, once
 * every value marked secret is redacted: empty when the secret only ever travels as a secret.
 */
export function plainTextLeaks(recorded: Recorded, secret: string): string[] {
  if (secret.length < 8) throw new Error("a secret this short would match by accident");
  return recorded.all
    .filter((r) => [r.inputs, r.outputs].some((v) => JSON.stringify(toDisplay(v)).includes(secret)))
    .map((r) => `${r.type}/${r.name}`);
}

/** Resources whose recorded inputs or outputs carry `secret` at all (redacted or not). */
export function carriers(recorded: Recorded, secret: string): string[] {
  return recorded.all
    .filter((r) => [r.inputs, r.outputs].some((v) => JSON.stringify(v).includes(secret)))
    .map((r) => `${r.type}/${r.name}`);
}
