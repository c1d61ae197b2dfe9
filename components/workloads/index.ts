import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PerTier } from "../../config/tiers";
import { createNamespace } from "./namespace";

/** Aggregate ceiling for one namespace (Kubernetes quantities, e.g. "10", "20Gi"). */
export interface QuotaSettings {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  /** Most pods the namespace may run. */
  readonly pods: number;
  /** Most PersistentVolumeClaims the namespace may hold. */
  readonly persistentVolumeClaims: number;
}

/** Per-container defaults and bounds applied by the namespace's LimitRange. */
export interface ContainerLimitSettings {
  readonly defaultRequestCpu: string;
  readonly defaultRequestMemory: string;
  readonly defaultLimitCpu: string;
  readonly defaultLimitMemory: string;
  readonly maxCpu: string;
  readonly maxMemory: string;
}

export interface NamespaceSettings {
  /** Namespace name (a DNS label). */
  readonly name: string;
  readonly quota: QuotaSettings;
  readonly containerLimits: ContainerLimitSettings;
}

/**
 * Quota per tier: prod is seed 000's (requests 10 CPU / 20Gi, limits 20 / 40Gi, 10 PVCs),
 * staging seed 002's (requests 4 / 8Gi, limits 8 / 16Gi, 20 pods, 5 PVCs), dev half of that.
 */
export const quotaDefaults: PerTier<QuotaSettings> = {
  dev: {
    requestsCpu: "2",
    requestsMemory: "4Gi",
    limitsCpu: "4",
    limitsMemory: "8Gi",
    pods: 20,
    persistentVolumeClaims: 5,
  },
  staging: {
    requestsCpu: "4",
    requestsMemory: "8Gi",
    limitsCpu: "8",
    limitsMemory: "16Gi",
    pods: 20,
    persistentVolumeClaims: 5,
  },
  prod: {
    requestsCpu: "10",
    requestsMemory: "20Gi",
    limitsCpu: "20",
    limitsMemory: "40Gi",
    pods: 50,
    persistentVolumeClaims: 10,
  },
};

export const containerLimitDefaults: PerTier<ContainerLimitSettings> = {
  dev: {
    defaultRequestCpu: "100m",
    defaultRequestMemory: "128Mi",
    defaultLimitCpu: "500m",
    defaultLimitMemory: "512Mi",
    maxCpu: "2",
    maxMemory: "2Gi",
  },
  staging: {
    defaultRequestCpu: "100m",
    defaultRequestMemory: "128Mi",
    defaultLimitCpu: "500m",
    defaultLimitMemory: "512Mi",
    maxCpu: "2",
    maxMemory: "4Gi",
  },
  prod: {
    defaultRequestCpu: "250m",
    defaultRequestMemory: "256Mi",
    defaultLimitCpu: "1",
    defaultLimitMemory: "1Gi",
    maxCpu: "4",
    maxMemory: "8Gi",
  },
};

/** The namespace the tier's application runs in (seed 001: production, staging). */
export const appNamespaceDefaults: PerTier<string> = {
  dev: "dev",
  staging: "staging",
  prod: "production",
};

export interface WorkloadsArgs {
  /** Namespaces to create, each with a ResourceQuota and a LimitRange. */
  readonly namespaces: readonly NamespaceSettings[];
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The application's namespaces (and, as it grows, its services) on one cluster. */
export class Workloads extends pulumi.ComponentResource {
  /** Namespace names, in the order given. */
  readonly namespaceNames: pulumi.Output<string>[];

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Workloads", name, {}, opts);
    const namespaces: k8s.core.v1.Namespace[] = args.namespaces.map((ns) =>
      createNamespace(`${name}-${ns.name}`, ns, args.labels, this),
    );
    this.namespaceNames = namespaces.map((ns) => ns.metadata.name);
    this.registerOutputs({ namespaceNames: this.namespaceNames });
  }
}
