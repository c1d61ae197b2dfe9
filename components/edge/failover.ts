/**
 * How long the load balancer takes, at worst, to move traffic from the primary pool to the
 * standby after the primary stops answering, and whether that stays within seed 002's
 * "automated failover < 5 minutes". Pure arithmetic, so it can be checked without a cloud.
 */

/** Seed 002: failover time < 5 minutes. */
export const failoverLimitSeconds = 300;

/**
 * Allowance for a pool's new health state to reach every Cloudflare data centre and for
 * steering to pick the next pool. Cloudflare publishes no figure for this; it is a budget
 * the arithmetic keeps, not a measurement.
 */
export const steeringAllowanceSeconds = 30;

/** The health monitor's timing, as the Cloudflare monitor takes it. */
export interface MonitorTiming {
  /** Seconds between two health checks from one checking region. */
  readonly intervalSeconds: number;
  /** Seconds one check waits for an answer before counting as failed. */
  readonly timeoutSeconds: number;
  /** Immediate retries of a timed-out check before that check counts as failed. */
  readonly retries: number;
  /** Failed checks in a row that mark the origin unhealthy. */
  readonly consecutiveDown: number;
}

export interface FailoverBudget {
  /** Worst case from the origin failing to its last failed check returning. */
  readonly detectionSeconds: number;
  /** Health propagation and pool steering, see `steeringAllowanceSeconds`. */
  readonly steeringSeconds: number;
  /**
   * DNS TTL clients may keep the old answer for. The load balancer is proxied: clients
   * resolve to Cloudflare's addresses, which do not change on failover, so this is 0. Cloudflare
   * documents a load balancer's `ttl` as applying only to unproxied (DNS-only) load balancers,
   * and proxied (layer 7) load balancing as failing over without waiting on DNS caches
   * (developers.cloudflare.com/load-balancing/understand-basics/proxy-modes/, and the API's
   * `cloudflare_load_balancer` reference at developers.cloudflare.com/api/terraform/resources/load_balancers).
   */
  readonly dnsTtlSeconds: number;
  readonly totalSeconds: number;
  /** The sum spelt out, for messages and stack outputs. */
  readonly explanation: string;
}

/**
 * Worst case: the origin fails just after a good check. The next check comes one interval
 * later; `consecutiveDown` checks must fail, the last of them beginning
 * `interval x consecutiveDown` after the failure and taking up to `timeout x (retries + 1)`
 * (each retry waits a full timeout). Steering and DNS follow.
 */
export function failoverBudget(timing: MonitorTiming): FailoverBudget {
  const checks = timing.intervalSeconds * timing.consecutiveDown;
  const lastCheck = timing.timeoutSeconds * (timing.retries + 1);
  const detectionSeconds = checks + lastCheck;
  const steeringSeconds = steeringAllowanceSeconds;
  const dnsTtlSeconds = 0;
  const totalSeconds = detectionSeconds + steeringSeconds + dnsTtlSeconds;
  const explanation =
    `interval ${timing.intervalSeconds} s x consecutiveDown ${timing.consecutiveDown}` +
    ` + timeout ${timing.timeoutSeconds} s x (retries ${timing.retries} + 1)` +
    ` + steering ${steeringSeconds} s + DNS TTL ${dnsTtlSeconds} s (proxied) = ${totalSeconds} s`;
  return { detectionSeconds, steeringSeconds, dnsTtlSeconds, totalSeconds, explanation };
}

/**
 * The problems with a monitor timing, one line each, naming the keys under `keyPrefix`
 * (e.g. `platform:edge.failover`). Empty when the failover stays under the limit.
 */
export function failoverProblems(timing: MonitorTiming, keyPrefix: string): string[] {
  const budget = failoverBudget(timing);
  if (budget.totalSeconds < failoverLimitSeconds) return [];
  return [
    `${keyPrefix}: worst-case failover takes ${budget.totalSeconds} s (${budget.explanation}),` +
      ` not under the ${failoverLimitSeconds} s of seed 002; lower ${keyPrefix}.intervalSeconds,` +
      ` ${keyPrefix}.consecutiveDown, ${keyPrefix}.retries or ${keyPrefix}.timeoutSeconds`,
  ];
}
