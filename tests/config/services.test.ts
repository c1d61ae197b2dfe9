import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseStackConfig } from "../../config";
import { runPlanCli } from "../support/run";

const api = {
  name: "api",
  image: "enrichment/api:1.0.0",
  port: 3000,
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
};

function withServices(services: unknown[], extra: Record<string, unknown> = {}) {
  return {
    tier: "prod",
    target: "aws",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    workloads: { acmeEmail: "ops@example.com", services, ...extra },
  };
}

describe("Service config", () => {
  describe("accepts", () => {
    it("a service with only the required fields, resolving the tier's defaults", () => {
      const cfg = parseStackConfig(source(withServices([api])));
      const [service] = cfg.services;
      assert.equal(service?.replicas, 3);
      assert.deepEqual(
        [service?.autoscaling.min, service?.autoscaling.max, service?.autoscaling.cpuPercent],
        [3, 20, 70],
      );
      assert.deepEqual(service?.probes.liveness.httpGet, { path: "/health", port: 3000 });
      assert.deepEqual(service?.probes.readiness.httpGet, { path: "/ready", port: 3000 });
      assert.equal(service?.probes.startup, undefined);
      assert.deepEqual(service?.exposure, { kind: "none" });
      assert.deepEqual(service?.serviceAccount, { annotations: {}, automountToken: false });
    });

    it("pods metrics, requests_per_second taking http_requests_total by convention", () => {
      const cfg = parseStackConfig(
        source(
          withServices([
            {
              ...api,
              autoscaling: {
                podsMetrics: [
                  { name: "requests_per_second", averageValue: "100" },
                  { name: "jobs_per_second", averageValue: "2500m", counter: "jobs_done_total" },
                ],
              },
            },
          ]),
        ),
      );
      assert.deepEqual(cfg.services[0]?.autoscaling.podsMetrics, [
        { name: "requests_per_second", averageValue: "100", counter: "http_requests_total" },
        { name: "jobs_per_second", averageValue: "2500m", counter: "jobs_done_total" },
      ]);
    });

    it("no pods metrics when none are configured", () => {
      const cfg = parseStackConfig(source(withServices([api])));
      assert.deepEqual(cfg.services[0]?.autoscaling.podsMetrics, []);
    });

    it("an ingress with its own rate limit and the default path", () => {
      const cfg = parseStackConfig(
        source(
          withServices([
            { ...api, exposure: { kind: "ingress", host: "api.example.com", rateLimit: 20 } },
          ]),
        ),
      );
      assert.deepEqual(cfg.services[0]?.exposure, {
        kind: "ingress",
        host: "api.example.com",
        path: "/",
        rateLimit: 20,
      });
    });

    it("an image pinned by digest, and one from a registry with a port and a tag", () => {
      const digest = `registry.example.com:5000/api@sha256:${"a".repeat(64)}`;
      const cfg = parseStackConfig(
        source(
          withServices([
            { ...api, image: digest },
            { ...api, name: "web", image: "registry.example.com:5000/web:2.1" },
          ]),
        ),
      );
      assert.deepEqual(
        cfg.services.map((s) => s.image),
        [digest, "registry.example.com:5000/web:2.1"],
      );
    });

    it("services that fill the prod quota exactly", () => {
      // 4 services x 3 replicas x 500m = 6 CPU requests; x 1 CPU = 12 limits, within 10/20.
      const four = ["a", "b", "c", "d"].map((name) => ({ ...api, name }));
      assert.equal(parseStackConfig(source(withServices(four))).services.length, 4);
    });
  });

  const rejections: { what: string; services: unknown[]; key: string; says: RegExp }[] = [
    {
      what: "an image tagged latest",
      services: [{ ...api, image: "enrichment/api:latest" }],
      key: "platform:workloads.services[0].image",
      says: /"enrichment\/api:latest" is not pinned \(the tag is latest\); expected a version tag/,
    },
    {
      what: "an untagged image",
      services: [{ ...api, image: "enrichment/api" }],
      key: "platform:workloads.services[0].image",
      says: /"enrichment\/api" is not pinned \(no tag\)/,
    },
    {
      what: "an untagged image on a registry with a port",
      services: [{ ...api, image: "registry.example.com:5000/api" }],
      key: "platform:workloads.services[0].image",
      says: /is not pinned \(no tag\)/,
    },
    {
      what: "a service without resources",
      services: [{ ...api, resources: undefined }],
      key: "platform:workloads.services[0].resources",
      says: /\(missing\) is not allowed; expected object/,
    },
    {
      what: "a service without memory limits",
      services: [{ ...api, resources: { ...api.resources, limits: { cpu: "1" } } }],
      key: "platform:workloads.services[0].resources.limits.memory",
      says: /\(missing\)/,
    },
    {
      what: "a probe with both an HTTP and a TCP check",
      services: [{ ...api, probes: { liveness: { httpGet: { path: "/health" }, tcp: {} } } }],
      key: "platform:workloads.services[0].probes.liveness",
      says: /needs exactly one of httpGet or tcp/,
    },
    {
      what: "an unknown exposure",
      services: [{ ...api, exposure: { kind: "nodePort" } }],
      key: "platform:workloads.services[0].exposure.kind",
      says: /"nodePort".* is not an exposure; expected kind "none", "ingress" or "loadBalancer"/,
    },
    {
      what: "an ingress host that is not a host name",
      services: [{ ...api, exposure: { kind: "ingress", host: "https://api" } }],
      key: "platform:workloads.services[0].exposure.host",
      says: /"https:\/\/api" is not a host name/,
    },
    {
      what: "a port out of range",
      services: [{ ...api, port: 70000 }],
      key: "platform:workloads.services[0].port",
      says: /70000 is not a port number; expected 1-65535/,
    },
    {
      what: "a misspelt service key",
      services: [{ ...api, replica: 2 }],
      key: "platform:workloads.services[0].replica",
      says: /unknown key \(did you mean "replicas"\?\); .*allowed here: .*replicas/,
    },
    {
      what: "two services with the same name",
      services: [api, api],
      key: "platform:workloads.services[1].name",
      says: /"api" is used by an earlier service; names must be unique/,
    },
    {
      what: "a pods metric name that is not a Prometheus identifier",
      services: [
        {
          ...api,
          autoscaling: { podsMetrics: [{ name: "requests-per-second", averageValue: "100" }] },
        },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics[0].name",
      says: /"requests-per-second" is not a Prometheus metric name; expected letters, digits and _/,
    },
    {
      what: "a pods metric target that is not a Kubernetes quantity",
      services: [
        {
          ...api,
          autoscaling: { podsMetrics: [{ name: "requests_per_second", averageValue: 100 }] },
        },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics[0].averageValue",
      says: /100 is not a Kubernetes quantity; expected a string such as "500m"/,
    },
    {
      what: "a pods metric target with a unit that is not a quantity's",
      services: [
        {
          ...api,
          autoscaling: { podsMetrics: [{ name: "requests_per_second", averageValue: "100rps" }] },
        },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics[0].averageValue",
      says: /"100rps" is not a Kubernetes quantity; expected e.g. "500m", "2"/,
    },
    {
      what: "a pods metric other than requests_per_second without its counter",
      services: [
        { ...api, autoscaling: { podsMetrics: [{ name: "jobs_per_second", averageValue: "5" }] } },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics[0]",
      says: /"jobs_per_second".* has no counter; only requests_per_second has a conventional one \(http_requests_total\)/,
    },
    {
      what: "pods metrics that are not a list",
      services: [
        {
          ...api,
          autoscaling: { podsMetrics: { name: "requests_per_second", averageValue: "1" } },
        },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics",
      says: /is not a list of pods metrics; expected e.g. \[\{ name: requests_per_second, averageValue: "100" \}\]/,
    },
    {
      what: "one pods metric listed twice for a service",
      services: [
        {
          ...api,
          autoscaling: {
            podsMetrics: [
              { name: "requests_per_second", averageValue: "100" },
              { name: "requests_per_second", averageValue: "50" },
            ],
          },
        },
      ],
      key: "platform:workloads.services[0].autoscaling.podsMetrics[1].name",
      says: /"requests_per_second" is listed earlier for this service; each metric once/,
    },
    {
      what: "one pods metric name derived from two counters",
      services: [
        {
          ...api,
          autoscaling: { podsMetrics: [{ name: "requests_per_second", averageValue: "100" }] },
        },
        {
          ...api,
          name: "worker",
          autoscaling: {
            podsMetrics: [
              { name: "requests_per_second", averageValue: "50", counter: "grpc_requests_total" },
            ],
          },
        },
      ],
      key: "platform:workloads.services[1].autoscaling.podsMetrics[0].counter",
      says: /"grpc_requests_total" differs from "http_requests_total", the counter an earlier service derives requests_per_second from/,
    },
    {
      what: "replicas outside the autoscaling bounds",
      services: [{ ...api, replicas: 30 }],
      key: "platform:workloads.services[0].replicas",
      says: /30 is outside the autoscaling bounds; expected 3-20/,
    },
    {
      what: "an autoscaling maximum below its minimum",
      services: [{ ...api, autoscaling: { min: 5, max: 4 } }],
      key: "platform:workloads.services[0].autoscaling.max",
      says: /4 is below autoscaling.min 5; expected max >= min/,
    },
    {
      what: "requests above limits",
      services: [
        { ...api, resources: { ...api.resources, requests: { cpu: "2", memory: "1Gi" } } },
      ],
      key: "platform:workloads.services[0].resources.requests.cpu",
      says: /"2" is more than the limit "1"; expected requests <= limits/,
    },
    {
      what: "a call to a service that does not exist",
      services: [{ ...api, calls: ["auth"] }],
      key: "platform:workloads.services[0].calls",
      says: /"auth" is not a service of this stack; expected one of api/,
    },
    {
      what: "services whose CPU requests at minimum replicas exceed the quota",
      // 7 x 3 x 500m = 10.5 CPU > 10.
      services: ["a", "b", "c", "d", "e", "f", "g"].map((name) => ({ ...api, name })),
      key: "platform:workloads.services",
      says: /request CPU of 10500m, more than the quota of namespace production allows \(platform:workloads.quota.requestsCpu "10"\)/,
    },
    {
      what: "services whose memory limits at minimum replicas exceed the quota",
      services: [
        {
          ...api,
          resources: {
            requests: { cpu: "100m", memory: "1Gi" },
            limits: { cpu: "1", memory: "14Gi" },
          },
        },
      ],
      key: "platform:workloads.services",
      says: /have memory limits of 42Gi, more than .*platform:workloads.quota.limitsMemory "40Gi"/,
    },
    {
      what: "services whose memory requests at minimum replicas exceed the quota",
      services: [
        {
          ...api,
          resources: {
            requests: { cpu: "100m", memory: "7Gi" },
            limits: { cpu: "1", memory: "8Gi" },
          },
        },
      ],
      key: "platform:workloads.services",
      says: /request memory of 21Gi, more than .*platform:workloads.quota.requestsMemory "20Gi"/,
    },
    {
      what: "services whose CPU limits at minimum replicas exceed the quota",
      services: [
        {
          ...api,
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "7", memory: "1Gi" } },
        },
      ],
      key: "platform:workloads.services",
      says: /have CPU limits of 21, more than .*platform:workloads.quota.limitsCpu "20"/,
    },
  ];

  describe("rejects", () => {
    for (const { what, services, key, says } of rejections) {
      it(`${what}, naming ${key}`, () => {
        const found = problems(withServices(services));
        const line = found.find((p) => p.startsWith(`${key}:`) || p.startsWith(`${key} `));
        assert.ok(line, `no problem names ${key}; got:\n${found.join("\n")}`);
        assert.match(line, says);
      });
    }

    it("more pods at minimum replicas than the quota allows, naming platform:workloads.services", () => {
      const tiny = {
        ...api,
        resources: {
          requests: { cpu: "10m", memory: "16Mi" },
          limits: { cpu: "10m", memory: "16Mi" },
        },
      };
      const found = problems(
        withServices(
          ["a", "b", "c"].map((name) => ({ ...tiny, name, autoscaling: { min: 5 } })),
          { quota: { pods: 12 } },
        ),
      );
      assert.deepEqual(found, [
        "platform:workloads.services: at their minimum replicas the services run 15 pods, more " +
          "than the quota of namespace production allows (platform:workloads.quota.pods 12); " +
          "lower autoscaling.min or raise the quota",
      ]);
    });

    it("an ingress without a Let's Encrypt e-mail, naming platform:workloads.acmeEmail", () => {
      const found = problems({
        ...withServices([{ ...api, exposure: { kind: "ingress", host: "api.example.com" } }]),
        workloads: {
          services: [{ ...api, exposure: { kind: "ingress", host: "api.example.com" } }],
        },
      });
      assert.deepEqual(found, [
        "platform:workloads.acmeEmail: (missing) is required when a service is exposed by " +
          "ingress; set the Let's Encrypt account e-mail",
      ]);
    });
  });

  it("stops the plan over quota before any resource is registered", function () {
    this.timeout(120_000);
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "over-quota.json");
    const run = runPlanCli([
      "--dir",
      "tests/fixtures/over-quota",
      "--stack",
      "dev",
      "--no-policy",
      "--json",
      json,
    ]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /platform:workloads\.services: at their minimum replicas the services request CPU of 3, more than the quota of namespace dev allows \(platform:workloads\.quota\.requestsCpu "2"\)/,
    );
    const plan = JSON.parse(fs.readFileSync(json, "utf8")) as { resources: { type: string }[] };
    assert.deepEqual(
      plan.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
  });
});
