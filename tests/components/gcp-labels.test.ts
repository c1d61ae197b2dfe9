import { strict as assert } from "node:assert";
import { gcpLabels } from "../../components/gcp/labels";

describe("GCP labels from the stack's tags", () => {
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ["keeps lowercase letters, digits, _ and -", { env: "prod_1-a" }, { env: "prod_1-a" }],
    ["lowercases keys and values", { Project: "Platform" }, { project: "platform" }],
    [
      "turns any other character into -",
      { "app.kubernetes.io/part-of": "my app" },
      { "app-kubernetes-io-part-of": "my-app" },
    ],
    ["cuts keys and values at 63 characters", { k: "v".repeat(70) }, { k: "v".repeat(63) }],
  ];
  for (const [what, tags, labels] of cases) {
    it(what, () => assert.deepEqual(gcpLabels(tags), labels));
  }
});
