import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { monitoredRoutes } from "../../tools/plan/failover-routes";
import type { PlanReport } from "../../tools/plan/report";
import { runPlanCli } from "../support/run";

interface PlannedResource {
  type: string;
  name: string;
  provider: string;
  protect: boolean;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
interface PlanJson {
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  violations: { policyName: string; enforcementLevel: string }[];
}

function plan(args: string[]): PlanJson {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
  const run = runPlanCli([...args, "--quiet", "--json", json]);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  return JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
}

const clouds = (p: PlanJson) =>
  [...new Set(p.resources.map((r) => r.type.split(":")[0]!))].filter(
    (c) => !["pulumi", "platform", "random", "kubernetes"].includes(c),
  );
const named = (p: PlanJson, type: string, name: string) => {
  const found = p.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} is not in the plan`);
  return found;
};

describe("The prod stack with its GCP standby", function () {
  this.timeout(180_000);
  let prod: PlanJson;
  before(() => {
    prod = plan(["--stack", "prod"]);
  });

  it("lets the primary's runner reach the standby's control plane from the AWS NAT addresses only", () => {
    // A runner inside the AWS VPC has no route to a private GKE endpoint; it leaves the VPC
    // through the NAT gateways, so those addresses, and nothing else outside, are admitted.
    const natIps = prod.resources
      .filter((r) => r.type === "aws:ec2/eip:Eip" && r.name.startsWith("network-nat-eip-"))
      .map((r) => `${String(r.outputs.publicIp)}/32`);
    assert.equal(natIps.length, 3);
    const gke = named(prod, "gcp:container/cluster:Cluster", "standby-cluster-gke").inputs;
    const privateConfig = gke.privateClusterConfig as Record<string, unknown>;
    assert.equal(privateConfig.enablePrivateNodes, true);
    assert.equal(privateConfig.enablePrivateEndpoint, false);
    const authorized = gke.masterAuthorizedNetworksConfig as {
      gcpPublicCidrsAccessEnabled: boolean;
      cidrBlocks: { cidrBlock: string; displayName: string }[];
    };
    assert.equal(authorized.gcpPublicCidrsAccessEnabled, false);
    assert.deepEqual(
      authorized.cidrBlocks
        .filter((b) => b.displayName.startsWith("deployer-egress-"))
        .map((b) => b.cidrBlock),
      natIps,
    );
    assert.deepEqual(
      authorized.cidrBlocks
        .filter((b) => !b.displayName.startsWith("deployer-egress-"))
        .map((b) => b.displayName),
      ["nodes"],
    );
  });

  it("builds on AWS, GCP and Cloudflare, with no mandatory violation", () => {
    assert.deepEqual(clouds(prod).sort(), ["aws", "cloudflare", "gcp"]);
    assert.deepEqual(
      prod.violations.filter((v) => v.enforcementLevel === "mandatory"),
      [],
    );
  });

  it("names every GCP component as the standby and builds it through the standby site's provider", () => {
    for (const [type, name] of [
      ["gcp:compute/network:Network", "standby-network-vpc"],
      ["gcp:container/cluster:Cluster", "standby-cluster-gke"],
      ["gcp:sql/databaseInstance:DatabaseInstance", "standby-database-postgres"],
      ["gcp:redis/instance:Instance", "standby-cache-redis"],
      ["gcp:storage/bucket:Bucket", "standby-objects-backups"],
    ] as const) {
      assert.match(named(prod, type, name).provider, /::pulumi:providers:gcp::standby-gcp-site::/);
    }
    const transfer = named(prod, "gcp:storage/transferJob:TransferJob", "standby-backups-transfer");
    assert.match(transfer.provider, /::pulumi:providers:gcp::standby-gcp-site::/);
    const gcpNames = prod.resources.filter((r) => r.type.startsWith("gcp:")).map((r) => r.name);
    assert.deepEqual(
      gcpNames.filter((n) => !n.startsWith("standby-")),
      [],
    );
  });

  it("keeps the standby's database HA and protected, without the analytics replica", () => {
    const db = named(
      prod,
      "gcp:sql/databaseInstance:DatabaseInstance",
      "standby-database-postgres",
    );
    assert.equal((db.inputs.settings as Record<string, unknown>).availabilityType, "REGIONAL");
    assert.equal(db.protect, true);
    assert.equal(
      prod.resources.some((r) => r.name === "standby-database-replica"),
      false,
    );
  });

  it("runs the primary's services on GKE at one replica, the primary's at three on EKS", () => {
    const deployments = prod.resources
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
      .map((r) => [
        r.name,
        /::(standby-cluster-k8s|cluster-k8s)::/.exec(r.provider)?.[1],
        (r.inputs.spec as Record<string, unknown>).replicas,
      ])
      .sort();
    assert.deepEqual(deployments, [
      ["standby-workloads-api-deployment", "standby-cluster-k8s", 1],
      ["standby-workloads-websocket-deployment", "standby-cluster-k8s", 1],
      ["workloads-api-deployment", "cluster-k8s", 3],
      ["workloads-websocket-deployment", "cluster-k8s", 3],
    ]);
  });

  it("reserves a regional external address for the standby's ingress and pins its controller to it", () => {
    const address = named(prod, "gcp:compute/address:Address", "standby-ingress-address");
    assert.match(address.provider, /::pulumi:providers:gcp::standby-gcp-site::/);
    assert.equal(address.inputs.region, "us-central1");
    assert.equal(address.inputs.addressType, "EXTERNAL");
    assert.equal(address.inputs.networkTier, "PREMIUM");
    const release = named(prod, "kubernetes:helm.sh/v3:Release", "standby-ingress-ingress-nginx");
    const values = release.inputs.values as { controller: { service: Record<string, unknown> } };
    assert.match(String(prod.outputs.standbyIngressAddress), /^198\.51\.100\.\d+$/);
    assert.equal(values.controller.service.loadBalancerIP, prod.outputs.standbyIngressAddress);
  });

  it("points the edge at the ingress controllers: a CNAME to the NLB, the GCP pool at the reserved address", () => {
    const nlb = String(prod.outputs.ingressAddress);
    assert.match(nlb, /^a[0-9a-f]{32}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    for (const host of ["api"]) {
      const record = named(prod, "cloudflare:index/dnsRecord:DnsRecord", `edge-dns-${host}`);
      assert.deepEqual([record.inputs.type, record.inputs.content], ["CNAME", nlb]);
    }
    const poolAddress = (cloud: string) =>
      (
        named(prod, "cloudflare:index/loadBalancerPool:LoadBalancerPool", `edge-pool-api-${cloud}`)
          .inputs.origins as { address: string }[]
      ).map((o) => o.address);
    assert.deepEqual(poolAddress("aws"), [nlb]);
    assert.deepEqual(poolAddress("gcp"), [prod.outputs.standbyIngressAddress]);
  });

  it("probes api.example.com/ready, which the API's Ingress routes on both clusters", () => {
    const { routes, problems } = monitoredRoutes(prod as unknown as PlanReport);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      routes.map((r) => [r.host + r.path, r.pool, r.cluster, r.ingress, r.service]),
      [
        [
          "api.example.com/ready",
          "edge-pool-api-gcp",
          "standby",
          "standby-workloads-api-ingress",
          "api",
        ],
        ["api.example.com/ready", "edge-pool-api-aws", "primary", "workloads-api-ingress", "api"],
      ],
    );
  });

  it("prints the RTO: 165 s to the standby, then the API's climb from 1 to 3 replicas", () => {
    const rto = (prod.outputs.recovery as { rto: Record<string, unknown> }).rto;
    assert.deepEqual([rto.servingSeconds, rto.scaleUpSeconds, rto.seconds], [165, 190, 355]);
  });

  it("prints the RPO it gives: the buckets hourly, the database not replicated without RDS's CA", () => {
    assert.deepEqual((prod.outputs.recovery as Record<string, unknown>).rpo, {
      objects: {
        seconds: 3600,
        parts: { transferIntervalSeconds: 3600 },
        buckets: ["uploads", "backups"],
      },
      notCopied: [
        "database: not replicated without platform:replication.sourceCaCertificate",
        "cache: Redis starts empty on the standby",
      ],
    });
    assert.equal(
      prod.resources.some((r) => r.type.startsWith("gcp:databasemigrationservice")),
      false,
    );
    // The standby's Cloud SQL keeps its own application database: nothing replicates into it.
    named(prod, "gcp:sql/database:Database", "standby-database-db");
  });

  it("copies from the primary's S3 backups bucket into the standby's GCS one", () => {
    const job = named(prod, "gcp:storage/transferJob:TransferJob", "standby-backups-transfer");
    const spec = job.inputs.transferSpec as Record<string, Record<string, unknown>>;
    assert.match(String(spec.awsS3DataSource!.bucketName), /^objects-backups-/);
    assert.match(String(spec.gcsDataSink!.bucketName), /^standby-objects-backups-/);
  });
});

describe("The gcp-standalone example (target gcp)", function () {
  this.timeout(180_000);
  let staging: PlanJson;
  before(() => {
    staging = plan(["--dir", "examples/gcp-standalone", "--stack", "staging"]);
  });

  it("builds on GCP alone, with no mandatory violation", () => {
    assert.deepEqual(clouds(staging), ["gcp"]);
    assert.deepEqual(
      staging.violations.filter((v) => v.enforcementLevel === "mandatory"),
      [],
    );
  });

  it("builds the data services and runs the workloads on the GKE cluster", () => {
    const db = named(staging, "gcp:sql/databaseInstance:DatabaseInstance", "database-postgres");
    assert.equal((db.inputs.settings as Record<string, unknown>).availabilityType, "ZONAL");
    assert.equal(named(staging, "gcp:redis/instance:Instance", "cache-redis").inputs.tier, "BASIC");
    named(staging, "gcp:storage/bucket:Bucket", "objects-uploads");
    const api = named(staging, "kubernetes:apps/v1:Deployment", "workloads-api-deployment");
    assert.match(api.provider, /\$pulumi:providers:kubernetes::cluster-k8s::/);
  });

  it("pins its ingress controller to a reserved regional address, the stack's ingressAddress", () => {
    const address = named(staging, "gcp:compute/address:Address", "ingress-address");
    assert.equal(address.inputs.region, "europe-west1");
    assert.equal(address.inputs.addressType, "EXTERNAL");
    const release = named(staging, "kubernetes:helm.sh/v3:Release", "ingress-ingress-nginx");
    const values = release.inputs.values as { controller: { service: Record<string, unknown> } };
    assert.match(String(staging.outputs.ingressAddress), /^198\.51\.100\.\d+$/);
    assert.equal(values.controller.service.loadBalancerIP, staging.outputs.ingressAddress);
  });
});
