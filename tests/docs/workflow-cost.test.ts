import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { CostEstimate } from "../../tools/cost/estimate";
import { costComment } from "../../tools/cost/pr-comment";
import { repoRoot } from "../support/run";

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  if?: string;
  permissions?: Record<string, string>;
  "runs-on"?: unknown;
  steps: Step[];
}

const workflow = parse(
  fs.readFileSync(path.join(repoRoot, ".github", "workflows", "infrastructure.yml"), "utf8"),
) as { jobs: Record<string, Job> };
const cost = workflow.jobs.cost!;
const runs = cost.steps.flatMap((s) => (s.run ? [s.run.replace(/\s+/g, " ").trim()] : []));

describe("The workflow's cost job on pull requests", () => {
  it("runs after the tests on pull requests only, on a hosted runner, without cloud access", () => {
    assert.equal(cost.needs, "test");
    assert.equal(cost.if, "github.event_name == 'pull_request'");
    assert.equal(cost["runs-on"], "ubuntu-24.04");
    assert.deepEqual(cost.permissions, { contents: "read", "pull-requests": "write" });
    const uses = cost.steps.flatMap((s) => (s.uses ? [s.uses] : []));
    assert.deepEqual(uses, ["actions/checkout@v4.2.2", "actions/setup-node@v4.4.0"]);
  });

  it("plans prod offline on the pull request and on its base, and posts the estimate and its change", () => {
    assert.ok(
      runs.includes("npm run plan -- --stack prod --no-policy --quiet --json cost/head.json"),
    );
    assert.ok(
      runs.some(
        (r) =>
          r.includes("git worktree add ../base ${{ github.event.pull_request.base.sha }}") &&
          r.includes('--json "$GITHUB_WORKSPACE/cost/base.json"'),
      ),
    );
    assert.ok(
      runs.some((r) =>
        r.startsWith(
          "npx tsx tools/cost/pr-comment.ts cost/head.json cost/base.json > cost/comment.md",
        ),
      ),
    );
    const post = cost.steps.find((s) => s.run?.includes("gh pr comment"));
    assert.equal(post?.env?.GH_TOKEN, "${{ github.token }}");
    assert.match(post?.run ?? "", /--body-file cost\/comment\.md --edit-last/);
  });
});

describe("The estimate posted on a pull request", () => {
  const money = (usd: number) => ({ usd, minUsd: usd, maxUsd: usd });
  const estimate = (byComponent: Record<string, number>, unpriced: CostEstimate["unpriced"] = []) =>
    ({
      total: money(Object.values(byComponent).reduce((a, b) => a + b, 0)),
      byComponent: Object.fromEntries(Object.entries(byComponent).map(([k, v]) => [k, money(v)])),
      unpriced,
    }) as unknown as CostEstimate;

  it("shows each component's base and new monthly figure and the change, with the total", () => {
    const text = costComment(
      estimate({ "cluster (Cluster)": 944.29, "search (Search)": 403.73 }, [
        { type: "aws:sqs/queue:Queue", count: 2, reason: "" },
      ]),
      estimate({ "cluster (Cluster)": 500, "cache (Cache)": 100 }),
    );
    assert.match(text, /\| cache \(Cache\) \| \$100\.00 \| \$0\.00 \| -\$100\.00 \|/);
    assert.match(text, /\| cluster \(Cluster\) \| \$500\.00 \| \$944\.29 \| \+\$444\.29 \|/);
    assert.match(text, /\| search \(Search\) \| \$0\.00 \| \$403\.73 \| \+\$403\.73 \|/);
    assert.match(text, /\| \*\*total\*\* \| \$600\.00 \| \$1348\.02 \| \+\$748\.02 \|/);
    assert.match(text, /Not priced: aws:sqs\/queue:Queue x2\./);
  });

  it("says so when the base branch's plan has no estimate", () => {
    const text = costComment(estimate({ "cluster (Cluster)": 10 }), undefined);
    assert.match(text, /\| cluster \(Cluster\) \| - \| \$10\.00 \| - \|/);
    assert.match(text, /The base branch's plan carries no estimate to compare with\./);
  });
});
