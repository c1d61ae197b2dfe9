import {
  autoscalingDefaults,
  probeTimingDefaults,
  type ServiceSettings,
} from "../../components/workloads";

/**
 * A prod service as config resolves it, with nothing exposed, called or used: a test states
 * only the fields it is about.
 */
export function aService(
  overrides: Partial<ServiceSettings> & Pick<ServiceSettings, "name">,
): ServiceSettings {
  return {
    image: "example/app:1.0.0",
    port: 3000,
    replicas: 3,
    resources: {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "250m", memory: "256Mi" },
    },
    probes: {
      liveness: { httpGet: { path: "/health", port: 3000 }, ...probeTimingDefaults.liveness },
      readiness: { httpGet: { path: "/ready", port: 3000 }, ...probeTimingDefaults.readiness },
    },
    env: {},
    secretEnv: {},
    autoscaling: autoscalingDefaults.prod,
    exposure: { kind: "none" },
    serviceAccount: { annotations: {}, automountToken: false },
    calls: [],
    egress: [],
    ...overrides,
  };
}
