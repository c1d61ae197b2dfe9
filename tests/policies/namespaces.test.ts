import { strict as assert } from "node:assert";
import type { FakeResource } from "../support/policy";
import { ownMessage, usePack } from "./pack";

const restricted = {
  "pod-security.kubernetes.io/enforce": "restricted",
};

describe("Policies on namespaces, through the analyzer protocol", function () {
  const pack = usePack();

  describe("k8s-namespace-enforces-restricted", () => {
    const policy = "k8s-namespace-enforces-restricted";

    it("fails a namespace with no Pod Security label", async () => {
      const found = await pack.analyze(
        {
          type: "kubernetes:core/v1:Namespace",
          name: "apps",
          props: { metadata: { name: "apps" } },
        },
        policy,
      );
      assert.equal(found.length, 1);
      assert.equal(found[0]?.enforcementLevel, "mandatory");
      assert.match(found[0]?.message ?? "", /Namespace apps enforces no Pod Security level/);
    });

    it("fails a namespace that enforces only the baseline profile", async () => {
      const found = await pack.analyze(
        {
          type: "kubernetes:core/v1:Namespace",
          name: "apps",
          props: {
            metadata: {
              name: "apps",
              labels: { "pod-security.kubernetes.io/enforce": "baseline" },
            },
          },
        },
        policy,
      );
      assert.match(found[0]?.message ?? "", /enforces "baseline"/);
    });

    it("names the namespace by its own name, else by the resource's (auto-named)", async () => {
      const named = await pack.analyze(
        {
          type: "kubernetes:core/v1:Namespace",
          name: "apps-namespace",
          props: { metadata: { name: "apps" } },
        },
        policy,
      );
      assert.equal(named.length, 1);
      assert.match(ownMessage(named[0]!), /^Namespace apps enforces no Pod Security level/);
      const autoNamed = await pack.analyze(
        { type: "kubernetes:core/v1:Namespace", name: "apps-namespace", props: {} },
        policy,
      );
      assert.equal(autoNamed.length, 1);
      assert.match(
        ownMessage(autoNamed[0]!),
        /^Namespace apps-namespace enforces no Pod Security level/,
      );
    });

    it("passes a namespace that enforces restricted", async () => {
      const found = await pack.analyze(
        {
          type: "kubernetes:core/v1:Namespace",
          name: "apps",
          props: { metadata: { name: "apps", labels: restricted } },
        },
        policy,
      );
      assert.deepEqual(found, []);
    });

    it("reports at the level the stack's policy config sets", async () => {
      await pack.configure({ [policy]: "advisory" });
      try {
        const found = await pack.analyze(
          {
            type: "kubernetes:core/v1:Namespace",
            name: "apps",
            props: { metadata: { name: "apps" } },
          },
          policy,
        );
        assert.equal(found[0]?.enforcementLevel, "advisory");
      } finally {
        await pack.configure({});
      }
    });
  });

  describe("k8s-namespace-has-quota-and-limits", () => {
    const policy = "k8s-namespace-has-quota-and-limits";
    const namespace = {
      type: "kubernetes:core/v1:Namespace",
      name: "apps",
      props: { metadata: { name: "apps", labels: restricted } },
    };
    const quota = {
      type: "kubernetes:core/v1:ResourceQuota",
      name: "apps-quota",
      props: { metadata: { name: "quota", namespace: "apps" }, spec: { hard: { pods: "10" } } },
    };
    const limits = {
      type: "kubernetes:core/v1:LimitRange",
      name: "apps-limits",
      props: { metadata: { name: "limits", namespace: "apps" }, spec: { limits: [] } },
    };

    it("fails a namespace with neither a quota nor a LimitRange", async () => {
      const found = await pack.analyzeStack([namespace], policy);
      assert.equal(found.length, 1);
      assert.match(
        found[0]?.message ?? "",
        /Namespace apps has no ResourceQuota and no LimitRange/,
      );
      assert.equal(found[0]?.urn, "urn:pulumi:test::platform::kubernetes:core/v1:Namespace::apps");
    });

    it("fails a namespace whose quota sits in another namespace", async () => {
      const elsewhere = { ...quota, props: { metadata: { name: "quota", namespace: "other" } } };
      const found = await pack.analyzeStack([namespace, elsewhere, limits], policy);
      assert.match(found[0]?.message ?? "", /Namespace apps has no ResourceQuota\.$/);
    });

    it("passes a namespace with both", async () => {
      assert.deepEqual(await pack.analyzeStack([namespace, quota, limits], policy), []);
    });

    it("names the namespace by its metadata name, not the resource's", async () => {
      const renamed = { ...namespace, name: "apps-namespace" };
      assert.deepEqual(await pack.analyzeStack([renamed, quota, limits], policy), []);
      const found = await pack.analyzeStack([renamed, limits], policy);
      assert.deepEqual(
        found.map((d) => d.message.split("\n").pop()),
        ["Namespace apps has no ResourceQuota."],
      );
    });

    it("counts a quota and a LimitRange without a namespace as in the default namespace", async () => {
      const defaultNamespace = {
        type: "kubernetes:core/v1:Namespace",
        name: "default",
        props: { metadata: { name: "default", labels: restricted } },
      };
      const unscoped = (r: FakeResource): FakeResource => ({
        ...r,
        props: { metadata: { name: "x" } },
      });
      assert.deepEqual(
        await pack.analyzeStack([defaultNamespace, unscoped(quota), unscoped(limits)], policy),
        [],
      );
      const found = await pack.analyzeStack([defaultNamespace, quota, limits], policy);
      assert.deepEqual(
        found.map((d) => d.message.split("\n").pop()),
        ["Namespace default has no ResourceQuota and no LimitRange."],
      );
    });
  });
});
