import { deferPromiseStacks } from "../../tools/plan/lazy-stacks";

// Loaded by mocha (.mocharc.json) before the tests: the programs they run under mocks format
// a promise's stack only if it is read, as the plan CLI does.
deferPromiseStacks();
