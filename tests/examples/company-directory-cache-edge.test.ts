import { strict as assert } from "node:assert";
import { at, planExample, type PlannedExample } from "./plan";

describe("Seed 004 Redis persistence and CSP (examples/company-directory, prod)", function () {
  this.timeout(180_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("company-directory", "prod");
  });

  it("persists Redis as ElastiCache allows: daily snapshots kept 7 days, a final snapshot, replicas in other zones with automatic failover", () => {
    const redis = plan.inputs("aws:elasticache/replicationGroup:ReplicationGroup", "cache-redis");
    assert.equal(at(redis, "snapshotRetentionLimit"), 7);
    assert.equal(at(redis, "snapshotWindow"), "02:00-03:00");
    assert.equal(
      at(redis, "finalSnapshotIdentifier"),
      "company-directory-prod-cache-final-snapshot",
    );
    assert.equal(at(redis, "numCacheClusters"), 3);
    assert.equal(at(redis, "multiAzEnabled"), true);
    assert.equal(at(redis, "automaticFailoverEnabled"), true);
    // No append-only file: ElastiCache offers none on Redis 7 (README: the gap).
    assert.equal(at(redis, "parameterGroupName"), "default.redis7");
  });

  it("sets the seed's Content-Security-Policy on every response at the edge", () => {
    const rule = at(plan.inputs("cloudflare:index/ruleset:Ruleset", "edge-headers"), "rules", 0);
    assert.equal(at(rule, "expression"), "true");
    assert.deepEqual(at(rule, "actionParameters", "headers", "Content-Security-Policy"), {
      operation: "set",
      value:
        "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
    });
  });
});
