import type { PlanReport } from "./report";

/**
 * What a plan concluded, most serious first. Each has its own exit code, so CI can tell a
 * broken program from a plan that could not see everything.
 */
export type Outcome =
  | "program-failed"
  | "planner-failed"
  | "violations"
  | "incomplete"
  | "clean"
  | "usage";

/** The exit code of each outcome; the README's table is this one. */
export const exitCodes: Readonly<Record<Outcome, number>> = {
  clean: 0,
  "program-failed": 1,
  violations: 2,
  incomplete: 3,
  "planner-failed": 4,
  usage: 64,
};

/**
 * The outcome of a finished plan: the program failed (its own error, bad config, a refused
 * default provider); it stopped only because calls had no answer (incomplete); a mandatory
 * violation; something the plan could not see (a component not expanded, a call left unknown);
 * else clean.
 */
export function outcomeOf(report: PlanReport): Outcome {
  const unanswered = (report.guessedCalls ?? []).filter((c) => c.answer === "unanswered");
  if (report.errors.length > 0) {
    return unanswered.length === report.errors.length ? "incomplete" : "program-failed";
  }
  if (report.violations.some((v) => v.enforcementLevel === "mandatory")) return "violations";
  if ((report.unexpanded ?? []).length > 0 || (report.guessedCalls ?? []).length > 0) {
    return "incomplete";
  }
  return "clean";
}
