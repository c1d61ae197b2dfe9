import * as fs from "node:fs";
import * as path from "node:path";
import { examples } from "../../tests/examples/requirements";
import { renderTable, statusCounts, withTable } from "./table";
import { testTitles } from "./titles";

/**
 * Rewrites each example README's requirement table from its registry:
 * `npm run seed-tables`. With `--check`, changes nothing and exits 1 when a table is stale.
 */
function main(): void {
  const root = path.resolve(__dirname, "..", "..");
  const check = process.argv.includes("--check");
  const titles = testTitles(
    root,
    examples.flatMap((e) => e.rows.map((row) => row.test)).filter((t) => t !== ""),
  );
  let stale = 0;
  for (const example of examples) {
    const file = path.join(root, "examples", example.example, "README.md");
    const readme = fs.readFileSync(file, "utf8");
    const next = withTable(readme, renderTable(example, titles), file);
    if (next === readme) continue;
    stale += 1;
    if (check) console.error(`${path.relative(root, file)}: table differs from its registry`);
    else fs.writeFileSync(file, next);
  }
  for (const example of examples) console.log(`${example.example}: ${statusCounts(example.rows)}`);
  if (check && stale > 0) process.exit(1);
}

main();
