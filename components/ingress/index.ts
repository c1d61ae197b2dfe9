import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier, Target, Tier } from "../../config/tiers";
import type { OriginLock } from "../edge/origin";
import type { ScrapeTarget } from "../observability";
import type { NamespaceSettings } from "../workloads";
import { createNamespace } from "../workloads/namespace";
import { certManagerValues, charts, ingressNginxValues, releaseWait } from "./values";
import { ComponentError } from "../errors";

/** Let's Encrypt's production ACME directory. */
export const letsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory";

/** Quota and container limits of the controllers' namespaces. */
export const controllerNamespaceDefaults: PerTier<Omit<NamespaceSettings, "name">> = {
  dev: {
    quota: {
      requestsCpu: "1",
      requestsMemory: "1Gi",
      limitsCpu: "2",
      limitsMemory: "2Gi",
      pods: 10,
      persistentVolumeClaims: 0,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "200m",
      defaultLimitMemory: "256Mi",
      maxCpu: "1",
      maxMemory: "1Gi",
    },
  },
  staging: {
    quota: {
      requestsCpu: "2",
      requestsMemory: "2Gi",
      limitsCpu: "4",
      limitsMemory: "4Gi",
      pods: 20,
      persistentVolumeClaims: 0,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "200m",
      defaultLimitMemory: "256Mi",
      maxCpu: "1",
      maxMemory: "1Gi",
    },
  },
  prod: {
    quota: {
      requestsCpu: "4",
      requestsMemory: "4Gi",
      limitsCpu: "8",
      limitsMemory: "8Gi",
      pods: 30,
      persistentVolumeClaims: 0,
    },
    containerLimits: {
      defaultRequestCpu: "50m",
      defaultRequestMemory: "64Mi",
      defaultLimitCpu: "200m",
      defaultLimitMemory: "256Mi",
      maxCpu: "2",
      maxMemory: "2Gi",
    },
  },
};

export interface IngressArgs {
  readonly tier: Tier;
  /** Where the cluster runs: an NLB fronts the controller on AWS, a NodePort locally. */
  readonly target: Target;
  /** Let's Encrypt account e-mail; unused on target local, which asks Let's Encrypt nothing. */
  readonly acmeEmail: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * DNS-01 through Cloudflare for these zones (wildcard hosts need it); every other host
   * keeps HTTP-01. Unused on target local. @default none: HTTP-01 only
   */
  readonly dns01?: {
    /** Zones the solver is chosen for (cert-manager `dnsZones`: the zone and its subdomains). */
    readonly zones: readonly string[];
    /** Cloudflare API token with Zone:DNS:Edit on the zones; a Pulumi secret. */
    readonly cloudflareApiToken: pulumi.Input<string>;
  };
  /**
   * A reserved public IPv4 address the controller's load balancer takes (GCP: a regional
   * external `compute.Address`); it is then the component's `address`, no read needed.
   * @default none: the cloud assigns one, read back from the controller Service
   */
  readonly loadBalancerIp?: pulumi.Input<string>;
  /**
   * The edge in front of this cluster: the load balancer admits only its ranges, the client
   * address is the edge's `CF-Connecting-IP` from those ranges only, and every Ingress demands the
   * client certificate the edge presents (`originPullCa`). Unused on target local.
   * @default none: the load balancer is open to every address
   */
  readonly originLock?: OriginLock;
}

/** Name of the Service ingress-nginx creates for the controller (release "ingress-nginx"). */
export const controllerServiceName = "ingress-nginx-controller";

/** ClusterIssuer of the local target: self-signed, no ACME. */
export const localIssuer = "local-selfsigned";

/**
 * The metrics Services both charts create (ingress-nginx 4.15.1 controller-service-metrics.yaml,
 * cert-manager v1.21.1 service.yaml), for ServiceMonitors Observability creates after
 * kube-prometheus-stack has installed their CRD. The charts' own ServiceMonitors stay off:
 * neither chart checks that the CRD exists, so a first install, which runs before the
 * monitoring stack, would fail on them.
 */
export const metricsTargets: readonly ScrapeTarget[] = [
  {
    name: "ingress-nginx-controller-metrics",
    namespace: "ingress-nginx",
    port: "metrics",
    path: "/metrics",
    selector: {
      "app.kubernetes.io/name": "ingress-nginx",
      "app.kubernetes.io/instance": "ingress-nginx",
      "app.kubernetes.io/component": "controller",
    },
  },
  {
    name: "cert-manager",
    namespace: "cert-manager",
    port: "http-metrics",
    path: "/metrics",
    selector: {
      "app.kubernetes.io/name": "cert-manager",
      "app.kubernetes.io/instance": "cert-manager",
      "app.kubernetes.io/component": "controller",
    },
  },
];

/** Key of the API token in the Secret the DNS-01 solver reads. */
export const cloudflareTokenKey = "api-token";

/**
 * The cluster's way in: ingress-nginx and cert-manager (Helm releases with pinned charts,
 * each in its own restricted namespace with quota and limits) and the ClusterIssuer that signs
 * every Ingress's certificate: letsencrypt-prod by HTTP-01, or by DNS-01 through Cloudflare for
 * the zones given in `dns01`; on the local target a self-signed issuer, since Let's Encrypt
 * can reach no host of a local cluster.
 */
export class Ingress extends pulumi.ComponentResource {
  /** Namespace of the ingress controller (NetworkPolicies let it in to exposed services). */
  readonly controllerNamespace: string = "ingress-nginx";
  /** Name of the ClusterIssuer: "letsencrypt-prod", or "local-selfsigned" on target local. */
  readonly clusterIssuer: string;
  /** Metrics Services of both controllers, for Observability's ServiceMonitors. */
  readonly metricsTargets: readonly ScrapeTarget[] = metricsTargets;
  /**
   * The controller's public address on a cloud target: the reserved `loadBalancerIp`, or the
   * load balancer's hostname (AWS NLB) or IP read from the controller Service. Absent locally.
   */
  readonly address?: pulumi.Output<string>;
  /**
   * PEM of the CA that signs the edge's client certificates, which every Ingress must then
   * demand; set with `originLock` on a cloud target.
   */
  readonly originPullCa?: string;

  constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Ingress", name, {}, opts);
    this.clusterIssuer = args.target === "local" ? localIssuer : "letsencrypt-prod";
    const originLock = args.target === "local" ? undefined : args.originLock;
    this.originPullCa = originLock?.clientCa;
    const limits = controllerNamespaceDefaults[args.tier];
    const nginxNs = createNamespace(
      `${name}-ingress-nginx`,
      { name: "ingress-nginx", ...limits },
      args.labels,
      this,
    );
    const certNs = createNamespace(
      `${name}-cert-manager`,
      { name: "cert-manager", ...limits },
      args.labels,
      this,
    );
    const nginx = new k8s.helm.v3.Release(
      `${name}-ingress-nginx`,
      {
        name: "ingress-nginx",
        chart: charts.ingressNginx.chart,
        version: charts.ingressNginx.version,
        repositoryOpts: { repo: charts.ingressNginx.repo },
        namespace: "ingress-nginx",
        createNamespace: false,
        ...releaseWait,
        values: ingressNginxValues(args.tier, args.target, args.loadBalancerIp, originLock),
      },
      { parent: this, dependsOn: [nginxNs] },
    );
    const certManager = new k8s.helm.v3.Release(
      `${name}-cert-manager`,
      {
        name: "cert-manager",
        chart: charts.certManager.chart,
        version: charts.certManager.version,
        repositoryOpts: { repo: charts.certManager.repo },
        namespace: "cert-manager",
        createNamespace: false,
        ...releaseWait,
        values: certManagerValues(args.tier),
      },
      { parent: this, dependsOn: [certNs] },
    );
    if (args.target === "local") {
      this.createSelfSignedIssuer(name, args.labels, certManager);
    } else {
      this.createAcmeIssuer(name, args, certManager, certNs);
      this.address =
        args.loadBalancerIp !== undefined
          ? pulumi.output(args.loadBalancerIp)
          : this.readControllerAddress(name, nginx);
    }
    this.registerOutputs({
      controllerNamespace: this.controllerNamespace,
      clusterIssuer: this.clusterIssuer,
      address: this.address,
      originPullCa: this.originPullCa,
    });
  }

  /** Let's Encrypt production, solving by HTTP-01, or DNS-01 for the `dns01` zones. */
  private createAcmeIssuer(
    name: string,
    args: IngressArgs,
    certManager: k8s.helm.v3.Release,
    certNs: k8s.core.v1.Namespace,
  ): void {
    const dns01 = args.dns01 && this.createDns01Solver(name, args.dns01, args.labels, certNs);
    new k8s.apiextensions.CustomResource(
      `${name}-${this.clusterIssuer}`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: this.clusterIssuer, labels: { ...args.labels } },
        spec: {
          acme: {
            server: letsEncryptProduction,
            email: args.acmeEmail,
            privateKeySecretRef: { name: `${this.clusterIssuer}-account-key` },
            // `class` rather than `ingressClassName`: both work on cert-manager 1.21, and `class`
            // is the field the schemas the tests validate against know.
            // cert-manager picks the solver whose selector matches most specifically, so the
            // DNS-01 zones take it and every other host falls through to HTTP-01.
            solvers: [
              ...(dns01 ? [dns01.solver] : []),
              { http01: { ingress: { class: "nginx" } } },
            ],
          },
        },
      },
      { parent: this, dependsOn: [certManager, ...(dns01 ? [dns01.secret] : [])] },
    );
  }

  /**
   * A local cluster's hosts are reachable from no ACME server, so every order would fail and be
   * retried; a self-signed issuer gives each Ingress a certificate in the Secret its `tls`
   * names, through the same cert-manager path as the cloud targets.
   */
  private createSelfSignedIssuer(
    name: string,
    labels: Readonly<Record<string, string>>,
    certManager: k8s.helm.v3.Release,
  ): void {
    new k8s.apiextensions.CustomResource(
      `${name}-${localIssuer}`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: localIssuer, labels: { ...labels } },
        spec: { selfSigned: {} },
      },
      { parent: this, dependsOn: [certManager] },
    );
  }

  /**
   * Reads the controller Service the chart made. The id comes from the release's status, so
   * the read waits for the release, which Helm only reports deployed once the load balancer
   * has an address; on a first preview the id, and so the address, is unknown.
   */
  private readControllerAddress(name: string, release: k8s.helm.v3.Release): pulumi.Output<string> {
    const service = k8s.core.v1.Service.get(
      `${name}-controller`,
      pulumi.interpolate`${release.status.namespace}/${controllerServiceName}`,
      { parent: this, dependsOn: [release] },
    );
    return service.status.apply((status) => {
      const first = status?.loadBalancer?.ingress?.[0];
      const address = first?.hostname || first?.ip;
      if (!address) {
        throw new ComponentError(
          "Ingress",
          name,
          [
            `${controllerServiceName}: the load balancer has no address yet (status.loadBalancer.ingress is empty)`,
          ],
          "cannot be built",
        );
      }
      return address;
    });
  }

  /**
   * The token's Secret sits in cert-manager's namespace: a ClusterIssuer reads secrets from
   * its cluster resource namespace, which is cert-manager's own.
   */
  private createDns01Solver(
    name: string,
    dns01: NonNullable<IngressArgs["dns01"]>,
    labels: Readonly<Record<string, string>>,
    certNs: k8s.core.v1.Namespace,
  ): { secret: k8s.core.v1.Secret; solver: Record<string, unknown> } {
    const secretName = `${this.clusterIssuer}-cloudflare-api-token`;
    const secret = new k8s.core.v1.Secret(
      `${name}-cloudflare-api-token`,
      {
        metadata: { name: secretName, namespace: "cert-manager", labels: { ...labels } },
        type: "Opaque",
        stringData: { [cloudflareTokenKey]: pulumi.secret(dns01.cloudflareApiToken) },
      },
      { parent: this, dependsOn: [certNs] },
    );
    const solver = {
      selector: { dnsZones: [...dns01.zones] },
      dns01: {
        cloudflare: { apiTokenSecretRef: { name: secretName, key: cloudflareTokenKey } },
      },
    };
    return { secret, solver };
  }
}
