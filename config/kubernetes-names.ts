import { z } from "zod";

/**
 * Object names as the Kubernetes API validates them (apimachinery `validation`): each kind
 * takes a DNS-1123 label, a DNS-1035 label or a DNS-1123 subdomain, and CronJob names are at
 * most 52 characters because the controller appends 11 to name the Jobs it creates.
 */
const label1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const subdomain1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const rules = {
  /** Namespaces and the names used as label values. */
  label: {
    pattern: label1123,
    max: 63,
    grammar:
      "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  },
  /** Services: the name is also a DNS name, so it starts with a letter. */
  service: {
    pattern: label1035,
    max: 63,
    grammar:
      "a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
  /** Secrets, ConfigMaps. */
  subdomain: {
    pattern: subdomain1123,
    max: 253,
    grammar: "a DNS-1123 subdomain: dot-separated lowercase labels of letters, digits and '-'",
  },
  /** CronJobs: a label (also used as the jobs' label value), 52 characters at most. */
  cronJob: {
    pattern: label1123,
    max: 52,
    grammar:
      "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  },
} as const;

export type NameKind = keyof typeof rules;

/** Why `name` is not a valid name of `kind` (`what` names the kind in the message), or undefined. */
export function nameProblem(kind: NameKind, what: string, name: string): string | undefined {
  const rule = rules[kind];
  if (name.length > rule.max) {
    const why = kind === "cronJob" ? " (the controller appends 11 characters for its Jobs)" : "";
    return `is ${name.length} characters; a ${what} name is at most ${rule.max}${why}`;
  }
  if (!rule.pattern.test(name)) return `is not a valid ${what} name; expected ${rule.grammar}`;
  return undefined;
}

/** A schema for the name of one kind of object. */
export function kubernetesName(kind: NameKind, what: string) {
  return z
    .string({ error: `is not a string; expected a ${what} name` })
    .superRefine((name, ctx) => {
      const problem = nameProblem(kind, what, name);
      if (problem !== undefined) ctx.addIssue({ code: "custom", input: name, message: problem });
    });
}
