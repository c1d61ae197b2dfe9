/** The plan CLI's options, as `node:util` parseArgs takes them; shared with the plan cache. */
export const cliOptions = {
  stack: { type: "string" },
  dir: { type: "string", default: "." },
  json: { type: "string" },
  mermaid: { type: "string" },
  "policy-pack": { type: "string" },
  "policy-pack-address": { type: "string" },
  "no-policy": { type: "boolean", default: false },
  "policy-config": { type: "string" },
  preview: { type: "boolean", default: false },
  "update-report": { type: "string" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
  cost: { type: "boolean", default: false },
  compare: { type: "string" },
} as const;
