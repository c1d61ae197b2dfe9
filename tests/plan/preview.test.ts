import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unknownValue } from "../../tools/plan/values";
import { PackUnderTest } from "../support/policy";
import { runPlanCli } from "../support/run";

describe("Policy verdicts in a first preview", function () {
  this.timeout(180_000);

  describe("through the real analyzer", () => {
    const pack = new PackUnderTest();
    before(async () => pack.start());
    after(async () => pack.stop());

    it("turns a mandatory policy that reads an unknown value into an advisory 'during preview' diagnostic", async () => {
      const found = await pack.analyze(
        {
          type: "kubernetes:core/v1:Namespace",
          name: "derived",
          props: { metadata: { name: "derived", labels: unknownValue } },
        },
        "k8s-namespace-enforces-restricted",
      );
      assert.equal(found.length, 1);
      assert.equal(found[0]?.enforcementLevel, "advisory");
      assert.match(
        found[0]?.message ?? "",
        /can't run policy 'k8s-namespace-enforces-restricted' from policy pack 'platform-policies@v[\d.]+' during preview: string value at \.metadata\.labels can't be known during preview/,
      );
    });
  });

  describe("in the offline plan's preview mode", () => {
    function plan(preview: boolean) {
      const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-")), "plan.json");
      const args = ["--dir", "tests/fixtures/preview-trap", "--stack", "prod", "--json", json];
      const run = runPlanCli(preview ? [...args, "--preview"] : args);
      return { run, report: JSON.parse(fs.readFileSync(json, "utf8")) as Report };
    }
    interface Report {
      degraded?: {
        policyName: string;
        concern: string;
        urn: string;
        path: string;
        reason: string;
        level: string;
      }[];
      resources: { name: string; inputs: { metadata?: { labels?: unknown } } }[];
    }

    it("reports the degraded verdict with its policy, resource and property path", () => {
      const { run, report } = plan(true);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(report.degraded, [
        {
          policyName: "k8s-namespace-enforces-restricted",
          concern: "pod-security",
          urn: "urn:pulumi:prod::preview-trap::kubernetes:core/v1:Namespace::derived",
          path: "metadata.labels.pod-security.kubernetes.io/enforce",
          reason: "unknown-value",
          level: "mandatory",
        },
      ]);
      const namespace = report.resources.find((r) => r.name === "derived");
      assert.deepEqual(namespace?.inputs.metadata?.labels, {
        "pod-security.kubernetes.io/enforce": "[unknown]",
      });
      assert.match(run.stdout, /k8s-namespace-enforces-restricted .*derived/s);
    });

    it("reaches the verdict once values are known", () => {
      const { run, report } = plan(false);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(report.degraded?.length, 0);
    });
  });
});
