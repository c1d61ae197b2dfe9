import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  readmeReasons,
  readmeRows,
  renderPolicyTable,
  tableEnd,
  tableStart,
} from "../../tools/policy-table/table";
import { repoRoot } from "../support/run";
import { usePack } from "./pack";

const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");

/**
 * The level each policy module declares, keyed by policy name. The modules are loaded one by
 * one: the pack's index would start the analyzer server.
 */
function declaredPolicies(): Map<string, unknown> {
  const declared = new Map<string, unknown>();
  const root = path.join(repoRoot, "policies");
  for (const family of fs.readdirSync(root, { withFileTypes: true })) {
    if (!family.isDirectory() || family.name === "node_modules") continue;
    for (const file of fs.readdirSync(path.join(root, family.name))) {
      if (!file.endsWith(".ts")) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(path.join(root, family.name, file)) as Record<string, unknown>;
      for (const value of Object.values(exports)) {
        const policy = value as { name?: unknown; enforcementLevel?: unknown };
        if (typeof policy === "object" && policy !== null && typeof policy.name === "string") {
          declared.set(policy.name, policy.enforcementLevel);
        }
      }
    }
  }
  return declared;
}

describe("The README's policy table, against the pack", function () {
  const pack = usePack();

  it("has one row per policy, in the pack's order", () => {
    assert.deepEqual(
      readmeRows(readme).map((cells) => cells[0]),
      pack.infos.map((info) => `\`${info.name}\``),
    );
  });

  it("has every policy state its own level, not inherit the pack's default", () => {
    const declared = declaredPolicies();
    assert.deepEqual([...declared.keys()].sort(), pack.infos.map((info) => info.name).sort());
    for (const info of pack.infos) {
      assert.equal(declared.get(info.name), info.enforcementLevel, info.name);
    }
  });

  it("shows each policy's concern, description, default level and config as the pack declares them", () => {
    const start = readme.indexOf(tableStart) + tableStart.length;
    const table = readme.slice(start, readme.indexOf(tableEnd)).trim();
    assert.equal(table, renderPolicyTable(pack.infos, readmeReasons(readme)));
  });
});
