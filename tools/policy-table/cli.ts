import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyPackProcess } from "../plan/analyzer";
import { policyReasons, renderPolicyTable, withTable } from "./table";

/** Rewrites the README's policy table from the pack itself: `npm run policy-table`. */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, "..", "..");
  const packDir = path.join(root, "policies");
  const pack = await PolicyPackProcess.start(packDir);
  try {
    const info = await pack.info();
    const readme = path.join(root, "README.md");
    const table = renderPolicyTable(info.policies, policyReasons(packDir));
    fs.writeFileSync(readme, withTable(fs.readFileSync(readme, "utf8"), table));
    console.log(`README.md: ${info.policies.length} policies`);
  } finally {
    await pack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
