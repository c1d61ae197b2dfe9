/**
 * The requirements of each example's seed and where its plan meets them: one registry per
 * example (tests/examples/requirements/<example>.ts), rendered into the example README's table
 * by `npm run seed-tables`. tests/examples/requirements.test.ts fails when a met or partial row
 * names no test that exists, or when a README's table is not the rendering of its registry.
 *
 * Adding a requirement is one line in the example's file, `r(id, status, requirement, plan,
 * test, note)` (the rows are kept one to a line for that, out of prettier's reach), then
 * `npm run seed-tables`.
 */

/** met: the plan shows all of it; partial: some of it, the note says what not; missing: none. */
export type Status = "met" | "partial" | "missing";

export const statuses: readonly Status[] = ["met", "partial", "missing"];

export interface Requirement {
  /** `<seed>-<nn>`, unique within the example, e.g. "001-07". */
  readonly id: string;
  readonly status: Status;
  /** The seed's requirement, in its words or close to them. */
  readonly requirement: string;
  /** Where the plan shows it: resource names and input paths (Markdown). */
  readonly plan: string;
  /** Full mocha title (suites and test) of the test that proves it; "" when none does. */
  readonly test: string;
  /** How it is met, or what is missing and why (Markdown). */
  readonly note: string;
}

export interface ExampleRequirements {
  /** Folder under examples/. */
  readonly example: string;
  /** Seed number, e.g. "001". */
  readonly seed: string;
  readonly rows: readonly Requirement[];
}

/** One row: `r(id, status, requirement, plan path, test title, note)`, one line each. */
export function r(
  id: string,
  status: Status,
  requirement: string,
  plan: string,
  test: string,
  note: string,
): Requirement {
  return { id, status, requirement, plan, test, note };
}

/** Full titles of the tests of one mocha suite: `suite(title)(test)` is `${title} ${test}`. */
export function suite(title: string): (test: string) => string {
  return (test) => `${title} ${test}`;
}

/** The row names no test, which only a missing row may do. */
export const none = "";
