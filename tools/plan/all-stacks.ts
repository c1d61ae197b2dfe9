import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanReport } from "./report";

/**
 * Plans every stack of the project and of each example, each in its own process (the SDK's
 * runtime is global to a process), with the policy pack: once as an update (every value
 * known) and once as a first preview (computed values unknown). Fails if any plan fails, or
 * if a preview leaves a mandatory encryption, pod-security or quota verdict unreached.
 */
const repoRoot = path.resolve(__dirname, "..", "..");

/** Families whose mandatory verdicts must hold in a first preview. */
export const previewCriticalConcerns = ["encryption", "pod-security", "quotas"];

function stacksIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function projects(): string[] {
  const examples = path.join(repoRoot, "examples");
  const exampleDirs = fs.existsSync(examples)
    ? fs
        .readdirSync(examples)
        .map((d) => path.join(examples, d))
        .filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml")))
    : [];
  return [repoRoot, ...exampleDirs.sort()];
}

const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
const failures: string[] = [];
for (const dir of projects()) {
  const project = dir === repoRoot ? "platform" : path.basename(dir);
  for (const stack of stacksIn(dir)) {
    for (const preview of [false, true]) {
      const label = `${path.relative(repoRoot, dir) || "."} --stack ${stack}${preview ? " --preview" : ""}`;
      const json = path.join(
        repoRoot,
        "reports",
        "plans",
        `${project}.${stack}${preview ? ".preview" : ""}.json`,
      );
      const started = Date.now();
      const args = [
        tsx,
        path.join(__dirname, "cli.ts"),
        "--dir",
        dir,
        "--stack",
        stack,
        "--quiet",
        "--json",
        json,
      ];
      const result = spawnSync(process.execPath, preview ? [...args, "--preview"] : args, {
        cwd: repoRoot,
        encoding: "utf8",
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const summary = /^Plan of .*$/m.exec(result.stdout)?.[0] ?? "";
      if (result.status !== 0) {
        failures.push(label);
        console.log(
          `FAIL ${label} (exit ${String(result.status)}, ${seconds} s)\n${result.stdout}\n${result.stderr}`,
        );
        continue;
      }
      const report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
      const degraded = (report.degraded ?? []).filter((d) =>
        previewCriticalConcerns.includes(d.concern),
      );
      if (degraded.length > 0) {
        failures.push(label);
        console.log(
          `FAIL ${label}: ${degraded.length} mandatory verdict(s) unreachable in a first preview:\n` +
            degraded.map((d) => `  ${d.policyName} on ${d.urn} reads unknown ${d.path}`).join("\n"),
        );
        continue;
      }
      const other = (report.degraded ?? []).length;
      console.log(
        `ok   ${label} (${seconds} s) ${summary}${preview ? `; degraded verdicts: ${other}` : ""}`,
      );
    }
  }
}
if (failures.length > 0) {
  console.error(`\n${failures.length} stack plan(s) failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log(
  "\nEvery stack plans, as an update and as a first preview, and passes the policy pack.",
);
