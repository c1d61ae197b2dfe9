import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  registryProblems,
  renderTable,
  tableEnd,
  tableStart,
  withTable,
} from "../../tools/seed-tables/table";
import { testTitles, testTitlesOfSource, type TestTitle } from "../../tools/seed-tables/titles";
import { repoRoot } from "../support/run";
import { examples } from "./requirements";
import { r, type ExampleRequirements } from "./requirements/registry";

describe("Seed requirement tables: every example README's table is its registry, each claim backed by a test", function () {
  this.timeout(300_000);
  let titles: TestTitle[];
  before(() => {
    const wanted = examples.flatMap((e) => e.rows.map((row) => row.test)).filter((t) => t !== "");
    titles = testTitles(repoRoot, wanted);
  });

  for (const example of examples) {
    it(`${example.example}: names, for every met or partial row, a plan path and a test that exists`, () => {
      assert.deepEqual(registryProblems(example, titles), []);
    });

    it(`${example.example}: its README's table is the rendering of the registry (npm run seed-tables)`, () => {
      const file = path.join(repoRoot, "examples", example.example, "README.md");
      const readme = fs.readFileSync(file, "utf8");
      assert.equal(readme, withTable(readme, renderTable(example, titles), file));
    });
  }

  it("covers the five examples, seeds 000 to 004", () => {
    assert.deepEqual(
      examples.map((e) => `${e.seed} ${e.example}`),
      [
        "000 enrichment",
        "001 microservices",
        "002 travelsense",
        "003 corporate-intel",
        "004 company-directory",
      ],
    );
  });
});

describe("The seed-tables tool", () => {
  const title = (fullTitle: string): TestTitle => ({ fullTitle, file: "tests/x.test.ts" });
  const example = (rows: ExampleRequirements["rows"]): ExampleRequirements => ({
    example: "x",
    seed: "009",
    rows,
  });

  it("reads full titles from nested suites, leaving out tests under a computed title", () => {
    const source = [
      'describe("Outer", () => {',
      '  it("first", () => {});',
      '  describe(`inner`, () => { it("second", () => {}); });',
      '  for (const n of [1]) describe(`n ${n}`, () => { it("third", () => {}); });',
      "});",
    ].join("\n");
    assert.deepEqual(testTitlesOfSource(source, "tests/x.test.ts"), {
      titles: [title("Outer first"), title("Outer inner second")],
      computed: true,
    });
  });

  it("refuses a met row without a test, a partial row naming a test that does not exist, and an id twice", () => {
    const rows = [
      r("009-01", "met", "a", "`a`", "", ""),
      r("009-02", "partial", "b", "`b`", "Suite nothing of the kind", ""),
      r("009-02", "missing", "c", "", "", "why"),
      r("009-03", "met", "d", "`d`", "Suite real", ""),
    ];
    assert.deepEqual(registryProblems(example(rows), [title("Suite real")]), [
      "x 009-01: met without a test; name one, or mark it missing",
      'x 009-02: no test is titled "Suite nothing of the kind"',
      "x 009-02: id used twice",
    ]);
  });

  it("renders counts, escaped cells and the test's file, and finds a hand edit of the table", () => {
    const rendered = renderTable(
      example([
        r("009-01", "met", "a | b", "`res`", "Suite real", "n"),
        r("009-02", "missing", "c", "", "", "why"),
      ]),
      [title("Suite real")],
    );
    assert.ok(rendered.includes("Seed 009: met 1, partial 0, missing 1."), rendered);
    assert.ok(
      rendered.includes("| 009-01 | a \\| b | met | `res` | `tests/x.test.ts`: “Suite real” | n |"),
      rendered,
    );
    const readme = `# X\n${tableStart}\n${rendered}\n${tableEnd}\n`;
    assert.equal(withTable(readme, rendered, "README.md"), readme);
    const edited = readme.replace("| met |", "| partial |");
    assert.notEqual(withTable(edited, rendered, "README.md"), edited);
    assert.throws(() => withTable("# X\n", rendered, "README.md"), /needs the markers/);
  });
});
