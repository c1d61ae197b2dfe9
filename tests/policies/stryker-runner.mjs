// The mocha runner, able to reload the policy pack between mutants without a new process.
// A static mutant (in code that runs when the pack loads) needs its sources loaded again with
// the mutant active, and the next mutant needs them loaded again without it. Stryker asks for
// that with `reloadEnvironment`; this runner passes it on to the in-process pack
// (tests/support/policy-in-process.ts), which loads the pack's sources afresh at the next
// test file's `before`, instead of Stryker restarting the whole test process.
import {
  commonTokens,
  declareFactoryPlugin,
  PluginKind,
  tokens,
} from "@stryker-mutator/api/plugin";
import { createMochaTestRunner } from "@stryker-mutator/mocha-runner";

function policyMochaRunner(injector) {
  const mocha = injector.injectFunction(createMochaTestRunner);
  return {
    init: () => mocha.init(),
    capabilities: () => ({ reloadEnvironment: true }),
    dryRun: (options) => mocha.dryRun(options),
    mutantRun: (options) => {
      if (options.reloadEnvironment) globalThis.__policyPackReload__ = true;
      // A run without a test filter (a static mutant) runs every test. The mocha runner only
      // restores a grep the config set, and would otherwise keep the previous mutant's filter:
      // it relies on a new process for a static mutant.
      if (!options.testFilter) mocha.mocha.grep(/.*/);
      return mocha.mutantRun(options);
    },
    dispose: () => mocha.dispose(),
  };
}
policyMochaRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [
  declareFactoryPlugin(PluginKind.TestRunner, "policy-mocha", policyMochaRunner),
];
