import { ComponentError } from "../errors";
/**
 * Kubernetes minor versions as the clouds support them, kept as dated data so a plan can say
 * how long the chosen version has left. EKS gives each minor version 14 months of standard
 * support and 12 of paid extended support; past that, EKS upgrades the control plane itself.
 */

/** Where each date below was read. */
export const eksCalendarSource =
  "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar";

/** One minor version on one cloud; dates are UTC days, `YYYY-MM-DD`. */
export interface VersionSupport {
  /** Day the cloud made the version available. */
  readonly released: string;
  /** Last day of standard support. */
  readonly endOfStandard: string;
  /** Last day of extended support (EKS), after which the cloud upgrades the control plane. */
  readonly endOfSupport: string;
  /** Page the dates were read from. */
  readonly source: string;
}

/** EKS release calendar (1.31 to 1.34 from the EKS user guide's calendar; 1.35 likewise, as mirrored by endoflife.date). */
export const eksCalendar: Readonly<Record<string, VersionSupport>> = {
  "1.31": {
    released: "2024-09-26",
    endOfStandard: "2025-11-26",
    endOfSupport: "2026-11-26",
    source: eksCalendarSource,
  },
  "1.32": {
    released: "2025-01-23",
    endOfStandard: "2026-03-23",
    endOfSupport: "2027-03-23",
    source: eksCalendarSource,
  },
  "1.33": {
    released: "2025-05-29",
    endOfStandard: "2026-07-29",
    endOfSupport: "2027-07-29",
    source: eksCalendarSource,
  },
  "1.34": {
    released: "2025-10-02",
    endOfStandard: "2026-12-02",
    endOfSupport: "2027-12-02",
    source: eksCalendarSource,
  },
  "1.35": {
    released: "2026-01-28",
    endOfStandard: "2027-03-27",
    endOfSupport: "2028-03-27",
    source: "https://endoflife.date/amazon-eks",
  },
};

/** Managed add-ons the cluster installs, each pinned per Kubernetes version. */
export type AddonName = "vpc-cni" | "kube-proxy" | "coredns" | "aws-ebs-csi-driver";

/**
 * An add-on whose build for a Kubernetes version no stored EKS table lists: the cluster asks
 * EKS for the build it recommends by default for that version (`DescribeAddonVersions`,
 * through `aws.eks.getAddonVersion` without `mostRecent`) at deploy time. A pin EKS does not
 * offer for the cluster's version makes CreateAddon fail; the answer EKS gives cannot. The
 * default build moves only when AWS changes its recommendation, and a preview shows the change.
 */
export const defaultBuildOfEks = "default build of EKS";

/**
 * Add-on versions per Kubernetes version, from the EKS user guide's tables ("kube-proxy
 * versions", "CoreDNS versions"). The VPC CNI and EBS CSI tables stop before 1.34 in every
 * copy read (v1.20.1-eksbuild.3 and v1.38.1-eksbuild.1, from 2025 and 2024, are listed up to
 * 1.33 only), so those two are resolved by EKS. Only versions listed here can be chosen: an
 * upgrade of the control plane is a reviewed change of this table.
 */
export const addonVersions = {
  "1.34": {
    "vpc-cni": defaultBuildOfEks,
    "kube-proxy": "v1.34.6-eksbuild.2",
    coredns: "v1.13.2-eksbuild.7",
    "aws-ebs-csi-driver": defaultBuildOfEks,
  },
  "1.35": {
    "vpc-cni": defaultBuildOfEks,
    "kube-proxy": "v1.35.3-eksbuild.2",
    coredns: "v1.14.2-eksbuild.4",
    "aws-ebs-csi-driver": defaultBuildOfEks,
  },
} as const satisfies Record<string, Readonly<Record<AddonName, string>>>;

/** Where the GKE dates below were read (GKE's release schedule, as mirrored on that day). */
export const gkeCalendarSource = "https://cloud.google.com/kubernetes-engine/docs/release-schedule";

/**
 * GKE's schedule for its release channels: `endOfStandard` is the end of standard support,
 * `endOfSupport` the end of maintenance, after which GKE upgrades the control plane itself.
 * Dates from the release schedule as endoflife.date mirrored it on 2026-04-10.
 */
export const gkeCalendar: Readonly<Record<string, VersionSupport>> = {
  "1.34": {
    released: "2025-09-30",
    endOfStandard: "2026-08-30",
    endOfSupport: "2026-10-01",
    source: gkeCalendarSource,
  },
  "1.35": {
    released: "2026-02-11",
    endOfStandard: "2027-02-28",
    endOfSupport: "2027-04-11",
    source: gkeCalendarSource,
  },
};

/** Kubernetes versions with pinned add-ons: the versions a stack may choose. */
export const kubernetesVersions = ["1.34", "1.35"] as const;
export type KubernetesVersion = keyof typeof addonVersions;

/** Days before the end of standard support from which the plan warns. */
export const standardSupportWarningDays = 90;

export type SupportPhase = "standard" | "extended" | "unsupported";

/** Where a version stands on a day, and the days left in that phase (0 once unsupported). */
export interface SupportStatus {
  readonly phase: SupportPhase;
  readonly daysLeft: number;
}

const dayMs = 24 * 60 * 60 * 1000;

function day(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** `today` as a UTC day, `YYYY-MM-DD`. */
export function isoDay(today: Date): string {
  return today.toISOString().slice(0, 10);
}

/** The support phase of `version` on `date` (a `YYYY-MM-DD` day; end dates are inclusive). */
export function supportOn(support: VersionSupport, date: string): SupportStatus {
  const now = day(date);
  const standardLeft = Math.round((day(support.endOfStandard) - now) / dayMs);
  if (standardLeft >= 0) return { phase: "standard", daysLeft: standardLeft };
  const left = Math.round((day(support.endOfSupport) - now) / dayMs);
  if (left >= 0) return { phase: "extended", daysLeft: left };
  return { phase: "unsupported", daysLeft: 0 };
}

/** The newest version with pinned add-ons that is in standard support on `date`. */
export function defaultEksVersion(date: string): KubernetesVersion {
  const inStandard = kubernetesVersions.filter(
    (v) => supportOn(eksCalendar[v]!, date).phase === "standard",
  );
  const newest = inStandard[inStandard.length - 1];
  if (newest === undefined) {
    throw new ComponentError("defaultEksVersion", date, [
      `no Kubernetes version with pinned add-ons is in EKS standard support on ${date}`,
    ]);
  }
  return newest;
}

/** The warning a plan prints for `version` on `date`, or undefined when it has time left. */
export function eksVersionWarning(version: KubernetesVersion, date: string): string | undefined {
  const support = eksCalendar[version]!;
  const status = supportOn(support, date);
  if (status.phase === "standard" && status.daysLeft > standardSupportWarningDays) return undefined;
  const newest = defaultEksVersion(date);
  if (status.phase === "standard") {
    return `Kubernetes ${version} leaves EKS standard support on ${support.endOfStandard} (${status.daysLeft} days); extended support then costs extra. Upgrade to ${newest} (${support.source}).`;
  }
  return `Kubernetes ${version} is in paid EKS extended support until ${support.endOfSupport} (${status.daysLeft} days). Upgrade to ${newest} (${support.source}).`;
}

/**
 * Why `version` cannot be chosen on `date`, or undefined when it can: EKS must serve it, it
 * must not be past extended support, and its add-ons must be pinned here.
 */
export function eksVersionProblem(version: string, date: string): string | undefined {
  const allowed = `expected one of ${kubernetesVersions.join(", ")}`;
  const support = eksCalendar[version];
  if (support === undefined) return `is not a Kubernetes version in the EKS calendar; ${allowed}`;
  if (supportOn(support, date).phase === "unsupported") {
    return `is past the end of EKS extended support (${support.endOfSupport}); ${allowed}`;
  }
  if (!(kubernetesVersions as readonly string[]).includes(version)) {
    return `has no pinned EKS add-on versions; ${allowed}`;
  }
  return undefined;
}

/**
 * Why `version` cannot run on GKE on `date` (a GCP target, or prod's GCP standby, which runs the
 * primary's version), or undefined when it can: GKE must list it and still maintain it.
 */
export function gkeVersionProblem(version: string, date: string): string | undefined {
  const allowed = Object.keys(gkeCalendar).filter(
    (v) => supportOn(gkeCalendar[v]!, date).phase !== "unsupported",
  );
  const expected = `expected one of ${allowed.join(", ")} on GKE`;
  const support = gkeCalendar[version];
  if (support === undefined) return `is not a Kubernetes version in the GKE calendar; ${expected}`;
  if (supportOn(support, date).phase === "unsupported") {
    return `is past the end of GKE maintenance (${support.endOfSupport}); ${expected}`;
  }
  return undefined;
}

/** The GKE warning a plan prints for `version` on `date`, or undefined when it has time left. */
export function gkeVersionWarning(version: string, date: string): string | undefined {
  const support = gkeCalendar[version];
  if (support === undefined) return undefined;
  const status = supportOn(support, date);
  if (status.phase === "standard" && status.daysLeft > standardSupportWarningDays) return undefined;
  if (status.phase === "standard") {
    return `Kubernetes ${version} leaves GKE standard support on ${support.endOfStandard} (${status.daysLeft} days); the release channel then upgrades the cluster. Plan the upgrade (${support.source}).`;
  }
  return `Kubernetes ${version} is in GKE maintenance until ${support.endOfSupport} (${status.daysLeft} days); GKE then upgrades the control plane itself (${support.source}).`;
}
