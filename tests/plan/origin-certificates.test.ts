import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { letsEncryptProduction } from "../../components/ingress";
import { inZone } from "../../config/sections/edge";
import { cloudflareIpv4, cloudflareIpv6 } from "../../tools/plan/mocks";
import { runPlanCli } from "../support/run";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface PlannedResource {
  type: string;
  name: string;
  dependencies: string[];
  inputs: Obj;
}

function planProd(): PlannedResource[] {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
  const run = runPlanCli(["--stack", "prod", "--quiet", "--json", json]);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  return (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: PlannedResource[] }).resources;
}

/** Both origins of the prod stack: the AWS primary and the GCP standby, by name prefix. */
const origins = [
  { cluster: "AWS primary", prefix: "" },
  { cluster: "GCP standby", prefix: "standby-" },
] as const;

describe("The prod stack's origins behind Cloudflare", function () {
  this.timeout(180_000);
  let resources: PlannedResource[];
  const one = (type: string, name: string): PlannedResource => {
    const found = resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0]!;
  };
  const setting = (name: string) =>
    one("cloudflare:index/zoneSetting:ZoneSetting", `edge-${name}`).inputs.value;

  before(() => {
    resources = planProd();
  });

  it("has Cloudflare verify each origin's certificate (Full strict) and present its client certificate", () => {
    assert.equal(setting("ssl"), "strict");
    assert.equal(setting("tls-client-auth"), "on");
  });

  for (const { cluster, prefix } of origins) {
    describe(`on the ${cluster}`, () => {
      const ingresses = () =>
        resources.filter(
          (r) =>
            r.type === "kubernetes:networking.k8s.io/v1:Ingress" &&
            r.name.startsWith(`${prefix}workloads-`),
        );
      const issuer = () =>
        one("kubernetes:cert-manager.io/v1:ClusterIssuer", `${prefix}ingress-letsencrypt-prod`);

      it("serves at least one host by Ingress", () => {
        assert.ok(ingresses().length > 0);
      });

      it("admits only Cloudflare's ranges and takes the client address from them alone", () => {
        const values = one("kubernetes:helm.sh/v3:Release", `${prefix}ingress-ingress-nginx`).inputs
          .values.controller;
        assert.deepEqual(values.service.loadBalancerSourceRanges, cloudflareIpv4);
        // One address family: a GCP firewall rule, which GKE makes of these, takes IPv4 or
        // IPv6 ranges, not both; both load balancers are IPv4.
        for (const cidr of values.service.loadBalancerSourceRanges as string[]) {
          assert.match(cidr, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
        }
        assert.equal(values.config["enable-real-ip"], "true");
        assert.equal(values.config["forwarded-for-header"], "CF-Connecting-IP");
        assert.equal(
          values.config["proxy-real-ip-cidr"],
          [...cloudflareIpv4, ...cloudflareIpv6].join(","),
        );
        assert.equal(values.config["limit-conn-zone-variable"], "$binary_remote_addr");
      });

      it("has every Ingress demand the origin-pull client certificate, its CA beside it", () => {
        for (const ingress of ingresses()) {
          const { namespace, annotations } = ingress.inputs.metadata;
          assert.equal(annotations["nginx.ingress.kubernetes.io/auth-tls-verify-client"], "on");
          const [caNamespace, caName] = String(
            annotations["nginx.ingress.kubernetes.io/auth-tls-secret"],
          ).split("/");
          assert.equal(caNamespace, namespace, `${ingress.name}: the CA must be in its namespace`);
          const ca = resources.find(
            (r) =>
              r.type === "kubernetes:core/v1:Secret" &&
              r.inputs.metadata.name === caName &&
              r.name.startsWith(`${prefix}workloads-`),
          );
          assert.ok(ca, `${ingress.name}: no Secret ${caName}`);
          assert.equal(ca.inputs.metadata.namespace, namespace);
          // The provider stores any Secret's data as a Pulumi secret, so the plan shows none
          // of it; tests/components/origin-lock.test.ts checks the PEM it holds.
          assert.equal(ca.inputs.type, "Opaque");
          assert.ok(ingress.dependencies.some((urn) => urn.endsWith(`::${ca.name}`)));
        }
      });

      it("has every Ingress host issued by Let's Encrypt (publicly trusted) through DNS-01", () => {
        const spec = issuer().inputs.spec.acme;
        assert.equal(spec.server, letsEncryptProduction);
        for (const ingress of ingresses()) {
          const { annotations } = ingress.inputs.metadata;
          assert.equal(annotations["cert-manager.io/cluster-issuer"], "letsencrypt-prod");
          const tls = ingress.inputs.spec.tls as { hosts: string[]; secretName: string }[];
          for (const rule of ingress.inputs.spec.rules as { host: string }[]) {
            const cert = tls.find((t) => t.hosts.includes(rule.host));
            assert.ok(cert?.secretName, `${ingress.name}: ${rule.host} has no certificate`);
            // cert-manager takes the solver whose dnsZones match the host; HTTP-01 is only the
            // fallback for hosts outside every zone, which config refuses behind the edge.
            const solver = (spec.solvers as Obj[]).find((s) =>
              (s.selector?.dnsZones as string[] | undefined)?.some((z) => inZone(rule.host, z)),
            );
            assert.ok(solver, `${ingress.name}: no DNS-01 solver covers ${rule.host}`);
            assert.equal(solver.dns01.cloudflare.apiTokenSecretRef.key, "api-token");
          }
        }
      });

      it("keeps the DNS-01 token a secret in cert-manager's namespace, created before the issuer", () => {
        const token = one("kubernetes:core/v1:Secret", `${prefix}ingress-cloudflare-api-token`);
        const ref = (issuer().inputs.spec.acme.solvers as Obj[])[0]!.dns01.cloudflare
          .apiTokenSecretRef;
        assert.equal(token.inputs.metadata.name, ref.name);
        assert.equal(token.inputs.metadata.namespace, "cert-manager");
        assert.equal(token.inputs.stringData, "[secret]");
        assert.ok(issuer().dependencies.some((urn) => urn.endsWith(`::${token.name}`)));
      });
    });
  }
});
