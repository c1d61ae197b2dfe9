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

describe("The README's policy table, against the pack", function () {
  const pack = usePack();

  it("has one row per policy, in the pack's order", () => {
    assert.deepEqual(
      readmeRows(readme).map((cells) => cells[0]),
      pack.infos.map((info) => `\`${info.name}\``),
    );
  });

  it("shows each policy's concern, description, default level and config as the pack declares them", () => {
    const start = readme.indexOf(tableStart) + tableStart.length;
    const table = readme.slice(start, readme.indexOf(tableEnd)).trim();
    assert.equal(table, renderPolicyTable(pack.infos, readmeReasons(readme)));
  });
});
