import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import { parseStackConfig } from "../../config";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};

describe("Cluster config: apiAccess", () => {
  describe("accepts", () => {
    it("no apiAccess: a private API admitting the VPC's CIDR block, where the runner lives", () => {
      assert.deepEqual(parseStackConfig(source(prod)).cluster.apiAccess, {
        mode: "private",
        cidrs: ["10.10.0.0/16"],
      });
    });

    it("private with no ranges on a VPC the stack sizes itself: that VPC's block", () => {
      const cfg = parseStackConfig(
        source({
          ...prod,
          network: { cidrBlock: "10.42.0.0/16" },
          cluster: { apiAccess: { mode: "private" } },
        }),
      );
      assert.deepEqual(cfg.cluster.apiAccess, { mode: "private", cidrs: ["10.42.0.0/16"] });
    });

    it("private with the runner's own subnet, kept as stated", () => {
      const cfg = parseStackConfig(
        source({ ...prod, cluster: { apiAccess: { mode: "private", cidrs: ["10.10.200.0/24"] } } }),
      );
      assert.deepEqual(cfg.cluster.apiAccess, { mode: "private", cidrs: ["10.10.200.0/24"] });
    });

    it("public limited to named ranges", () => {
      const cfg = parseStackConfig(
        source({ ...prod, cluster: { apiAccess: { mode: "public", cidrs: ["203.0.113.0/24"] } } }),
      );
      assert.deepEqual(cfg.cluster.apiAccess, { mode: "public", cidrs: ["203.0.113.0/24"] });
    });

    it("on a GCP target, leaves the private ranges to the GKE cluster (its node subnet)", () => {
      const cfg = parseStackConfig(
        source({
          tier: "staging",
          target: "gcp",
          gcp: { project: "platform-staging", region: "us-central1" },
          cache: { nodes: 1 },
        }),
      );
      assert.deepEqual(cfg.cluster.apiAccess, { mode: "private", cidrs: [] });
    });
  });

  describe("refuses, naming the key, the value and what is allowed", () => {
    const cases = [
      {
        what: "the old public-endpoint switch",
        cluster: { endpointPublicAccess: true },
        key: "platform:cluster.endpointPublicAccess",
        says: /unknown key; .*allowed here: .*apiAccess/,
      },
      {
        what: "a mode that is neither private nor public",
        cluster: { apiAccess: { mode: "open" } },
        key: "platform:cluster.apiAccess.mode",
        says: /"open" is not an API access mode; expected one of private, public/,
      },
      {
        what: "a public endpoint with no ranges",
        cluster: { apiAccess: { mode: "public" } },
        key: "platform:cluster.apiAccess",
        says: /lists no CIDR block while mode is "public", which would open the API to 0\.0\.0\.0\/0/,
      },
      {
        what: "a prod public endpoint open to the internet",
        cluster: { apiAccess: { mode: "public", cidrs: ["0.0.0.0/0"] } },
        key: "platform:cluster.apiAccess",
        says: /"0\.0\.0\.0\/0" admits the whole internet to the prod API/,
      },
      {
        what: "a range that is not a CIDR block",
        cluster: { apiAccess: { mode: "public", cidrs: ["office"] } },
        key: "platform:cluster.apiAccess.cidrs[0]",
        says: /"office" is not an IPv4 CIDR block/,
      },
      {
        what: "an apiAccess given as a word",
        cluster: { apiAccess: "private" },
        key: "platform:cluster.apiAccess",
        says: /is not an object; expected \{ mode: "private" \| "public", cidrs: \[CIDR, \.\.\.\] \}/,
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        const found = problems({ ...prod, cluster: c.cluster });
        const line = found.find((p) => p.startsWith(`${c.key}:`));
        assert.ok(line, `no problem at ${c.key} in:\n${found.join("\n")}`);
        assert.match(line, c.says);
      });
    }
  });
});

describe("Cluster config: version", () => {
  it("refuses 1.31, past EKS extended support, naming the key, the value and the versions allowed", () => {
    const found = problems({ ...prod, cluster: { version: "1.31" } });
    assert.ok(
      found.includes(
        'platform:cluster.version: "1.31" is past the end of EKS extended support (2026-11-26); expected one of 1.34, 1.35',
      ),
      found.join("\n"),
    );
  });

  it("accepts 1.35 and defaults to it", () => {
    assert.equal(parseStackConfig(source(prod)).cluster.version, "1.35");
    assert.equal(
      parseStackConfig(source({ ...prod, cluster: { version: "1.35" } })).cluster.version,
      "1.35",
    );
  });
});

describe("Cluster config: adminRoleArns", () => {
  it("defaults to none: only the principal that creates the cluster administers it", () => {
    assert.deepEqual(parseStackConfig(source(prod)).cluster.adminRoleArns, []);
  });

  it("keeps the roles stated, in order", () => {
    const roles = [
      "arn:aws:iam::123456789012:role/platform-deploy-prod",
      "arn:aws:iam::123456789012:role/break-glass/platform-admin",
    ];
    assert.deepEqual(
      parseStackConfig(source({ ...prod, cluster: { adminRoleArns: roles } })).cluster
        .adminRoleArns,
      roles,
    );
  });

  it("refuses a user ARN, naming the entry and what is expected", () => {
    const found = problems({
      ...prod,
      cluster: { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] },
    });
    const line = found.find((p) => p.startsWith("platform:cluster.adminRoleArns[0]:"));
    assert.ok(line, found.join("\n"));
    assert.match(
      line,
      /"arn:aws:iam::123456789012:user\/alice" is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role\/<name>/,
    );
  });
});

describe("Cluster config: version on GKE", () => {
  const standalone = {
    tier: "staging",
    target: "gcp",
    cache: { enabled: false },
    gcp: { project: "platform-staging", region: "us-central1" },
  };

  it("refuses 1.34 for a GCP cluster, which GKE stopped maintaining on 2026-10-01", () => {
    const found = problems({ ...standalone, cluster: { version: "1.34" } });
    assert.ok(
      found.includes(
        'platform:cluster.version: "1.34" is past the end of GKE maintenance (2026-10-01); expected one of 1.35 on GKE',
      ),
      found.join("\n"),
    );
  });

  it("refuses it for prod's GCP standby too, which runs the primary's version", () => {
    const found = problems({
      ...prod,
      tier: "prod",
      standby: "gcp",
      gcp: standalone.gcp,
      cluster: { version: "1.34" },
    });
    assert.ok(
      found.some((p) =>
        p.startsWith('platform:cluster.version: "1.34" is past the end of GKE maintenance'),
      ),
      found.join("\n"),
    );
  });

  it("accepts 1.34 on an AWS stack with no GCP standby, still in EKS standard support", () => {
    assert.equal(
      parseStackConfig(source({ ...prod, cluster: { version: "1.34" } })).cluster.version,
      "1.34",
    );
  });
});
