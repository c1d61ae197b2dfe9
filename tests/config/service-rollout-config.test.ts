import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const auth = {
  name: "auth-service",
  image: "project/auth-service:v1.2.3",
  port: 3001,
  resources: {
    requests: { cpu: "200m", memory: "400Mi" },
    limits: { cpu: "400m", memory: "800Mi" },
  },
};

function withService(extra: Record<string, unknown>) {
  return {
    tier: "prod",
    target: "aws",
    aws: { region: "us-west-2", replicaRegion: "us-east-1" },
    workloads: { acmeEmail: "ops@example.com", services: [{ ...auth, ...extra }] },
  };
}

describe("Service config: rollout, config files and generated secrets", () => {
  it("takes the seed's maxSurge 1 / maxUnavailable 1, and fills a missing bound from the default", () => {
    const seed = parseStackConfig(
      source(withService({ rollout: { maxSurge: 1, maxUnavailable: 1 } })),
    );
    assert.deepEqual(seed.services[0]?.rollout, { maxSurge: 1, maxUnavailable: 1 });
    const half = parseStackConfig(source(withService({ rollout: { maxUnavailable: "25%" } })));
    assert.deepEqual(half.services[0]?.rollout, { maxSurge: 1, maxUnavailable: "25%" });
    assert.equal(parseStackConfig(source(withService({}))).services[0]?.rollout, undefined);
  });

  it("refuses a rollout that can neither add nor remove a pod, and a bound that is not a count or percentage", () => {
    assert.match(
      problems(withService({ rollout: { maxSurge: 0, maxUnavailable: "0%" } })).join("\n"),
      /rollout: .*maxSurge and maxUnavailable both 0/,
    );
    assert.match(
      problems(withService({ rollout: { maxSurge: "one" } })).join("\n"),
      /rollout\.maxSurge/,
    );
  });

  it("takes config files with an absolute mount path, and refuses a relative one or none", () => {
    const files = { mountPath: "/app/config", files: { "config.yaml": "a: 1\n" } };
    const cfg = parseStackConfig(source(withService({ configFiles: files })));
    assert.deepEqual(cfg.services[0]?.configFiles, files);
    const refused = problems(
      withService({ configFiles: { mountPath: "app/config", files: {} } }),
    ).join("\n");
    assert.match(refused, /configFiles\.mountPath: .*not an absolute path/);
    assert.match(refused, /configFiles\.files: .*needs at least one file/);
  });

  it("takes a generated JWT key of 64 characters, and refuses one shorter than 32", () => {
    const jwt = { secret: "jwt-secret", key: "secret", generate: { length: 64 } };
    const cfg = parseStackConfig(source(withService({ secretEnv: { JWT_SECRET: jwt } })));
    assert.deepEqual(cfg.services[0]?.secretEnv.JWT_SECRET, jwt);
    assert.match(
      problems(
        withService({ secretEnv: { JWT_SECRET: { ...jwt, generate: { length: 16 } } } }),
      ).join("\n"),
      /secretEnv\.JWT_SECRET\.generate\.length/,
    );
  });
});
