import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Workloads } from "../../components/workloads";
import { tracesEgress } from "../../components/workloads/network-policy";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { stackConfig } from "../support/stacks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The rule chart jaeger 3.4.1's all-in-one pod needs: its labels, its two OTLP ports. */
const otlpToCollector = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
      podSelector: {
        matchLabels: {
          "app.kubernetes.io/name": "jaeger",
          "app.kubernetes.io/instance": "jaeger",
          "app.kubernetes.io/component": "all-in-one",
        },
      },
    },
  ],
  ports: [
    { protocol: "TCP", port: 4317 },
    { protocol: "TCP", port: 4318 },
  ],
};

function policies(recorded: Recorded): Obj[] {
  return recorded
    .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .filter((p) => p.name.endsWith("-network-policy"))
    .map((p) => recorded.inputs(p) as Obj);
}

describe("Traces from the services of the dev stack", () => {
  const config = stackConfig("dev");

  async function build(monitoringNamespace?: string): Promise<Recorded> {
    const recorded = useMocks({ stack: "dev" });
    new Workloads("workloads", {
      namespaces: config.namespaces,
      labels: { "app.kubernetes.io/part-of": config.baseName },
      target: config.target,
      services: config.services,
      // Every connection the services read, so the component accepts them.
      connectionSecrets: Object.fromEntries(
        config.services.flatMap((s) =>
          Object.values(s.secretEnv).map((ref) => [ref.key, pulumi.secret("unused")]),
        ),
      ),
      ...(monitoringNamespace !== undefined && { monitoringNamespace }),
    });
    await settle();
    return recorded;
  }

  it("leave every service's pods, past the default deny, to the collector's OTLP ports in the monitoring namespace", async () => {
    const found = policies(await build("monitoring"));
    assert.equal(found.length, config.services.length);
    for (const policy of found) {
      const egress = policy.spec.egress as Obj[];
      assert.deepEqual(
        egress.filter((rule) => JSON.stringify(rule).includes("4317")),
        [otlpToCollector],
        policy.metadata.name,
      );
    }
  });

  it("have no rule to a collector when the stack has no monitoring namespace", async () => {
    for (const policy of policies(await build())) {
      const egress = policy.spec.egress as Obj[];
      assert.deepEqual(
        egress.filter((rule) => JSON.stringify(rule).includes("4317")),
        [],
        policy.metadata.name,
      );
    }
    assert.deepEqual(tracesEgress(undefined), []);
  });
});
