import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackSettings } from "../../tools/plan/project";

describe("Stack settings read from a project folder", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-settings-"));
  before(() => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    fs.writeFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      [
        "config:",
        "  demo:limit: .inf",
        "  demo:floor: -.inf",
        "  demo:ratio: .nan",
        "  demo:retention:",
        "    days: .inf",
        "    copies: [1, -.inf]",
        "",
      ].join("\n"),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("passes YAML's infinities and NaN as YAML spells them, at the top and inside structures", () => {
    const { config } = readStackSettings(dir, "dev");
    assert.equal(config["demo:limit"], ".inf");
    assert.equal(config["demo:floor"], "-.inf");
    assert.equal(config["demo:ratio"], ".nan");
    assert.deepEqual(JSON.parse(config["demo:retention"]!), { days: ".inf", copies: [1, "-.inf"] });
  });
});
