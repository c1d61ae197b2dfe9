import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, clusterDefaults, type ClusterArgs } from "../../components/cluster";
import {
  addonVersions,
  defaultEksVersion,
  eksCalendar,
  eksVersionProblem,
  eksVersionWarning,
  gkeCalendar,
  gkeVersionProblem,
  gkeVersionWarning,
  kubernetesVersions,
  supportOn,
} from "../../components/cluster/versions";
import { settle, useMocks } from "../support/mocks";

/** The day these facts were checked against the EKS calendar. */
const checked = "2026-11-29";

describe("EKS Kubernetes version catalog", () => {
  it("puts each version in its support phase on 2026-11-29, with the days left", () => {
    const phases = Object.fromEntries(
      Object.entries(eksCalendar).map(([v, s]) => [v, supportOn(s, checked)]),
    );
    assert.deepEqual(phases, {
      "1.31": { phase: "unsupported", daysLeft: 0 },
      "1.32": { phase: "extended", daysLeft: 114 },
      "1.33": { phase: "extended", daysLeft: 242 },
      "1.34": { phase: "standard", daysLeft: 3 },
      "1.35": { phase: "standard", daysLeft: 118 },
    });
  });

  it("counts the last day of a phase inside it", () => {
    assert.deepEqual(supportOn(eksCalendar["1.34"]!, "2026-12-02"), {
      phase: "standard",
      daysLeft: 0,
    });
    assert.equal(supportOn(eksCalendar["1.34"]!, "2026-12-03").phase, "extended");
    assert.equal(supportOn(eksCalendar["1.31"]!, "2026-11-26").phase, "extended");
    assert.equal(supportOn(eksCalendar["1.31"]!, "2026-11-27").phase, "unsupported");
  });

  it("defaults to the newest version in standard support: 1.35 today", () => {
    assert.equal(defaultEksVersion(checked), "1.35");
    for (const tier of ["dev", "staging", "prod"] as const) {
      assert.equal(
        clusterDefaults[tier].version,
        defaultEksVersion(new Date().toISOString().slice(0, 10)),
      );
    }
  });

  it("pins the four managed add-ons for every version a stack may choose", () => {
    assert.deepEqual(Object.keys(addonVersions), [...kubernetesVersions]);
    for (const version of kubernetesVersions) {
      assert.deepEqual(Object.keys(addonVersions[version]).sort(), [
        "aws-ebs-csi-driver",
        "coredns",
        "kube-proxy",
        "vpc-cni",
      ]);
      assert.match(
        addonVersions[version]["kube-proxy"],
        new RegExp(`^v${version}\\.\\d+-eksbuild\\.\\d+$`),
      );
    }
  });

  it("refuses 1.31, past EKS extended support since 2026-11-26, naming the versions allowed", () => {
    assert.equal(
      eksVersionProblem("1.31", checked),
      "is past the end of EKS extended support (2026-11-26); expected one of 1.34, 1.35",
    );
    assert.equal(
      eksVersionProblem("1.33", checked),
      "has no pinned EKS add-on versions; expected one of 1.34, 1.35",
    );
    assert.equal(
      eksVersionProblem("1.99", checked),
      "is not a Kubernetes version in the EKS calendar; expected one of 1.34, 1.35",
    );
    assert.equal(eksVersionProblem("1.35", checked), undefined);
  });

  it("warns within 90 days of the end of standard support, and not before", () => {
    assert.equal(
      eksVersionWarning("1.34", checked),
      `Kubernetes 1.34 leaves EKS standard support on 2026-12-02 (3 days); extended support then costs extra. Upgrade to 1.35 (${eksCalendar["1.34"]!.source}).`,
    );
    assert.equal(eksVersionWarning("1.35", checked), undefined);
    assert.match(
      eksVersionWarning("1.35", "2026-12-27")!,
      /leaves EKS standard support on 2027-03-27 \(90 days\)/,
    );
    assert.equal(eksVersionWarning("1.35", "2026-12-26"), undefined);
  });
});

describe("Cluster on aws with a version near the end of standard support", () => {
  it("warns in the plan, from the component", async () => {
    useMocks();
    const warned: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (msg: string) => {
      warned.push(msg);
      return Promise.resolve();
    };
    try {
      const args: ClusterArgs = {
        ...clusterDefaults.staging,
        version: "1.34",
        apiAccess: { mode: "private", cidrs: ["10.0.0.0/16"] },
        tier: "staging",
        clusterName: "platform-staging",
        region: "us-east-1",
        placement: { target: "aws", vpcId: "vpc-0123", privateSubnetIds: ["subnet-a"] },
        tags: {},
      };
      new Cluster("cluster", args);
      await settle();
    } finally {
      pulumi.log.warn = original;
    }
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(warned, [eksVersionWarning("1.34", today)]);
  });
});

describe("GKE Kubernetes version catalog", () => {
  it("puts each version in its phase on 2026-11-29: 1.34 past maintenance, 1.35 standard", () => {
    const phases = Object.fromEntries(
      Object.entries(gkeCalendar).map(([v, s]) => [v, supportOn(s, checked)]),
    );
    assert.deepEqual(phases, {
      "1.34": { phase: "unsupported", daysLeft: 0 },
      "1.35": { phase: "standard", daysLeft: 91 },
    });
  });

  it("refuses a version GKE no longer maintains or never listed, naming what it allows", () => {
    assert.equal(
      gkeVersionProblem("1.34", checked),
      "is past the end of GKE maintenance (2026-10-01); expected one of 1.35 on GKE",
    );
    assert.equal(
      gkeVersionProblem("1.31", checked),
      "is not a Kubernetes version in the GKE calendar; expected one of 1.35 on GKE",
    );
    assert.equal(gkeVersionProblem("1.35", checked), undefined);
  });

  it("warns from 90 days before the end of standard support, not before", () => {
    assert.equal(gkeVersionWarning("1.35", checked), undefined);
    assert.match(
      gkeVersionWarning("1.35", "2026-11-30") ?? "",
      /^Kubernetes 1\.35 leaves GKE standard support on 2027-02-28 \(90 days\)/,
    );
    assert.match(
      gkeVersionWarning("1.35", "2027-03-01") ?? "",
      /^Kubernetes 1\.35 is in GKE maintenance until 2027-04-11 \(41 days\)/,
    );
  });
});
