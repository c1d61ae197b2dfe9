import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const api = {
  name: "api",
  image: "enrichment/api:1.0.0",
  port: 3000,
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
};

function stack(uses: unknown, extra: Record<string, unknown> = {}, service = {}) {
  return {
    tier: "prod",
    target: "aws",
    aws: { region: "us-east-1", replicaRegion: "us-west-2" },
    // Search and the queue are opt-in on every tier: this stack builds both.
    search: { enabled: true },
    queue: { enabled: true },
    workloads: { services: [{ ...api, ...service, uses }] },
    ...extra,
  };
}

describe("Service config: what a service uses", () => {
  it("resolves buckets, the queue, the topic and search with their access levels", () => {
    const cfg = parseStackConfig(
      source(
        stack({ buckets: { uploads: "readwrite" }, queue: "read", topic: "write", search: "read" }),
      ),
    );
    assert.deepEqual(cfg.services[0]?.uses, {
      buckets: { uploads: "readwrite" },
      queue: "read",
      topic: "write",
      search: "read",
    });
  });

  it("resolves a service without uses to using nothing", () => {
    const cfg = parseStackConfig(source(stack(undefined)));
    assert.deepEqual(cfg.services[0]?.uses, { buckets: {} });
  });

  it("refuses a bucket role the stack does not build, naming the service, key and roles", () => {
    assert.deepEqual(problems(stack({ buckets: { photos: "read" } })), [
      'platform:workloads.services[0].uses.buckets.photos: service "api" uses bucket "photos", ' +
        "which this stack does not build; expected one of uploads, backups",
    ]);
  });

  it("accepts a bucket role the stack adds in platform:objectStore.buckets", () => {
    const cfg = parseStackConfig(
      source(
        stack({ buckets: { documents: "write" } }, { objectStore: { buckets: { documents: {} } } }),
      ),
    );
    assert.deepEqual(cfg.services[0]?.uses?.buckets, { documents: "write" });
  });

  it("refuses any bucket when the object store is off", () => {
    assert.deepEqual(
      problems(stack({ buckets: { uploads: "read" } }, { objectStore: { enabled: false } })),
      [
        'platform:workloads.services[0].uses.buckets.uploads: service "api" uses bucket "uploads", ' +
          "which this stack does not build; platform:objectStore.enabled is false; enable it or remove the use",
      ],
    );
  });

  it("refuses the queue and the topic when the queue is off", () => {
    assert.deepEqual(
      problems(stack({ queue: "write", topic: "write" }, { queue: { enabled: false } })),
      [
        'platform:workloads.services[0].uses.queue: service "api" uses the queue, which this stack ' +
          'does not build; set platform:queue.enabled true on target "aws" or "gcp", or remove the use',
        'platform:workloads.services[0].uses.topic: service "api" uses the topic, which this stack ' +
          'does not build; set platform:queue.enabled true on target "aws" or "gcp", or remove the use',
      ],
    );
  });

  it("refuses search when the search domain is off", () => {
    assert.deepEqual(problems(stack({ search: "read" }, { search: { enabled: false } })), [
      'platform:workloads.services[0].uses.search: service "api" uses the search, which this stack ' +
        'does not build; set platform:search.enabled true on target "aws", or remove the use',
    ]);
  });

  it("refuses the queue on target gcp when the stack builds none", () => {
    const found = problems({
      tier: "staging",
      target: "gcp",
      gcp: { project: "platform-staging", region: "europe-west1" },
      cache: { nodes: 1 },
      workloads: { services: [{ ...api, uses: { queue: "read" } }] },
    });
    assert.ok(
      found.some((p) => p.startsWith('platform:workloads.services[0].uses.queue: service "api"')),
      found.join("\n"),
    );
  });

  it("on a local cluster allows the in-cluster bucket only", () => {
    const local = (buckets: Record<string, string>) => ({
      tier: "dev",
      target: "local",
      workloads: { services: [{ ...api, uses: { buckets } }] },
    });
    assert.deepEqual(parseStackConfig(source(local({ uploads: "readwrite" }))).services[0]?.uses, {
      buckets: { uploads: "readwrite" },
    });
    assert.deepEqual(problems(local({ documents: "read" })), [
      'platform:workloads.services[0].uses.buckets.documents: service "api" uses bucket "documents", ' +
        "which this stack does not build; expected one of uploads",
    ]);
  });

  it("refuses an access level outside read, write, readwrite", () => {
    const found = problems(stack({ buckets: { uploads: "admin" } }));
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /^platform:workloads\.services\[0\]\.uses\.buckets\.uploads: /);
    assert.match(found[0]!, /expected one of read, write, readwrite/);
  });

  it("refuses reading a topic: a topic is published to", () => {
    const found = problems(stack({ topic: "read" }));
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /^platform:workloads\.services\[0\]\.uses\.topic: /);
    assert.match(found[0]!, /expected write \(publish\)/);
  });

  it("refuses a hand-set role annotation on a service whose role the platform makes", () => {
    assert.deepEqual(
      problems(
        stack(
          { buckets: { uploads: "read" } },
          {},
          {
            serviceAccount: {
              annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" },
            },
          },
        ),
      ),
      [
        'platform:workloads.services[0].serviceAccount.annotations.eks.amazonaws.com/role-arn: service "api" ' +
          "uses platform resources, so the platform creates its identity and sets this annotation; remove it",
      ],
    );
  });

  it("refuses env that the platform sets from what the service uses", () => {
    assert.deepEqual(
      problems(
        stack(
          { buckets: { uploads: "read" }, search: "read" },
          {},
          { env: { BUCKET_UPLOADS: "mine" }, secretEnv: { SEARCH_URL: { secret: "s", key: "k" } } },
        ),
      ),
      [
        'platform:workloads.services[0].env: service "api" sets BUCKET_UPLOADS, which the platform ' +
          "sets from what the service uses; remove it from env and secretEnv",
        'platform:workloads.services[0].env: service "api" sets SEARCH_URL, which the platform ' +
          "sets from what the service uses; remove it from env and secretEnv",
      ],
    );
  });
});
