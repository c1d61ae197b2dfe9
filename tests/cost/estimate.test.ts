import { strict as assert } from "node:assert";
import { catalogs } from "../../tools/cost/catalog";
import { estimateCost } from "../../tools/cost/estimate";
import { freeTypes } from "../../tools/cost/free";
import { component, resource } from "./fixtures";

describe("The estimate of a stack", () => {
  const database = component("Database", "database");

  it("lists each type it cannot price by name with its count, and leaves it out of the total", () => {
    const e = estimateCost([
      database,
      resource("aws:sqs/queue:Queue", "q1", {}, database),
      resource("aws:sqs/queue:Queue", "q2", {}, database),
      resource("aws:dynamodb/table:Table", "t", {}, database),
      resource(
        "aws:rds/instance:Instance",
        "odd",
        { instanceClass: "db.x2g.16xlarge", allocatedStorage: 10, storageType: "gp3" },
        database,
      ),
    ]);
    assert.equal(e.total.usd, 0);
    assert.deepEqual(e.unpriced, [
      {
        type: "aws:dynamodb/table:Table",
        count: 1,
        reason: "no price in the catalog for this type",
      },
      {
        type: "aws:rds/instance:Instance",
        count: 1,
        reason: "no aws catalog row for rds.postgres.db.x2g.16xlarge in us-east-1",
      },
      {
        type: "aws:sqs/queue:Queue",
        count: 2,
        reason: "billed by requests, which no assumption states",
      },
    ]);
  });

  it("counts the known free types as free, not as unpriced", () => {
    const e = estimateCost([
      database,
      resource("aws:iam/role:Role", "role", {}, database),
      resource("aws:ec2/securityGroup:SecurityGroup", "sg", {}, database),
      resource("kubernetes:core/v1:Namespace", "ns", {}, database),
    ]);
    assert.deepEqual(e.free, {
      "platform:index:Database": 1,
      "aws:iam/role:Role": 1,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "kubernetes:core/v1:Namespace": 1,
    });
    assert.deepEqual(e.unpriced, []);
    assert.ok(freeTypes.includes("aws:iam/role:Role"));
  });

  it("prices nothing in a region the catalog has no row for, and says which", () => {
    const e = estimateCost([
      database,
      resource("aws:kms/key:Key", "k", {}, database, "ap-south-1"),
    ]);
    assert.deepEqual(e.unpriced, [
      { type: "aws:kms/key:Key", count: 1, reason: "no aws catalog row for kms.key in ap-south-1" },
    ]);
  });
});

describe("The price catalog", () => {
  for (const catalog of Object.values(catalogs)) {
    it(`${catalog.cloud}: every row has a date, a public price page, and says whether the figure was confirmed`, () => {
      for (const row of catalog.rows) {
        assert.match(row.date, /^\d{4}-\d{2}-\d{2}$/, row.sku);
        assert.match(
          row.source,
          /^https:\/\/[a-z.]*(aws\.amazon\.com|cloud\.google\.com|cloudflare\.com)\//,
          row.sku,
        );
        assert.equal(
          [row.checked, row.unconfirmed].filter(Boolean).length,
          1,
          `${row.sku}: checked or unconfirmed`,
        );
        assert.ok(row.usd >= 0 && row.regions.length > 0, row.sku);
      }
    });
  }
});
