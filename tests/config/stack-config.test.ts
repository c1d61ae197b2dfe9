import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig, type ConfigSource } from "../../config";

function source(values: Record<string, unknown>, secretKeys: string[] = []): ConfigSource {
  return { project: "platform", stack: "test", values, isSecret: (k) => secretKeys.includes(k) };
}

const validProd = {
  tier: "prod",
  target: "aws",
  standby: "gcp",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
  gcp: { project: "platform-prod-standby", region: "us-central1" },
};

function problems(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parseStackConfig(source(values, secretKeys));
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail("the config was accepted");
}

describe("Stack config", () => {
  describe("accepts", () => {
    it("the prod stack and resolves the tier's defaults", () => {
      const cfg = parseStackConfig(source(validProd));
      assert.equal(cfg.tier, "prod");
      assert.equal(cfg.network.cidrBlock, "10.10.0.0/16");
      assert.equal(cfg.network.azCount, 3);
      assert.equal(cfg.namespaces[0]?.name, "production");
      assert.equal(cfg.namespaces[0]?.quota.requestsCpu, "10");
      assert.equal(cfg.namespaces[0]?.quota.limitsMemory, "40Gi");
      assert.equal(cfg.namespaces[0]?.quota.persistentVolumeClaims, 10);
      assert.equal(cfg.baseName, "platform-test");
    });

    it("a dev stack that states only its tier and target", () => {
      const cfg = parseStackConfig(source({ tier: "dev", target: "local" }));
      assert.equal(cfg.standby, "none");
      assert.equal(cfg.namespaces[0]?.name, "dev");
      assert.deepEqual(
        cfg.namespaces.map((n) => n.name),
        ["dev", "monitoring"],
      );
    });

    it("overrides that the stack states, keeping the rest of the tier's defaults", () => {
      const cfg = parseStackConfig(
        source({
          tier: "staging",
          target: "aws",
          aws: { region: "eu-west-1" },
          workloads: { quota: { pods: 30 } },
        }),
      );
      assert.equal(cfg.namespaces[0]?.quota.pods, 30);
      assert.equal(cfg.namespaces[0]?.quota.requestsCpu, "4");
    });
  });

  const rejections: { what: string; values: Record<string, unknown>; key: string; says: RegExp }[] =
    [
      {
        what: "an unknown tier",
        values: { ...validProd, tier: "qa" },
        key: "platform:tier",
        says: /"qa".*expected one of dev, staging, prod/,
      },
      {
        what: "a missing tier",
        values: { target: "local" },
        key: "platform:tier",
        says: /\(missing\)/,
      },
      {
        what: "an unknown target",
        values: { ...validProd, target: "azure" },
        key: "platform:target",
        says: /"azure".*local, aws, gcp/,
      },
      {
        what: "an unsupported standby",
        values: { ...validProd, standby: "aws" },
        key: "platform:standby",
        says: /"aws".*"none" or "gcp"/,
      },
      {
        what: "a region that does not exist",
        values: { ...validProd, aws: { region: "us-east" } },
        key: "platform:aws.region",
        says: /"us-east" is not an AWS region/,
      },
      {
        what: "an AWS target with no AWS settings",
        values: { tier: "staging", target: "aws" },
        key: "platform:aws",
        says: /is required when platform:target is "aws"/,
      },
      {
        what: "a malformed GCP project id",
        values: { ...validProd, gcp: { project: "Bad_Project", region: "us-central1" } },
        key: "platform:gcp.project",
        says: /"Bad_Project" is not a GCP project id/,
      },
      {
        what: "a GCP standby with no GCP settings",
        values: { ...validProd, gcp: undefined },
        key: "platform:gcp",
        says: /is required when GCP is the target or the standby/,
      },
      {
        what: "a GCP standby behind a GCP primary",
        values: { ...validProd, target: "gcp" },
        key: "platform:standby",
        says: /only supported with platform:target "aws"/,
      },
      {
        what: "prod on a local cluster",
        values: { tier: "prod", target: "local" },
        key: "platform:target",
        says: /cannot run the prod tier/,
      },
      {
        what: "a misspelt top-level key",
        values: { ...validProd, netwrok: { azCount: 3 } },
        key: "platform:netwrok",
        says: /unknown key; .*allowed here: .*network/,
      },
      {
        what: "a misspelt nested key",
        values: { ...validProd, network: { cidr: "10.0.0.0/16" } },
        key: "platform:network.cidr",
        says: /unknown key; .*allowed here: cidrBlock, azCount/,
      },
      {
        what: "a VPC range wider than /16",
        values: { ...validProd, network: { cidrBlock: "10.0.0.0/8" } },
        key: "platform:network.cidrBlock",
        says: /"10.0.0.0\/8" is not an IPv4 CIDR block between \/16 and \/24/,
      },
      {
        what: "a single availability zone",
        values: { ...validProd, network: { azCount: 1 } },
        key: "platform:network.azCount",
        says: /1 is too few availability zones/,
      },
      {
        what: "an availability zone count given as text",
        values: { ...validProd, network: { azCount: "three" } },
        key: "platform:network.azCount",
        says: /"three" is not a number/,
      },
      {
        what: "a namespace name that is not a DNS label",
        values: { ...validProd, workloads: { namespace: "Prod_NS" } },
        key: "platform:workloads.namespace",
        says: /"Prod_NS" is not a DNS label/,
      },
      {
        what: "a CPU quota that is not a quantity",
        values: { ...validProd, workloads: { quota: { requestsCpu: "ten" } } },
        key: "platform:workloads.quota.requestsCpu",
        says: /"ten" is not a Kubernetes quantity/,
      },
      {
        what: "a pod quota of zero",
        values: { ...validProd, workloads: { quota: { pods: 0 } } },
        key: "platform:workloads.quota.pods",
        says: /0 is not allowed; expected a value >= 1/,
      },
      {
        what: "an empty kubeconfig context",
        values: { tier: "dev", target: "local", local: { kubeContext: "" } },
        key: "platform:local.kubeContext",
        says: /"" is not allowed; expected at least 1 character/,
      },
    ];

  describe("rejects", () => {
    for (const { what, values, key, says } of rejections) {
      it(`${what}, naming ${key}`, () => {
        const found = problems(values);
        const line = found.find((p) => p.startsWith(`${key}:`) || p.startsWith(`${key} `));
        assert.ok(line, `no problem names ${key}; got:\n${found.join("\n")}`);
        assert.match(line, says);
      });
    }

    it("with every problem listed at once", () => {
      const found = problems({ tier: "qa", target: "azure", network: { azCount: 9 } });
      assert.deepEqual(
        found.map((p) => p.split(":").slice(0, 2).join(":").split(" ")[0]),
        ["platform:tier", "platform:target", "platform:network.azCount"],
      );
    });

    it("without echoing the value of a secret key", () => {
      const found = problems({ ...validProd, aws: { region: "hunter2-not-a-region" } }, ["aws"]);
      assert.ok(
        found.some((p) => p.startsWith("platform:aws.region: [secret]")),
        found.join("\n"),
      );
      assert.ok(!found.join("\n").includes("hunter2"));
    });
  });
});
