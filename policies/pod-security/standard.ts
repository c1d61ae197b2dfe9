import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * The Pod Security Standards change from one Kubernetes release to the next. Each entry is a
 * change in the standard's text and the minor release of Kubernetes 1.x it applies from, as the
 * Pod Security Admission controller applies it (kubernetes/pod-security-admission, policy/
 * check_*.go, each check's MinimumVersion); the checks read this table, never a literal release.
 */
export const standardChanges = {
  /** Restricted: Windows pods (spec.os.name "windows") skip the Linux-only controls. */
  windowsExempt: 25,
  /** Baseline: SELinux type container_engine_t is allowed. */
  seLinuxContainerEngine: 31,
  /** Baseline: probes and lifecycle handlers must not set a host. */
  probeHosts: 34,
  /** Restricted: pods in a user namespace (hostUsers: false) may run as uid 0 inside it. */
  userNamespaces: 35,
} as const;

export type StandardChange = keyof typeof standardChanges;

/** The namespaced sysctls Baseline allows, each with the release that added it. */
export const safeSysctlsSince: Readonly<Record<string, number>> = {
  "kernel.shm_rmid_forced": 0,
  "net.ipv4.ip_local_port_range": 0,
  "net.ipv4.tcp_syncookies": 0,
  "net.ipv4.ping_group_range": 0,
  "net.ipv4.ip_unprivileged_port_start": 0,
  "net.ipv4.ip_local_reserved_ports": 27,
  "net.ipv4.tcp_keepalive_time": 29,
  "net.ipv4.tcp_fin_timeout": 29,
  "net.ipv4.tcp_keepalive_intvl": 29,
  "net.ipv4.tcp_keepalive_probes": 29,
  "net.ipv4.tcp_rmem": 32,
  "net.ipv4.tcp_wmem": 32,
  "net.ipv4.tcp_slow_start_after_idle": 37,
  "net.ipv4.tcp_notsent_lowat": 37,
};

/**
 * The releases a stack may pin, oldest first: from 1.23, where Pod Security Admission is on by
 * default, to the newest release the table above knows.
 */
export const newestKnownMinor = 37;
const oldestMinor = 23;
export const standardVersions: readonly string[] = [
  ...Array.from(
    { length: newestKnownMinor - oldestMinor + 1 },
    (_, i) => `v1.${String(oldestMinor + i)}`,
  ),
  "latest",
];

/** The standard as of one release: which changes apply. */
export interface Standard {
  /** The Kubernetes 1.x minor release; "latest" is the newest the table knows. */
  readonly minor: number;
}

export const latestStandard: Standard = { minor: newestKnownMinor };

/** The standard of a configured version ("v1.30", "latest"; unset means latest). */
export function standardOf(version: string | undefined): Standard {
  const match = version?.match(/^v1\.(\d+)$/);
  return match ? { minor: Number(match[1]) } : latestStandard;
}

export function applies(standard: Standard, change: StandardChange): boolean {
  return standard.minor >= standardChanges[change];
}

export interface StandardConfig {
  /** The release of the Pod Security Standards to hold pods to, like PSA's enforce-version. */
  version?: string;
}

export const standardConfigSchema: PolicyConfigSchema = {
  properties: {
    version: {
      type: "string",
      enum: [...standardVersions],
      default: "latest",
      description:
        "The Kubernetes release whose Pod Security Standards apply (as PSA's enforce-version): v1.23 to " +
        `v1.${String(newestKnownMinor)}, or latest.`,
    },
  },
};
