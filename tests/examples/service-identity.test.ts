import { strict as assert } from "node:assert";
import type { ReportResource } from "../../tools/plan/report";
import { at, planExample, type PlannedExample } from "./plan";

/** What each example's seed says a service stores, consumes, publishes or searches. */
interface Uses {
  readonly buckets?: readonly string[];
  readonly queue?: boolean;
  readonly topic?: boolean;
  readonly search?: boolean;
}

const examples: Record<string, Record<string, Uses>> = {
  // Seed 000: API -> S3, API -> OpenSearch.
  enrichment: { api: { buckets: ["uploads"], search: true } },
  // Seed 001: user service -> S3, task service -> OpenSearch, notifications -> SQS -> SNS.
  microservices: {
    "user-service": { buckets: ["uploads"] },
    "task-service": { search: true },
    "notification-service": { queue: true, topic: true },
  },
  // Seed 002: export service -> object storage.
  travelsense: { export: { buckets: ["uploads"] } },
  // Seed 003: document storage.
  "corporate-intel": { api: { buckets: ["documents"] } },
  // Seed 004: profile photos and uploads.
  "company-directory": { backend: { buckets: ["uploads"] } },
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function one(plan: PlannedExample, name: string): ReportResource {
  const found = plan.report.resources.filter((r) => r.name === name);
  assert.equal(found.length, 1, `expected one resource named ${name}, found ${found.length}`);
  return found[0]!;
}

const out = (plan: PlannedExample, name: string, key: string) =>
  String((one(plan, name).outputs as Obj)[key]);

for (const [example, services] of Object.entries(examples)) {
  describe(`examples/${example} (prod): each service that uses a bucket, queue, topic or search`, function () {
    this.timeout(240_000);
    let plan: PlannedExample;
    let namespace: string;
    let vpcCidr: string;
    before(() => {
      plan = planExample(example, "prod");
      namespace = String(
        at(
          one(plan, `workloads-${Object.keys(services)[0]!}-account`).inputs,
          "metadata",
          "namespace",
        ),
      );
      vpcCidr = String(at(one(plan, "network-vpc").inputs, "cidrBlock"));
    });

    for (const [service, uses] of Object.entries(services)) {
      const role = `identity-${service}-role`;
      const statements = () =>
        (JSON.parse(String(at(one(plan, `identity-${service}-policy`).inputs, "policy"))) as Obj)
          .Statement as Obj[];
      const resources = () => statements().flatMap((s) => s.Resource as string[]);

      it(`${service}: has a role only its ServiceAccount may assume, made after the OIDC provider`, () => {
        const oidc = one(plan, "cluster-oidc");
        const issuer = String((oidc.outputs as Obj).url).replace(/^https:\/\//, "");
        const trust = JSON.parse(String(at(one(plan, role).inputs, "assumeRolePolicy"))) as Obj;
        assert.deepEqual(trust.Statement, [
          {
            Effect: "Allow",
            Principal: { Federated: (oidc.outputs as Obj).arn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${service}`,
                [`${issuer}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ]);
        assert.ok(one(plan, role).dependencies.includes(oidc.urn), "the provider exists first");
      });

      it(`${service}: is allowed exactly what it uses, on those ARNs and their keys`, () => {
        const expected: string[] = [];
        for (const bucket of uses.buckets ?? []) {
          const arn = out(plan, `objects-${bucket}`, "arn");
          expected.push(arn, `${arn}/*`);
        }
        if (uses.buckets) expected.push(out(plan, "objects-key", "arn"));
        if (uses.queue) expected.push(out(plan, "notifications-queue", "arn"));
        if (uses.topic) expected.push(out(plan, "notifications-topic", "arn"));
        if (uses.queue ?? uses.topic) expected.push(out(plan, "notifications-key", "arn"));
        if (uses.search) {
          const domain = out(plan, "search-domain", "arn");
          expected.push(domain, `${domain}/*`);
        }
        assert.deepEqual([...new Set(resources())].sort(), expected.sort());
      });

      it(`${service}: runs as a ServiceAccount annotated with that role, pods after the role`, () => {
        const account = one(plan, `workloads-${service}-account`);
        assert.deepEqual(at(account.inputs, "metadata", "annotations"), {
          "eks.amazonaws.com/role-arn": out(plan, role, "arn"),
        });
        const deployment = one(plan, `workloads-${service}-deployment`);
        for (const ready of [role, `identity-${service}-policy`]) {
          assert.ok(deployment.dependencies.includes(one(plan, ready).urn), ready);
        }
      });

      it(`${service}: gets the names and URLs it uses, and the region, as env`, () => {
        const expected: Record<string, string> = {};
        for (const bucket of uses.buckets ?? []) {
          expected[`BUCKET_${bucket.toUpperCase()}`] = out(plan, `objects-${bucket}`, "bucket");
        }
        if (uses.queue) expected.QUEUE_URL = out(plan, "notifications-queue", "url");
        if (uses.topic) expected.TOPIC_ARN = out(plan, "notifications-topic", "arn");
        if (uses.search) expected.SEARCH_URL = `https://${out(plan, "search-domain", "endpoint")}`;
        expected.AWS_REGION = String(at(one(plan, "cluster-eks").outputs, "arn")).split(":")[3]!;
        // The regional S3 name, which the VPC's S3 interface endpoint answers.
        if ((uses.buckets ?? []).length > 0)
          expected.AWS_S3_US_EAST_1_REGIONAL_ENDPOINT = "regional";
        const map = one(plan, `workloads-${service}-connection-data`);
        assert.deepEqual(at(map.inputs, "data"), expected);
        const container = at(
          one(plan, `workloads-${service}-deployment`).inputs,
          "spec",
          "template",
          "spec",
          "containers",
          0,
        );
        assert.deepEqual(at(container, "envFrom"), [
          { configMapRef: { name: `${service}-connection-data` } },
        ]);
        assert.ok(one(plan, `workloads-${service}-deployment`).dependencies.includes(map.urn));
      });

      it(`${service}: may reach the VPC's endpoints (STS and the APIs it uses) on 443`, () => {
        const egress = at(
          one(plan, `workloads-${service}-network-policy`).inputs,
          "spec",
          "egress",
        ) as Obj[];
        assert.ok(
          egress.some(
            (rule) =>
              JSON.stringify(rule) ===
              JSON.stringify({
                ports: [{ port: 443, protocol: "TCP" }],
                to: [{ ipBlock: { cidr: vpcCidr } }],
              }),
          ),
          JSON.stringify(egress),
        );
      });
    }

    it("gives no role and no connection data to a service that uses nothing", () => {
      const built = plan
        .ofType("aws:iam/role:Role")
        .filter((r) => r.name.startsWith("identity-"))
        .map((r) => r.name)
        .sort();
      assert.deepEqual(
        built,
        Object.keys(services)
          .map((s) => `identity-${s}-role`)
          .sort(),
      );
      const maps = plan
        .ofType("kubernetes:core/v1:ConfigMap")
        .filter((r) => r.name.endsWith("-connection-data"))
        .map((r) => r.name)
        .sort();
      assert.deepEqual(
        maps,
        Object.keys(services)
          .map((s) => `workloads-${s}-connection-data`)
          .sort(),
      );
    });

    it("lets IAM policies in the account use the keys it grants (key policies delegate to IAM)", () => {
      const keys = [
        ...(Object.values(services).some((u) => u.buckets) ? ["objects-key"] : []),
        ...(Object.values(services).some((u) => u.queue ?? u.topic) ? ["notifications-key"] : []),
      ];
      for (const key of keys) {
        const policy = JSON.parse(String(at(one(plan, key).inputs, "policy"))) as Obj;
        assert.ok(
          (policy.Statement as Obj[]).some(
            (s) =>
              s.Effect === "Allow" &&
              /^arn:aws:iam::\d{12}:root$/.test(String(s.Principal?.AWS)) &&
              s.Action === "kms:*",
          ),
          key,
        );
      }
    });
  });
}

describe("examples/travelsense (prod): the export service on the GCP standby", function () {
  this.timeout(240_000);
  let plan: PlannedExample;
  before(() => {
    plan = planExample("travelsense", "prod");
  });

  it("acts as its own Google service account, bound to its ServiceAccount once GKE exists", () => {
    const account = one(plan, "standby-identity-export-gsa");
    const binding = one(plan, "standby-identity-export-workload-identity");
    assert.deepEqual(binding.inputs, {
      serviceAccountId: (account.outputs as Obj).name,
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:travelsense-standby.svc.id.goog[travelsense/export]",
    });
    assert.ok(binding.dependencies.includes(one(plan, "standby-cluster-gke").urn));
    assert.deepEqual(
      at(one(plan, "standby-workloads-export-account").inputs, "metadata", "annotations"),
      {
        "iam.gke.io/gcp-service-account": (account.outputs as Obj).email,
      },
    );
  });

  it("starts its pods once the account, its binding and its bucket grant exist", () => {
    const deployment = one(plan, "standby-workloads-export-deployment");
    for (const ready of [
      "standby-identity-export-gsa",
      "standby-identity-export-workload-identity",
      "standby-identity-export-uploads",
    ]) {
      assert.ok(deployment.dependencies.includes(one(plan, ready).urn), ready);
    }
  });

  it("may use objects of the standby's uploads bucket only, whose name it gets as env", () => {
    const grants = plan.report.resources.filter(
      (r) =>
        r.type === "gcp:storage/bucketIAMMember:BucketIAMMember" &&
        r.name.startsWith("standby-identity-"),
    );
    assert.deepEqual(
      grants.map((g) => g.inputs),
      [
        {
          bucket: out(plan, "standby-objects-uploads", "name"),
          role: "roles/storage.objectUser",
          member: (one(plan, "standby-identity-export-gsa").outputs as Obj).member,
        },
      ],
    );
    assert.deepEqual(at(one(plan, "standby-workloads-export-connection-data").inputs, "data"), {
      BUCKET_UPLOADS: out(plan, "standby-objects-uploads", "name"),
    });
  });
});
