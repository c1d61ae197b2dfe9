import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import { parseStackConfig } from "../../config";

const report = {
  name: "report",
  image: "enrichment/report:1.2.0",
  schedule: "30 2 * * *",
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "500m", memory: "256Mi" },
  },
};

const api = {
  name: "api",
  image: "enrichment/api:1.0.0",
  port: 3000,
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
};

function withJobs(jobs: unknown[], extra: Record<string, unknown> = {}) {
  return {
    tier: "prod",
    target: "aws",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    workloads: { jobs, ...extra },
  };
}

describe("Scheduled job config", () => {
  describe("accepts", () => {
    it("a job with only the required fields: Forbid, 3 runs kept of each, 1 h deadline, 2 retries", () => {
      const cfg = parseStackConfig(source(withJobs([report])));
      assert.deepEqual(cfg.jobs, [
        {
          name: "report",
          image: "enrichment/report:1.2.0",
          schedule: "30 2 * * *",
          resources: report.resources,
          env: {},
          secretEnv: {},
          concurrencyPolicy: "Forbid",
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          activeDeadlineSeconds: 3600,
          backoffLimit: 2,
          startingDeadlineSeconds: 300,
          egress: [],
        },
      ]);
    });

    for (const schedule of [
      "*/5 * * * *",
      "0 9-17 * * mon-fri",
      "15,45 */2 1 jan,jul 0",
      "0 0 1-15/3 * 7",
      "@hourly",
      "@daily",
    ]) {
      it(`the schedule "${schedule}"`, () => {
        const cfg = parseStackConfig(source(withJobs([{ ...report, schedule }])));
        assert.equal(cfg.jobs[0]?.schedule, schedule);
      });
    }

    it("no jobs at all", () => {
      const cfg = parseStackConfig(source(withJobs([])));
      assert.deepEqual(cfg.jobs, []);
    });
  });

  const key = "platform:workloads.jobs[0]";
  const rejections = [
    {
      what: "a schedule with six fields",
      job: { ...report, schedule: "0 30 2 * * *" },
      at: `${key}.schedule`,
      says: /"0 30 2 \* \* \*" is not a cron schedule \(6 fields\); expected five fields/,
    },
    {
      what: "a minute out of range",
      job: { ...report, schedule: "60 2 * * *" },
      at: `${key}.schedule`,
      says: /is not a cron schedule: "60" is not a valid minute; expected \*, numbers 0-59/,
    },
    {
      what: "a backwards range of hours",
      job: { ...report, schedule: "0 17-9 * * *" },
      at: `${key}.schedule`,
      says: /"17-9" is not a valid hour; expected \*, numbers 0-23/,
    },
    {
      what: "a step of zero",
      job: { ...report, schedule: "*/0 * * * *" },
      at: `${key}.schedule`,
      says: /"\*\/0" is not a valid minute/,
    },
    {
      what: "an unknown day name",
      job: { ...report, schedule: "0 0 * * funday" },
      at: `${key}.schedule`,
      says: /"funday" is not a valid day of week; expected \*, numbers 0-7/,
    },
    {
      what: "an unknown macro",
      job: { ...report, schedule: "@fortnightly" },
      at: `${key}.schedule`,
      says: /is not a cron schedule \(1 fields\);.*@yearly, @annually, @monthly/,
    },
    {
      what: "an image tagged latest",
      job: { ...report, image: "enrichment/report:latest" },
      at: `${key}.image`,
      says: /"enrichment\/report:latest" is not pinned \(the tag is latest\)/,
    },
    {
      what: "an untagged image",
      job: { ...report, image: "enrichment/report" },
      at: `${key}.image`,
      says: /"enrichment\/report" is not pinned \(no tag\)/,
    },
    {
      what: "an unknown concurrency policy",
      job: { ...report, concurrencyPolicy: "Queue" },
      at: `${key}.concurrencyPolicy`,
      says: /"Queue".* is not a concurrency policy; expected "Forbid", "Replace" or "Allow"/,
    },
    {
      what: "a job without resources",
      job: { ...report, resources: undefined },
      at: `${key}.resources`,
      says: /\(missing\)/,
    },
    {
      what: "requests above limits",
      job: {
        ...report,
        resources: { ...report.resources, requests: { cpu: "1", memory: "128Mi" } },
      },
      at: `${key}.resources.requests.cpu`,
      says: /"1" is more than the limit "500m"; expected requests <= limits/,
    },
  ];

  describe("rejects", () => {
    for (const { what, job, at, says } of rejections) {
      it(`${what}, naming ${at}`, () => {
        const found = problems(withJobs([job]));
        const line = found.find((p) => p.startsWith(`${at}:`) || p.startsWith(`${at} `));
        assert.ok(line, `no problem names ${at}; got:\n${found.join("\n")}`);
        assert.match(line, says);
      });
    }

    it("two jobs of the same name", () => {
      assert.deepEqual(problems(withJobs([report, report])), [
        'platform:workloads.jobs[1].name: "report" is used by an earlier job; names must be unique',
      ]);
    });

    it("a job named like a service", () => {
      assert.deepEqual(problems(withJobs([{ ...report, name: "api" }], { services: [api] })), [
        'platform:workloads.jobs[0].name: "api" is also a service\'s name; jobs and services ' +
          "need distinct names",
      ]);
    });

    it("jobs that, one pod each, take the services over the pod quota", () => {
      const found = problems(
        withJobs(
          ["a", "b"].map((name) => ({ ...report, name })),
          { services: [{ ...api, autoscaling: { min: 3 } }], quota: { pods: 4 } },
        ),
      );
      assert.deepEqual(found, [
        "platform:workloads.services: at their minimum replicas the services and one run of " +
          "each job run 5 pods, more than the quota of namespace production allows " +
          "(platform:workloads.quota.pods 4); lower autoscaling.min or raise the quota",
      ]);
    });

    it("jobs whose memory requests take the services over the quota", () => {
      const found = problems(
        withJobs(
          [
            {
              ...report,
              resources: {
                requests: { cpu: "100m", memory: "2Gi" },
                limits: report.resources.limits,
              },
            },
          ],
          { services: [api], quota: { requestsMemory: "3Gi" } },
        ),
      );
      assert.ok(
        found.some((p) =>
          p.startsWith(
            "platform:workloads.services: at their minimum replicas the services and one run " +
              "of each job request memory of 3.5Gi, more than the quota",
          ),
        ),
        found.join("\n"),
      );
    });
  });
});
