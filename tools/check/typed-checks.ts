import * as path from "node:path";
import { parseArgs } from "node:util";
import { ESLint } from "eslint";
import ts from "typescript";

/**
 * The type check and ESLint on one TypeScript program. `tsc --noEmit` and ESLint's typed rules
 * each build the whole program (every file and the providers' declarations) and type-check
 * it; here it is built and checked once, and ESLint reads its types from it. The verdicts are
 * those of `npm run typecheck` and `eslint --max-warnings=0 .`: the same compiler options
 * (tsconfig.json), the same ESLint config (eslint.config.mjs) with the program given to the
 * parser in place of its project service. Exits 1 when either finds anything.
 *
 * `--root <dir>` checks another project folder with its own tsconfig.json and ESLint config
 * (the tests check a small one); the default is this repository.
 */

function loadProgram(root: string): {
  program: ts.Program;
  configErrors: readonly ts.Diagnostic[];
} {
  const configFile = path.join(root, "tsconfig.json");
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (read.error) return { program: ts.createProgram([], {}), configErrors: [read.error] };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return { program, configErrors: parsed.errors };
}

/** The compiler's diagnostics, printed as tsc prints them; true when there are none. */
function typeCheck(
  root: string,
  program: ts.Program,
  configErrors: readonly ts.Diagnostic[],
): boolean {
  const diagnostics = [...configErrors, ...ts.getPreEmitDiagnostics(program)];
  if (diagnostics.length === 0) return true;
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  };
  console.log(ts.formatDiagnostics(diagnostics, host));
  console.log(`typecheck: ${diagnostics.length} error(s)`);
  return false;
}

/** ESLint over the repository with no warning allowed; true when it found nothing. */
async function lint(root: string, program: ts.Program): Promise<boolean> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, programs: [program] } },
    },
  });
  const results = await eslint.lintFiles(["."]);
  const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
  if (problems === 0) return true;
  const formatter = await eslint.loadFormatter("stylish");
  console.log(await formatter.format(results));
  console.log("eslint: no warning is allowed (--max-warnings=0)");
  return false;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { root: { type: "string" } } });
  const root = path.resolve(values.root ?? path.join(__dirname, "..", ".."));
  const { program, configErrors } = loadProgram(root);
  const typesOk = typeCheck(root, program, configErrors);
  const lintOk = await lint(root, program);
  return typesOk && lintOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
