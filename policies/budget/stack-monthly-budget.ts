import type { StackValidationPolicy } from "@pulumi/policy";
import { estimateCost, topComponents, usd } from "../../tools/cost/estimate";
import { fromPolicy } from "../../tools/cost/resources";

interface BudgetConfig {
  /** Most the stack may cost a month at on-demand list prices, USD; no limit when unset. */
  monthlyBudgetUsd?: number;
}

/**
 * A stack that costs more than its team budgeted is refused at preview, before any of it is
 * bought; the message names the three components that cost most, where sizes come down.
 */
export const stackMonthlyBudget: StackValidationPolicy = {
  name: "stack-monthly-budget",
  description:
    "The stack's monthly estimate at on-demand list prices (tools/cost, the plan's --cost) must not exceed monthlyBudgetUsd from the stack's policy config; shrink the components named or raise the budget.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      monthlyBudgetUsd: {
        type: "number",
        minimum: 0,
        description:
          "Most the stack may cost a month, USD (set it in Pulumi.<stack>.policy.json; mandatory in prod).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const budget = args.getConfig<BudgetConfig>().monthlyBudgetUsd;
    if (budget === undefined) return;
    const estimate = estimateCost(fromPolicy(args.resources));
    if (estimate.total.usd <= budget) return;
    const top = topComponents(estimate, 3)
      .map(([component, money]) => `${component} ${usd(money.usd)}`)
      .join(", ");
    reportViolation(
      `The stack is estimated at ${usd(estimate.total.usd)} a month, over its budget of ${usd(budget)} (monthlyBudgetUsd). Costliest components: ${top}.`,
    );
  },
};
