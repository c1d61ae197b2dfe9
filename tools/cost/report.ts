import type { PlanReport } from "../plan/report";
import { estimateCost, type CostEstimate } from "./estimate";
import { fromReport } from "./resources";

/** The plan report with its monthly estimate; a failed program has nothing to price. */
export function withCost(report: PlanReport): PlanReport & { cost?: CostEstimate } {
  if (report.errors.length > 0) return report;
  return { ...report, cost: estimateCost(fromReport(report.resources)) };
}
