import { strict as assert } from "node:assert";
import type { PolicyDiagnostic, PolicyPackConfig } from "../../tools/plan/analyzer";
import { unknownValue } from "../../tools/plan/values";
import { PackUnderTest, type FakeResource } from "../support/policy";
import { compliantPodSpec, deployment, kinds, windowsPodSpec } from "./fixtures/pods";
import { withField } from "./pack";

/** A pod spec breaking one control of the standard per container, for `kind`. */
function podOf(kind: string, spec: Record<string, unknown>): FakeResource {
  const build = kinds[kind] as (s: Record<string, unknown>) => Record<string, unknown>;
  return { type: kind, name: "api", props: build(spec) };
}

const unsafePod = [
  ["spec.hostNetwork", true],
  ["spec.containers.0.securityContext.privileged", true],
  ["spec.containers.0.securityContext.capabilities", { add: ["NET_ADMIN"] }],
  ["spec.containers.0.livenessProbe", { httpGet: { host: "10.0.0.1", port: 8080 } }],
  ["spec.containers.0.image", "ghcr.io/platform/api:latest"],
  ["spec.securityContext.sysctls", [{ name: "kernel.msgmax", value: "1" }]],
  ["spec.volumes", [{ name: "root", hostPath: { path: "/" } }]],
] as const;

/** Pod-bearing resources: compliant, Windows, and each with a different violation. */
const podSecuritySample: FakeResource[] = [
  deployment(),
  podOf("kubernetes:core/v1:Pod", windowsPodSpec()),
  podOf("kubernetes:batch/v1:CronJob", {
    ...compliantPodSpec(),
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
      sysctls: [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }],
    },
  }),
  ...unsafePod.map(([field, value]) =>
    withField(podOf("kubernetes:core/v1:Pod", compliantPodSpec()), `props.${field}`, value),
  ),
  { type: "kubernetes:core/v1:Namespace", name: "apps", props: { metadata: { name: "apps" } } },
];

/** Stored-data and TLS-terminating resources, each left unencrypted or in plain HTTP. */
const encryptionSample: FakeResource[] = [
  { type: "aws:rds/instance:Instance", name: "db", props: { engine: "postgres" } },
  { type: "aws:rds/instance:Instance", name: "ok", props: { storageEncrypted: true } },
  { type: "aws:efs/fileSystem:FileSystem", name: "files", props: { encrypted: false } },
  { type: "aws:sqs/queue:Queue", name: "jobs", props: {} },
  { type: "aws:ebs/volume:Volume", name: "data", props: { size: 10, encrypted: unknownValue } },
  {
    type: "aws:lb/listener:Listener",
    name: "http",
    props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] },
  },
  { type: "gcp:storage/bucket:Bucket", name: "assets", props: { location: "EU" } },
  {
    type: "cloudflare:index/zoneSetting:ZoneSetting",
    name: "ssl",
    props: { zoneId: "z", settingId: "ssl", value: "flexible" },
  },
];

const stackSample: FakeResource[] = [
  {
    type: "aws:s3/bucket:Bucket",
    name: "assets",
    props: { bucket: "platform-assets" },
  },
];

const configs: Record<string, PolicyPackConfig> = {
  "the pack's defaults": {},
  "the standard of v1.30 and TLS 1.3 at the edge": {
    "k8s-pod-no-probe-hosts": { enforcementLevel: "mandatory", version: "v1.30" },
    "k8s-pod-safe-sysctls": { enforcementLevel: "mandatory", version: "v1.30" },
    "cloudflare-zone-tls": { enforcementLevel: "mandatory", minimumTlsVersion: "1.3" },
  },
  "everything advisory": { all: "advisory" },
};

describe("The pack served in the test process, against the pack process", function () {
  const served = new PackUnderTest("process");
  const inProcess = new PackUnderTest("in-process");
  before(async function () {
    this.timeout(120_000);
    await served.start();
    await inProcess.start();
  });
  after(async () => {
    await served.stop();
    await inProcess.stop();
  });

  it("describes the same policies", () => {
    assert.deepEqual(inProcess.infos, served.infos);
  });

  for (const [what, config] of Object.entries(configs)) {
    describe(`under ${what}`, () => {
      before(async () => {
        await served.configure(config);
        await inProcess.configure(config);
      });

      it("gives the same diagnostics for pod-bearing kinds and namespaces", async () => {
        const found = await bothOn(podSecuritySample, (pack, r) => pack.analyze(r));
        assert.ok(found.some((d) => d.policyName === "k8s-pod-not-privileged"));
      });

      it("gives the same diagnostics for stored data and TLS", async () => {
        const found = await bothOn(encryptionSample, (pack, r) => pack.analyze(r));
        assert.ok(found.some((d) => d.policyName === "aws-efs-encrypted"));
      });

      it("gives the same stack diagnostics", async () => {
        const found = await bothOn([stackSample], (pack, rs) => pack.analyzeStack(rs));
        assert.ok(found.some((d) => d.policyName === "aws-s3-bucket-tls-only"));
        const alone = await bothOn(policiesOf("encryption"), (pack, p) =>
          pack.analyzeStack(stackSample, p),
        );
        assert.ok(alone.some((d) => d.policyName === "aws-s3-bucket-kms"));
      });
    });
  }

  it("gives the same diagnostics when asked about one policy at a time, as configured by default", async () => {
    await served.configure({});
    await inProcess.configure({});
    const pairs = [
      ...podSecuritySample.flatMap((r) => policiesOf("pod-security").map((p) => [r, p] as const)),
      ...encryptionSample.flatMap((r) => policiesOf("encryption").map((p) => [r, p] as const)),
    ];
    const found = await bothOn(pairs, (pack, [r, p]) => pack.analyze(r, p));
    assert.ok(found.some((d) => d.policyName === "k8s-pod-no-host-namespaces"));
    assert.ok(found.some((d) => d.policyName === "cloudflare-zone-tls"));
  });

  function policiesOf(family: string): string[] {
    return served.infos.filter((info) => info.tags[0] === family).map((info) => info.name);
  }

  /** Every sample through both packs; asserts equal answers and returns the in-process ones. */
  async function bothOn<T>(
    sample: readonly T[],
    check: (pack: PackUnderTest, item: T) => Promise<PolicyDiagnostic[]>,
  ): Promise<PolicyDiagnostic[]> {
    const all: PolicyDiagnostic[] = [];
    for (const item of sample) {
      const mine = await check(inProcess, item);
      assert.deepEqual(mine, await check(served, item), JSON.stringify(item));
      all.push(...mine);
    }
    return all;
  }
});
