import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { source } from "../support/config";

describe("The stack's namespaces", () => {
  it("are named for what runs in them: the application's, then monitoring", () => {
    const config = parseStackConfig(
      source({ tier: "dev", target: "local", workloads: { namespace: "shop" } }),
    );
    assert.equal(config.appNamespace.name, "shop");
    assert.equal(config.monitoringNamespace.name, "monitoring");
    assert.deepEqual(config.namespaces, [config.appNamespace, config.monitoringNamespace]);
  });
});
