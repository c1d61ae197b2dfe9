import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Plans every stack of the project and of each example, each in its own process (the SDK's
 * runtime is global to a process), with the policy pack. Fails if any plan fails.
 */
const repoRoot = path.resolve(__dirname, "..", "..");

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
  for (const stack of stacksIn(dir)) {
    const label = `${path.relative(repoRoot, dir) || "."} --stack ${stack}`;
    const started = Date.now();
    const json = path.join(
      repoRoot,
      "reports",
      "plans",
      `${path.basename(dir) === path.basename(repoRoot) ? "platform" : path.basename(dir)}.${stack}.json`,
    );
    const result = spawnSync(
      process.execPath,
      [
        tsx,
        path.join(__dirname, "cli.ts"),
        "--dir",
        dir,
        "--stack",
        stack,
        "--quiet",
        "--json",
        json,
      ],
      { cwd: repoRoot, encoding: "utf8" },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = /^Plan of .*$/m.exec(result.stdout)?.[0] ?? "";
    if (result.status === 0) {
      console.log(`ok   ${label} (${seconds} s) ${summary}`);
    } else {
      failures.push(label);
      console.log(
        `FAIL ${label} (exit ${String(result.status)}, ${seconds} s)\n${result.stdout}\n${result.stderr}`,
      );
    }
  }
}
if (failures.length > 0) {
  console.error(`\n${failures.length} stack plan(s) failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("\nEvery stack plans and passes the policy pack.");
