import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import {
  Workloads,
  containerLimitDefaults,
  quotaDefaults,
  type WorkloadsArgs,
} from "../../components/workloads";
import { bucketEnvName } from "../../components/workloads/connection-data";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { aService } from "../support/service";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const worker = aService({
  name: "worker",
  uses: { buckets: { uploads: "readwrite" }, queue: "read", topic: "write", search: "read" },
});
const web = aService({ name: "web" });

const data = {
  region: "us-east-1",
  buckets: { uploads: "platform-uploads", backups: "platform-backups" },
  queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/notifications",
  topicArn: "arn:aws:sns:us-east-1:123456789012:notifications",
  searchEndpoint: "https://vpc-search.us-east-1.es.amazonaws.com",
};

function workloads(extra: Partial<WorkloadsArgs>): Workloads {
  return new Workloads("workloads", {
    namespaces: [
      {
        name: "production",
        quota: quotaDefaults.prod,
        containerLimits: containerLimitDefaults.prod,
      },
    ],
    labels: { "app.kubernetes.io/part-of": "platform-prod" },
    target: "aws",
    services: [worker, web],
    connectionData: data,
    cloudApiCidr: "10.10.0.0/16",
    ...extra,
  });
}

describe("Workloads on aws: a service that already states 443 to the VPC", () => {
  it("keeps one rule for the VPC's endpoints, not two", async () => {
    const recorded = useMocks({ stack: "prod" });
    workloads({ services: [{ ...worker, egress: [{ port: 443, cidr: "10.10.0.0/16" }] }, web] });
    await settle();
    const policy = recorded.inputs(
      recorded.one(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "workloads-worker-network-policy",
      ),
    ) as Obj;
    const toVpc = (policy.spec.egress as Obj[]).filter(
      (rule) => JSON.stringify(rule.to) === JSON.stringify([{ ipBlock: { cidr: "10.10.0.0/16" } }]),
    );
    assert.deepEqual(toVpc, [
      { to: [{ ipBlock: { cidr: "10.10.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });
});

describe("Workloads on aws: a service that uses a bucket, the queue, the topic and search", () => {
  let recorded: Recorded;
  let role: aws.iam.Role;
  const inputs = (type: string, name: string): Obj => recorded.inputs(recorded.one(type, name));
  before(async () => {
    recorded = useMocks({ stack: "prod" });
    role = new aws.iam.Role("identity-worker-role", { assumeRolePolicy: "{}" });
    workloads({
      identities: {
        worker: {
          annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/worker" },
          ready: [role],
        },
      },
    });
    await settle();
  });

  it("gets the bucket's name, the queue's URL, the topic's ARN, the endpoint and the region", () => {
    const map = inputs("kubernetes:core/v1:ConfigMap", "workloads-worker-connection-data");
    assert.deepEqual(map.metadata.name, "worker-connection-data");
    assert.deepEqual(map.metadata.namespace, "production");
    assert.deepEqual(map.data, {
      BUCKET_UPLOADS: "platform-uploads",
      QUEUE_URL: data.queueUrl,
      TOPIC_ARN: data.topicArn,
      SEARCH_URL: "https://vpc-search.us-east-1.es.amazonaws.com",
      AWS_REGION: "us-east-1",
      AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: "regional",
    });
  });

  it("hands no credentials in its connection data: the search URL has no user or password", () => {
    const map = inputs("kubernetes:core/v1:ConfigMap", "workloads-worker-connection-data");
    assert.ok(!String(map.data.SEARCH_URL).includes("@"));
  });

  it("reads them as env from that ConfigMap, after it and the role exist", () => {
    const deployment = recorded.one("kubernetes:apps/v1:Deployment", "workloads-worker-deployment");
    const container = (recorded.inputs(deployment) as Obj).spec.template.spec.containers[0];
    assert.deepEqual(container.envFrom, [{ configMapRef: { name: "worker-connection-data" } }]);
    const map = recorded.one("kubernetes:core/v1:ConfigMap", "workloads-worker-connection-data");
    const roleUrn = recorded.one("aws:iam/role:Role", "identity-worker-role").urn;
    assert.ok(deployment.dependencies.includes(map.urn), "envFrom needs the ConfigMap");
    assert.ok(deployment.dependencies.includes(roleUrn), "pods start once their role exists");
  });

  it("can read the web identity token EKS projects into its pods, as uid 1001 in group 1001", () => {
    // The pod identity webhook adds its own projected token volume (it does not need the
    // ServiceAccount token automounted); fsGroup makes the file readable by the non-root user.
    const pod = inputs("kubernetes:apps/v1:Deployment", "workloads-worker-deployment").spec.template
      .spec;
    assert.equal(pod.serviceAccountName, "worker");
    assert.equal(pod.securityContext.fsGroup, 1001);
    assert.equal(pod.securityContext.runAsUser, 1001);
  });

  it("runs as a ServiceAccount annotated with its role", () => {
    const account = inputs("kubernetes:core/v1:ServiceAccount", "workloads-worker-account");
    assert.deepEqual(account.metadata.annotations, {
      "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/worker",
    });
  });

  it("may reach the VPC's interface endpoints (STS, S3, SQS, SNS, KMS) on 443", () => {
    const policy = inputs(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "workloads-worker-network-policy",
    );
    assert.deepEqual(policy.spec.egress.at(-1), {
      to: [{ ipBlock: { cidr: "10.10.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
  });

  it("gives a service that uses nothing no ConfigMap, no annotation and no cloud egress", () => {
    assert.equal(
      recorded
        .ofType("kubernetes:core/v1:ConfigMap")
        .filter((r) => r.name === "workloads-web-connection-data").length,
      0,
    );
    const container = inputs("kubernetes:apps/v1:Deployment", "workloads-web-deployment").spec
      .template.spec.containers[0];
    assert.equal(container.envFrom, undefined);
    const account = inputs("kubernetes:core/v1:ServiceAccount", "workloads-web-account");
    assert.deepEqual(account.metadata.annotations, {});
    const policy = inputs(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "workloads-web-network-policy",
    );
    assert.ok(
      !JSON.stringify(policy.spec.egress).includes("10.10.0.0/16"),
      JSON.stringify(policy.spec.egress),
    );
  });
});

describe("Workloads: connection data a service uses must be given", () => {
  beforeEach(() => useMocks({ stack: "prod" }));

  it("refuses a service that uses a bucket, the queue or search the caller did not pass", () => {
    assert.throws(() => workloads({ connectionData: { buckets: {} } }), {
      name: "ComponentError",
      message:
        "Workloads workloads: invalid args:\n" +
        '  - service worker: uses bucket "uploads"; no connection data is passed for it\n' +
        "  - service worker: uses the queue; no connection data is passed for it\n" +
        "  - service worker: uses the topic; no connection data is passed for it\n" +
        "  - service worker: uses the search domain; no connection data is passed for it",
    });
  });

  it("names bucket env after the role, hyphens as underscores", () => {
    assert.equal(bucketEnvName("uploads"), "BUCKET_UPLOADS");
    assert.equal(bucketEnvName("user-photos"), "BUCKET_USER_PHOTOS");
  });
});

describe("Workloads on gcp: a service that uses a bucket", () => {
  it("gets the bucket's name and no region, and reaches the metadata server and Google's APIs", async () => {
    const recorded = useMocks({ stack: "prod" });
    workloads({
      target: "gcp",
      services: [aService({ name: "export", uses: { buckets: { uploads: "write" } } })],
      connectionData: { buckets: { uploads: "standby-uploads" } },
      cloudApiCidr: undefined,
    });
    await settle();
    const map = recorded.inputs(
      recorded.one("kubernetes:core/v1:ConfigMap", "workloads-export-connection-data"),
    ) as Obj;
    assert.deepEqual(map.data, { BUCKET_UPLOADS: "standby-uploads" });
    const policy = recorded.inputs(
      recorded.one(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "workloads-export-network-policy",
      ),
    ) as Obj;
    // After DNS: the GKE metadata server (Dataplane V2, then the legacy datapath), which issues
    // the Workload Identity token, and 443 to Google's public API addresses.
    assert.deepEqual(policy.spec.egress.slice(1), [
      {
        to: [{ ipBlock: { cidr: "169.254.169.254/32" } }],
        ports: [
          { protocol: "TCP", port: 80 },
          { protocol: "TCP", port: 8080 },
        ],
      },
      {
        to: [{ ipBlock: { cidr: "169.254.169.252/32" } }],
        ports: [
          { protocol: "TCP", port: 987 },
          { protocol: "TCP", port: 988 },
        ],
      },
      {
        to: [
          {
            ipBlock: {
              cidr: "0.0.0.0/0",
              except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 443 }],
      },
    ]);
  });
});
