import { strict as assert } from "node:assert";
import { formatCpu, formatMemory, parseQuantity } from "../../components/workloads/quantity";

describe("Kubernetes quantities", () => {
  const values: [string, number][] = [
    ["500m", 0.5],
    ["1000m", 1],
    ["2", 2],
    ["1.5", 1.5],
    ["128Mi", 128 * 2 ** 20],
    ["1.2Gi", 1.2 * 2 ** 30],
    ["20Gi", 20 * 2 ** 30],
    ["1Ti", 2 ** 40],
    ["64Ki", 64 * 1024],
    ["1k", 1000],
    ["512M", 512e6],
    ["2G", 2e9],
    ["1T", 1e12],
  ];
  for (const [text, expected] of values) {
    it(`reads "${text}" as ${expected}`, () => {
      assert.equal(parseQuantity(text), expected);
    });
  }

  // "1e3" is a quantity (a decimal exponent): tests/config/config-rules.test.ts reads it as 1000.
  for (const bad of ["", "ten", "1.5.2", "-1", "1gi", "2 Gi", "500mi"]) {
    it(`refuses "${bad}"`, () => {
      assert.throws(() => parseQuantity(bad), /is not a Kubernetes quantity/);
    });
  }

  it("shows CPU in cores or millicores", () => {
    assert.equal(formatCpu(2), "2");
    assert.equal(formatCpu(0.75), "750m");
    assert.equal(formatCpu(10.5), "10500m");
  });

  it("shows memory in the largest binary unit", () => {
    assert.equal(formatMemory(20 * 2 ** 30), "20Gi");
    assert.equal(formatMemory(1.5 * 2 ** 30), "1.5Gi");
    assert.equal(formatMemory(640 * 2 ** 20), "640Mi");
    assert.equal(formatMemory(512), "512");
  });
});
