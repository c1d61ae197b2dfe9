import { failoverProblems } from "./failover";
import type { EdgeArgs } from "./index";
import { wildcardLabel } from "./zone";

/** Which of the edge's rules a problem breaks: the stack config words its line by it. */
export type EdgeRule =
  | "zoneRequired"
  | "hostsRequired"
  | "primaryOrigin"
  | "rateLimitHost"
  | "wildcardBalanced"
  | "accountRequired"
  | "poolOrigin"
  | "failover";

/** One broken rule: the arg's key (under `keyPrefix`), its value and what is wrong. */
export interface EdgeProblem {
  readonly rule: EdgeRule;
  /** The arg's path, which the stack's `platform:edge` key names too: `rateLimits[0].hosts[1]`. */
  readonly key: string;
  /** The value at the key; undefined when it is missing. */
  readonly value: unknown;
  readonly message: string;
}

/** What the rules read: the args, with the zone as its keys give it (perhaps neither). */
export type EdgeRuleInput = Pick<
  EdgeArgs,
  "hosts" | "primaryPool" | "origins" | "rateLimits" | "loadBalancer" | "accountId" | "failover"
> & { readonly zone: { readonly name?: string; readonly id?: string } };

/**
 * The edge's rules, written once: the component refuses args that break any
 * (`edgeArgProblems`), and the stack config reports each by its `platform:edge` key with what
 * to set (`config/edge.ts`). `keyPrefix` goes before every key.
 */
export function edgeRuleProblems(args: EdgeRuleInput, keyPrefix = ""): EdgeProblem[] {
  const at = (key: string) => `${keyPrefix}${key}`;
  const problems: EdgeProblem[] = [];
  if (args.zone.name === undefined && args.zone.id === undefined) {
    problems.push({
      rule: "zoneRequired",
      key: at("zone"),
      value: undefined,
      message: "a zone name or a zone id is needed",
    });
  }
  if (args.hosts.length === 0) {
    problems.push({
      rule: "hostsRequired",
      key: at("hosts"),
      value: [],
      message: "at least one public host is needed",
    });
  }
  if (args.origins[args.primaryPool] === undefined) {
    problems.push({
      rule: "primaryOrigin",
      key: at(`origins.${args.primaryPool}`),
      value: undefined,
      message: `primaryPool "${args.primaryPool}" needs it`,
    });
  }
  problems.push(...rateLimitHostProblems(args, at));
  if (args.loadBalancer) problems.push(...loadBalancerProblems(args, at));
  return problems;
}

function rateLimitHostProblems(args: EdgeRuleInput, at: (key: string) => string): EdgeProblem[] {
  return args.rateLimits.flatMap((rule, i) =>
    rule.hosts
      .map((host, j) => ({ host, j }))
      .filter(({ host }) => !args.hosts.includes(host))
      .map(({ host, j }) => ({
        rule: "rateLimitHost" as const,
        key: at(`rateLimits[${i}].hosts[${j}]`),
        value: host,
        message: `is not a public host of rate limit ${rule.name}; expected one of ${args.hosts.join(", ")}`,
      })),
  );
}

/** A load balancer takes named hosts, an account, both pools' origins and a fast enough monitor. */
function loadBalancerProblems(args: EdgeRuleInput, at: (key: string) => string): EdgeProblem[] {
  const problems: EdgeProblem[] = [];
  if (args.hosts.includes(wildcardLabel)) {
    problems.push({
      rule: "wildcardBalanced",
      key: at("hosts"),
      value: wildcardLabel,
      message: "cannot be load balanced; Cloudflare load balancers take named hosts",
    });
  }
  if (args.accountId === undefined) {
    problems.push({
      rule: "accountRequired",
      key: at("accountId"),
      value: undefined,
      message: "the load balancer needs it",
    });
  }
  const other = args.primaryPool === "aws" ? "gcp" : "aws";
  if (args.origins[other] === undefined) {
    problems.push({
      rule: "poolOrigin",
      key: at(`origins.${other}`),
      value: undefined,
      message: `the ${other.toUpperCase()} pool needs it`,
    });
  }
  for (const line of failoverProblems(args.failover, at("failover"))) {
    const key = at("failover");
    problems.push({
      rule: "failover",
      key,
      value: args.failover,
      message: line.slice(key.length + 2),
    });
  }
  return problems;
}
