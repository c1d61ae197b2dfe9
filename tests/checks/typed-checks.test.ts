import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/run";

const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
const checks = path.join(repoRoot, "tools", "check", "typed-checks.ts");

/** A project folder with the repository's compiler options and ESLint config, and these files. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "typed-checks-"));
  const tsconfig = JSON.parse(fs.readFileSync(path.join(repoRoot, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  const compilerOptions = { ...tsconfig.compilerOptions, types: [], typeRoots: [] };
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions, include: ["*.ts"] }),
  );
  fs.writeFileSync(
    path.join(dir, "eslint.config.mjs"),
    `export { default } from ${JSON.stringify(path.join(repoRoot, "eslint.config.mjs"))};\n`,
  );
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function run(dir: string) {
  const result = spawnSync(process.execPath, [tsx, checks, "--root", dir], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("The type check and ESLint on one program", () => {
  it("passes a project with no type error and no lint finding", () => {
    const dir = project({
      "ok.ts": "export async function ready(): Promise<number> {\n  return 1;\n}\n",
    });
    const { status, out } = run(dir);
    assert.equal(status, 0, out);
  });

  describe("on a project with one mistake of each kind", () => {
    let result: { status: number | null; out: string };
    before(() => {
      result = run(
        project({
          "types.ts": 'export const port: number = "8080";\n',
          "promises.ts":
            "async function save(): Promise<void> {}\nexport function handler(): void {\n  save();\n}\n",
          "directive.ts": "// eslint-disable-next-line eqeqeq\nexport const same = 1;\n",
        }),
      );
    });

    it("exits 1", () => assert.equal(result.status, 1, result.out));

    it("reports a type error with its file, line and code, as tsc does", () => {
      assert.match(
        result.out,
        /types\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'\./,
      );
    });

    it("reports a typed lint rule, which needs the program's types", () => {
      assert.match(
        result.out,
        /promises\.ts\s+3:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/,
      );
    });

    it("reports a lint warning, which --max-warnings=0 refuses", () => {
      assert.match(result.out, /directive\.ts\s+1:1\s+warning\s+Unused eslint-disable directive/);
    });
  });
});
