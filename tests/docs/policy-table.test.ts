import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { policyReasons, readmeReasons } from "../../tools/policy-table/table";
import { repoRoot } from "../support/run";

describe("The README's policy table, against the policy sources", () => {
  it("says why each policy exists in the words of the doc comment next to its code", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const fromSources = policyReasons(path.join(repoRoot, "policies"));
    const fromReadme = readmeReasons(readme);
    assert.equal(fromReadme.size, 58);
    for (const [name, why] of fromReadme) assert.equal(why, fromSources.get(name), name);
  });

  it("takes each reason from the policy's own doc comment, never from code around it", () => {
    const fromSources = policyReasons(path.join(repoRoot, "policies"));
    assert.equal(fromSources.size, 58);
    for (const [name, why] of fromSources) {
      assert.doesNotMatch(why, /\*\/|=>|\bexport\b|\binterface\b/, name);
      assert.ok(why.length > 0 && why.length < 400, `${name}: ${why.length} characters`);
    }
  });
});
