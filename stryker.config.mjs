// Mutation testing of the policy pack: `npm run mutate` (every policy), or one family at a
// time with `POLICY_FAMILY=<folder> npm run mutate` (encryption, pod-security, quotas,
// exposure, data-protection, shared). The tests reach the pack through a child process over
// gRPC, which per-test coverage cannot see into, so coverage analysis is off and every mutant
// runs its family's tests against a pack started from Stryker's sandbox, where the mutated
// sources live (tests/policies/pack.ts restarts it whenever the active mutant changes).

/** The test files that exercise each family's policies; every family also runs readme-table. */
const families = {
  encryption: ["encryption", "s3"],
  "pod-security": ["pod-security", "namespaces"],
  quotas: ["pod-security", "namespaces"],
  exposure: ["exposure", "s3"],
  "data-protection": ["data-protection", "s3"],
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
  testRunner: "mocha",
  plugins: ["@stryker-mutator/mocha-runner"],
  mutate,
  mochaOptions: {
    config: ".mocharc.json",
    spec,
    require: ["tsx/cjs", "./tests/policies/stryker-hooks.ts"],
  },
  coverageAnalysis: "off",
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
