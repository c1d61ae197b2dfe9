// Mutation testing of the policy pack: `npm run mutate` (every policy), or one family at a
// time with `POLICY_FAMILY=<folder> npm run mutate` (encryption, pod-security, quotas,
// exposure, data-protection, budget, shared). Under Stryker the tests serve the pack inside the test
// process (tests/support/policy-in-process.ts), so mutants are switched without starting a
// pack, and each mutant runs only the tests that reach its code (coverage "perTest"). A mutant
// in code that runs when the pack loads (policy metadata, tables) is "static": it runs every
// test of the family, with the pack's sources loaded again (tests/policies/stryker-runner.mjs).
// tests/policies/in-process.test.ts holds the in-process pack to the served one's diagnostics.

/** The test files that exercise each family's policies; every family also runs readme-table. */
const families = {
  encryption: ["encryption", "s3"],
  "pod-security": ["pod-security", "namespaces"],
  quotas: ["pod-security", "namespaces"],
  exposure: ["exposure", "s3"],
  "data-protection": ["data-protection", "s3"],
  budget: ["budget"],
};
const allTests = ["tests/policies/*.test.ts"];
const shared = ["policies/*.ts"];

const family = process.env.POLICY_FAMILY;
if (family !== undefined && family !== "shared" && !(family in families)) {
  throw new Error(
    `POLICY_FAMILY=${family} is not a policy family; use one of ${[...Object.keys(families), "shared"].join(", ")}`,
  );
}
const mutate =
  family === undefined
    ? ["policies/**/*.ts"]
    : family === "shared"
      ? shared
      : [`policies/${family}/**/*.ts`];
const spec =
  family === undefined || family === "shared"
    ? allTests
    : [...families[family], "readme-table"].map((file) => `tests/policies/${file}.test.ts`);

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "policy-mocha",
  plugins: ["@stryker-mutator/mocha-runner", "./tests/policies/stryker-runner.mjs"],
  mutate,
  mochaOptions: {
    config: ".mocharc.json",
    spec,
    require: ["tsx/cjs"],
  },
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 30000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 10,
  ignorePatterns: ["examples", "reports", "*.log"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${family ?? "all"}.html` },
  jsonReporter: { fileName: `reports/mutation/${family ?? "all"}.json` },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
