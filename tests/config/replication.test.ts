import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { computeRpo, rpoProblems } from "../../config/rpo";
import { cidrsOverlap } from "../../config/sections/replication";
import { problems, source } from "../support/config";

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const prod = {
  tier: "prod",
  target: "aws",
  standby: "gcp",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
  gcp: { project: "platform-prod-standby", region: "us-central1" },
};

describe("The RPO the standby's data path gives", () => {
  const settings = {
    database: { enabled: true, replicated: true },
    cache: true,
    lagAlertSeconds: 60,
    transferIntervalMinutes: 60,
    buckets: ["uploads", "backups"],
  };

  it("is the lag alert's threshold, duration and alignment for the database: 180 s by default", () => {
    assert.deepEqual(computeRpo(settings).database, {
      seconds: 180,
      parts: { replicationLagAlertSeconds: 60, alertDurationSeconds: 60, alignmentSeconds: 60 },
    });
    assert.equal(computeRpo({ ...settings, lagAlertSeconds: 30 }).seconds, 150);
  });

  it("is one transfer interval for the buckets, each bucket role both sites keep", () => {
    assert.deepEqual(computeRpo(settings).objects, {
      seconds: 3600,
      parts: { transferIntervalSeconds: 3600 },
      buckets: ["uploads", "backups"],
    });
    assert.equal(computeRpo({ ...settings, buckets: [] }).objects, undefined);
  });

  it("names what is not copied: the cache always, the database when it is not replicated", () => {
    assert.deepEqual(computeRpo(settings).notCopied, ["cache: Redis starts empty on the standby"]);
    const unreplicated = computeRpo({
      ...settings,
      database: { enabled: true, replicated: false },
    });
    assert.equal(unreplicated.seconds, undefined);
    assert.equal(unreplicated.database, undefined);
    assert.deepEqual(unreplicated.notCopied, [
      "database: not replicated without platform:replication.sourceCaCertificate",
      "cache: Redis starts empty on the standby",
    ]);
  });

  it("meets a target at or above it and refuses one below it, naming the lag that would meet it", () => {
    assert.deepEqual(rpoProblems(computeRpo({ ...settings, rpoTargetSeconds: 180 })), []);
    assert.deepEqual(rpoProblems(computeRpo({ ...settings, rpoTargetSeconds: 170 })), [
      "platform:replication.rpoTargetSeconds: 170 is less than the database RPO the design gives, 180 s (lag alert threshold platform:replication.lagAlertSeconds 60 + alert duration 60 + alignment 60); lower lagAlertSeconds to at most 50 or raise the target",
    ]);
  });

  it("refuses a target when the database is not replicated at all", () => {
    const [problem] = rpoProblems(
      computeRpo({
        ...settings,
        database: { enabled: true, replicated: false },
        rpoTargetSeconds: 300,
      }),
    );
    assert.match(
      problem!,
      /^platform:replication\.rpoTargetSeconds: 300 cannot be met: the database is not replicated/,
    );
  });
});

describe("Stack config of the standby's data path", () => {
  it("resolves prod's defaults: 60 s lag alert, hourly transfers, no database path without RDS's CA", () => {
    const cfg = parseStackConfig(source(prod));
    assert.equal(cfg.replication?.lagAlertSeconds, 60);
    assert.equal(cfg.replication?.transferIntervalMinutes, 60);
    assert.equal(cfg.replication?.rpo.database, undefined);
    assert.equal(cfg.replication?.sourceCaCertificate, undefined);
  });

  it("replicates the database with RDS's CA and meets seed 002's 300 s", () => {
    const cfg = parseStackConfig(
      source({ ...prod, replication: { rpoTargetSeconds: 300, sourceCaCertificate: pem } }),
    );
    assert.equal(cfg.replication?.rpo.seconds, 180);
    assert.equal(cfg.replication?.rpo.targetSeconds, 300);
    assert.equal(cfg.replication?.sourceCaCertificate, pem);
  });

  it("refuses a lag alert that puts the computed RPO over the stated target", () => {
    assert.deepEqual(
      problems({
        ...prod,
        replication: { rpoTargetSeconds: 300, lagAlertSeconds: 240, sourceCaCertificate: pem },
      }),
      [
        "platform:replication.rpoTargetSeconds: 300 is less than the database RPO the design gives, 360 s (lag alert threshold platform:replication.lagAlertSeconds 240 + alert duration 60 + alignment 60); lower lagAlertSeconds to at most 180 or raise the target",
      ],
    );
  });

  it("refuses a stated target with no database path to meet it", () => {
    const [problem] = problems({ ...prod, replication: { rpoTargetSeconds: 300 } });
    assert.match(problem!, /rpoTargetSeconds: 300 cannot be met: the database is not replicated/);
  });

  it("refuses a primary range the VPN could not route: it overlaps the standby's Cloud SQL range", () => {
    assert.deepEqual(problems({ ...prod, network: { cidrBlock: "10.30.0.0/16" } }), [
      'platform:network.cidrBlock: "10.30.0.0/16" overlaps the standby\'s private service access range 10.30.0.0/16; the VPN between the sites routes each range to one side only, choose a primary range outside it',
    ]);
    assert.equal(cidrsOverlap("10.24.0.0/14", "10.27.255.0/24"), true);
    assert.equal(cidrsOverlap("10.10.0.0/16", "10.20.0.0/20"), false);
  });

  it("refuses a CA that is not PEM, unless the key is a secret it cannot read offline", () => {
    assert.deepEqual(problems({ ...prod, replication: { sourceCaCertificate: "rds-ca" } }), [
      "platform:replication.sourceCaCertificate: is not a PEM bundle; expected -----BEGIN CERTIFICATE----- blocks",
    ]);
    const cfg = parseStackConfig(
      source({ ...prod, replication: { sourceCaCertificate: "placeholder" } }, ["replication"]),
    );
    assert.ok(cfg.replication?.rpo.database);
  });

  it("refuses replication settings without a standby to copy to", () => {
    assert.deepEqual(
      problems({
        tier: "prod",
        target: "aws",
        aws: { region: "us-east-1", replicaRegion: "us-west-2" },
        replication: { lagAlertSeconds: 30 },
      }),
      [
        'platform:replication: is set but platform:standby is "none"; there is no standby to copy data to',
      ],
    );
  });
});
