import { strict as assert } from "node:assert";
import {
  Workloads,
  autoscalingDefaults,
  containerLimitDefaults,
  probeTimingDefaults,
  quotaDefaults,
  type ServiceSettings,
} from "../../components/workloads";
import { schemaProblems } from "../support/kubernetes-schema";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const hpaType = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

function service(name: string, podsMetrics: ServiceSettings["autoscaling"]["podsMetrics"]) {
  return {
    name,
    image: `example/${name}:1.0.0`,
    port: 3000,
    replicas: 2,
    resources: {
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
    },
    probes: {
      liveness: { httpGet: { path: "/health", port: 3000 }, ...probeTimingDefaults.liveness },
      readiness: { httpGet: { path: "/ready", port: 3000 }, ...probeTimingDefaults.readiness },
    },
    env: {},
    secretEnv: {},
    autoscaling: { ...autoscalingDefaults.staging, podsMetrics },
    exposure: { kind: "none" },
    serviceAccount: { annotations: {}, automountToken: false },
    calls: [],
    egress: [],
  } satisfies ServiceSettings;
}

const cpuAndMemory = [
  {
    type: "Resource",
    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
  },
  {
    type: "Resource",
    resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } },
  },
];

describe("Workloads whose HPA scales on a pods metric", () => {
  let recorded: Recorded;
  const hpa = (name: string): Obj =>
    recorded.inputs(recorded.one(hpaType, `workloads-${name}-hpa`));

  before(async () => {
    recorded = useMocks({ stack: "staging" });
    new Workloads("workloads", {
      namespaces: [
        {
          name: "staging",
          quota: quotaDefaults.staging,
          containerLimits: containerLimitDefaults.staging,
        },
      ],
      labels: { "app.kubernetes.io/part-of": "platform-staging" },
      target: "aws",
      services: [
        service("auth-service", [
          { name: "requests_per_second", averageValue: "100", counter: "http_requests_total" },
          { name: "jobs_per_second", averageValue: "2500m", counter: "jobs_processed_total" },
        ]),
        service("user-service", []),
      ],
      connectionSecrets: {},
    });
    await settle();
  });

  it("adds one Pods metric per entry, averaged over the pods, after CPU and memory", () => {
    assert.deepEqual(hpa("auth-service").spec.metrics, [
      ...cpuAndMemory,
      {
        type: "Pods",
        pods: {
          metric: { name: "requests_per_second" },
          target: { type: "AverageValue", averageValue: "100" },
        },
      },
      {
        type: "Pods",
        pods: {
          metric: { name: "jobs_per_second" },
          target: { type: "AverageValue", averageValue: "2500m" },
        },
      },
    ]);
  });

  it("keeps exactly CPU and memory for a service without pods metrics", () => {
    assert.deepEqual(hpa("user-service").spec.metrics, cpuAndMemory);
  });

  it("validates against the upstream autoscaling/v2 HorizontalPodAutoscaler schema", () => {
    assert.deepEqual(
      schemaProblems(hpaType, {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        ...hpa("auth-service"),
      }),
      [],
    );
  });
});
