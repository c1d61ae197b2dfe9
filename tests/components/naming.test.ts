import { strict as assert } from "node:assert";
import {
  baseNameProblems,
  baseNameSuffixes,
  boundedName,
  maxBaseNameLength,
  physicalNameRules,
} from "../../components/naming";
import { veleroAccountId } from "../../components/observability/identity-gcp";
import { ConfigError, parseStackConfig } from "../../config";

describe("Physical names built from <project>-<stack>", () => {
  describe("boundedName", () => {
    const cases = [
      { base: "travelsense-prod", suffix: "velero", limit: 30, name: "travelsense-prod-velero" },
      {
        base: "abcdefghijklmnopqrstu",
        suffix: "velero",
        limit: 28,
        name: "abcdefghijklmnopqrstu-velero",
      },
      {
        base: "company-directory-staging",
        suffix: "velero",
        limit: 30,
        name: "company-director-b57610-velero",
      },
    ];
    for (const { base, suffix, limit, name } of cases) {
      it(`gives "${name}" for "${base}" + "${suffix}" within ${limit}`, () => {
        const got = boundedName(base, suffix, limit);
        assert.equal(got, name);
        assert.ok(got.length <= limit, got);
      });
    }

    it("keeps two long bases that share their beginning apart", () => {
      const a = boundedName("corporate-intelligence-prod", "velero", 30);
      const b = boundedName("corporate-intelligence-staging", "velero", 30);
      assert.notEqual(a, b);
      assert.ok(a.length <= 30 && b.length <= 30, `${a} ${b}`);
    });

    it("refuses a suffix that leaves no room within the limit", () => {
      assert.throws(() => boundedName("platform-prod", "a-very-long-suffix", 20), /leaves no room/);
    });
  });

  it("keeps Velero's Google service account id within 6-30 characters, cut with a hash", () => {
    assert.equal(veleroAccountId("gcp-standalone-staging"), "gcp-standalone-staging-velero");
    const long = veleroAccountId("platform-long-name-limits-prod");
    assert.ok(long.length <= 30 && long.length >= 6, long);
    assert.match(long, /^platform-long-na-[0-9a-f]{6}-velero$/);
  });

  it("allows base names of 30 characters: the AWS Backup selection's 50 less its 20-character suffix", () => {
    assert.equal(maxBaseNameLength, 30);
    for (const s of baseNameSuffixes) {
      assert.ok("x".repeat(maxBaseNameLength).length + s.suffix.length <= s.limit, s.what);
    }
  });

  it("states each service's limit as its API documents it", () => {
    const limits = Object.fromEntries(
      Object.entries(physicalNameRules).map(([type, rule]) => [type, rule.limit]),
    );
    assert.equal(limits["aws:opensearch/domain:Domain"], 28);
    assert.equal(limits["aws:elasticache/replicationGroup:ReplicationGroup"], 40);
    assert.equal(limits["aws:rds/instance:Instance"], 63);
    assert.equal(limits["aws:iam/role:Role"], 64);
    assert.equal(limits["aws:s3/bucket:Bucket"], 63);
    assert.equal(limits["aws:sqs/queue:Queue"], 80);
    assert.equal(limits["aws:eks/cluster:Cluster"], 100);
    assert.equal(limits["gcp:serviceaccount/account:Account"], 30);
    assert.equal(limits["gcp:sql/databaseInstance:DatabaseInstance"], 98);
  });

  describe("refuses in config", () => {
    const refused = (project: string, stack: string): string[] => {
      try {
        parseStackConfig({
          project,
          stack,
          values: { tier: "dev", target: "local" },
          isSecret: () => false,
        });
      } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return [...err.problems];
      }
      assert.fail("the config was accepted");
    };

    it("a base name one character too long, naming project, stack and the tightest name", () => {
      assert.deepEqual(refused("platform-long-name-limits", "prod1"), [
        'the base of physical names "platform-long-name-limits-prod1" (project "platform-long-name-limits" in Pulumi.yaml, stack "prod1") is 31 characters; expected at most 30, since the AWS Backup selection "platform-long-name-limits-prod1-backups-data-stores" may have 50: shorten the project or the stack name',
      ]);
    });

    for (const [project, stack] of [
      ["Platform", "prod"],
      ["platform", "prod_eu"],
      ["platform", "prod.eu"],
      ["1platform", "prod"],
      ["platform-", "prod"],
    ]) {
      it(`the base name "${project}-${stack}", which RDS would not take`, () => {
        const found = refused(project!, stack!);
        assert.equal(found.length, 1);
        assert.match(
          found[0]!,
          /is not a valid resource name; expected lowercase letters, digits and single hyphens, starting with a letter/,
        );
      });
    }
  });

  it("accepts the examples' base names", () => {
    for (const base of [
      "enrichment-prod",
      "travelsense-prod",
      "microservices-staging",
      "corporate-intel-staging",
      "company-directory-staging",
      "gcp-standalone-staging",
      "platform-long-name-limits-prod",
    ]) {
      const cut = base.lastIndexOf("-");
      assert.deepEqual(baseNameProblems(base.slice(0, cut), base.slice(cut + 1)), [], base);
    }
  });
});
