import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gcsLocation } from "../../components/objectstore/gcp";
import { configSourceOf, parseStackConfig } from "../../config";
import { awsRegions } from "../../config/catalog/aws-regions";
import { gcpRegions, gcsLocationOf } from "../../config/catalog/gcp-regions";
import { cidrCovers, parseCidr, type Ipv4Block } from "../../config/cidr";
import { imageProblem } from "../../config/image";
import { nameProblem } from "../../config/kubernetes-names";
import { parseQuantity } from "../../config/quantity";
import { plainLeavesOf, stackFilePath } from "../../config/stack-file";
import { stackFileSource } from "../support/config";

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
const service = { name: "api", image: "ghcr.io/example/api:1.4.2", port: 8080, resources };
const staging = {
  "platform:tier": "staging",
  "platform:target": "aws",
  "platform:aws": { region: "us-east-1" },
};
const email = {
  emailTo: "oncall@example.com",
  emailFrom: "alerts@example.com",
  emailSmarthost: "smtp.example.com:587",
};
const accepts = (config: Record<string, unknown>) =>
  assert.doesNotThrow(() => parseStackConfig(stackFileSource(config)));
const withService = (patch: Record<string, unknown>) => ({
  ...staging,
  "platform:workloads": { services: [{ ...service, ...patch }] },
});

describe("Config rules accept what the clouds and Kubernetes accept", () => {
  describe("the GCS location catalog", () => {
    it("replicates each region's buckets where the object store component puts them", () => {
      for (const region of Object.keys(gcpRegions)) {
        const location = gcsLocationOf(region, true);
        if (location !== undefined) assert.equal(gcsLocation(region, true), location, region);
        assert.equal(gcsLocationOf(region, false), region.toUpperCase());
      }
    });

    it("keeps Canada, Brazil, Qatar, South Africa, Australia, London and Zurich out of any multi-region", () => {
      for (const region of [
        "northamerica-northeast1",
        "southamerica-east1",
        "me-central1",
        "africa-south1",
        "australia-southeast1",
        "europe-west2",
        "europe-west6",
      ]) {
        assert.ok(gcpRegions[region], region);
        assert.equal(gcsLocationOf(region, true), undefined, region);
      }
    });

    it("accepts a GCP standby in Sydney when the buckets stay regional", () => {
      accepts({
        "platform:tier": "prod",
        "platform:target": "aws",
        "platform:standby": "gcp",
        "platform:aws": { region: "ap-southeast-2", replicaRegion: "ap-southeast-4" },
        "platform:gcp": { project: "platform-prod-standby", region: "australia-southeast1" },
        "platform:objectStore": { crossRegionReplication: false },
        "platform:observability": { alerting: email },
      });
    });

    it("accepts every AWS region of the catalog", () => {
      for (const region of awsRegions) accepts({ ...staging, "platform:aws": { region } });
    });
  });

  it("accepts the providers' and the engine's namespaces, and secure provider credentials", () => {
    accepts({
      ...staging,
      "pulumi:disable-default-providers": ["aws", "gcp", "kubernetes", "cloudflare"],
      "aws:region": "us-east-1",
      "aws:secretKey": { secure: "AAAB" },
      "cloudflare:apiToken": { secure: "AAAB" },
      "kubernetes:kubeconfig": "~/.kube/config",
      "random:unused": "x",
    });
  });

  it("accepts receiver credentials that are each secure", () => {
    accepts({
      ...staging,
      "platform:observability": {
        alerting: { pagerdutyKey: { secure: "AAAB" }, slackWebhookUrl: { secure: "AAAC" } },
      },
    });
  });

  it("accepts a credential a secret key brings from outside the stack file (an ESC environment)", () => {
    const source = configSourceOf({
      project: "platform",
      stack: "test",
      config: {
        "platform:tier": "staging",
        "platform:target": "aws",
        "platform:aws": JSON.stringify({ region: "us-east-1" }),
        "platform:observability": JSON.stringify({ alerting: { slackWebhookUrl: "https://x" } }),
      },
      isSecret: (key) => key === "platform:observability",
      plainLeaves: [],
    });
    assert.doesNotThrow(() => parseStackConfig(source));
  });

  it("accepts Kubernetes quantities in exponent form, and reads them as numbers", () => {
    accepts({ ...staging, "platform:workloads": { quota: { requestsCpu: "1e3", pods: 40 } } });
    assert.equal(parseQuantity("1e3"), 1000);
    assert.equal(parseQuantity("2E-3"), 0.002);
    assert.equal(parseQuantity("500m"), 0.5);
    assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(parseQuantity(".5"), 0.5);
    assert.equal(parseQuantity("1E"), 1e18);
  });

  it("accepts image references of every form the grammar allows", () => {
    const digest = "a".repeat(64);
    for (const image of [
      "nginx:1.27",
      "localhost:5000/team/api:1.0",
      "registry.example.com:443/a/b_c__d-e.f:v1.2_rc",
      `ghcr.io/org/api@sha256:${digest}`,
      `ghcr.io/org/api:1.2@sha256:${digest}`,
      `ghcr.io/org/api@sha512:${"0".repeat(128)}`,
      "[::1]:5000/api:1",
    ]) {
      assert.equal(imageProblem(image), undefined, image);
    }
    accepts(withService({ image: `ghcr.io/org/api:1.2@sha256:${digest}` }));
  });

  it("accepts IANA zones, their aliases and UTC", () => {
    for (const timeZone of ["UTC", "Etc/UTC", "Europe/Kyiv", "America/Argentina/Buenos_Aires"]) {
      accepts({
        ...withService({}),
        "platform:workloads": {
          services: [service],
          jobs: [
            { name: "report", image: "ghcr.io/o/r:1.0.0", schedule: "@daily", timeZone, resources },
          ],
        },
      });
    }
  });

  it("accepts names at their kinds' limits", () => {
    assert.equal(nameProblem("cronJob", "CronJob", "a".repeat(52)), undefined);
    assert.equal(nameProblem("service", "Service", `a${"0".repeat(62)}`), undefined);
    assert.equal(nameProblem("subdomain", "Secret", "db.credentials"), undefined);
    const host = `${"a".repeat(63)}.example.com`;
    accepts({
      ...staging,
      "platform:workloads": {
        acmeEmail: "ops@example.com",
        services: [{ ...service, exposure: { kind: "ingress", host } }],
      },
    });
  });

  it("accepts database egress narrower than the VPC, and egress to anywhere", () => {
    accepts({
      ...withService({
        egress: [
          { port: 5432, cidr: "10.20.128.0/20" },
          { port: 5432, cidr: "0.0.0.0/0" },
        ],
      }),
      "platform:network": { cidrBlock: "10.20.0.0/16" },
    });
  });

  it("accepts a /20 VPC for staging's nodes", () => {
    accepts({ ...staging, "platform:network": { cidrBlock: "10.0.0.0/20" } });
  });

  it("reads CIDR blocks and whether one covers another", () => {
    const block = (t: string) => parseCidr(t) as Ipv4Block;
    assert.deepEqual(parseCidr("10.0.0.0/16"), { base: 167772160, prefix: 16 });
    assert.ok(cidrCovers(block("10.0.0.0/8"), block("10.20.0.0/16")));
    assert.ok(!cidrCovers(block("10.20.0.0/16"), block("10.0.0.0/8")));
    assert.deepEqual(parseCidr("10.0.0.1/32"), { base: 167772161, prefix: 32 });
  });
});

describe("The stack file's plain values", () => {
  it("are found at any depth beside secure ones, in keys with or without the project's namespace, in the folder stackConfigDir names", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nstackConfigDir: stacks\n");
      fs.writeFileSync(
        path.join(dir, "stacks", "Pulumi.prod.yaml"),
        [
          "config:",
          "  platform:observability:",
          "    alerting:",
          "      pagerdutyKey: { secure: AAAB }",
          "      slackWebhookUrl: https://hooks.slack.com/x",
          "  list:",
          "    - { a: { secure: AAAC }, b: plain }",
          "  cloudflare:apiToken: { secure: AAAD }",
        ].join("\n"),
      );
      const file = stackFilePath(dir, "org/prod");
      assert.equal(file, path.join(dir, "stacks", "Pulumi.prod.yaml"));
      assert.deepEqual(plainLeavesOf(file!, "platform", "platform"), [
        "observability.alerting.slackWebhookUrl",
        "list[0].b",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
