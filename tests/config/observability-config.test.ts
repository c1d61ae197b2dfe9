import { strict as assert } from "node:assert";
import { problems, source } from "../support/config";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../config";
import { resolve } from "../support/mocks";

const prod = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};

const pagerdutyKey = "pd-routing-key-0123456789abcdef";

describe("Stack config: platform:observability", () => {
  describe("accepts", () => {
    it("receiver credentials stored as secrets, and keeps them secret", async () => {
      const cfg = parseStackConfig(
        source(
          {
            ...prod,
            observability: {
              alerting: {
                pagerdutyKey,
                slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/abc",
                emailTo: "team@example.com",
                emailFrom: "alerts@example.com",
                emailSmarthost: "smtp.example.com:587",
              },
            },
          },
          ["observability"],
        ),
      );
      const key = await resolve(cfg.observability.receivers.pagerdutyKey as pulumi.Output<string>);
      assert.deepEqual(key, { value: pagerdutyKey, secret: true });
      assert.equal(cfg.observability.receivers.emailTo, "team@example.com");
    });

    it("the tier's settings: prod keeps logs 90 days and alarms on managed services", () => {
      const cfg = parseStackConfig(source(prod));
      assert.equal(cfg.observability.settings.logRetentionDays, 90);
      assert.equal(cfg.observability.settings.metricsRetention, "15d");
      assert.equal(cfg.observability.settings.managedAlarms, true);
      assert.equal(cfg.observability.inClusterExporters, false);
    });

    it("a dev stack: short retention, no managed alarms, in-cluster exporters", () => {
      const cfg = parseStackConfig(source({ tier: "dev", target: "local" }));
      assert.equal(cfg.observability.settings.logRetentionDays, 7);
      assert.equal(cfg.observability.settings.metricsRetention, "2d");
      assert.equal(cfg.observability.settings.managedAlarms, false);
      assert.equal(cfg.observability.inClusterExporters, true);
    });

    it("overrides of retention and alarms", () => {
      const cfg = parseStackConfig(
        source({
          ...prod,
          observability: { logRetentionDays: 365, metricsRetention: "30d", managedAlarms: false },
        }),
      );
      assert.equal(cfg.observability.settings.logRetentionDays, 365);
      assert.equal(cfg.observability.settings.metricsRetention, "30d");
      assert.equal(cfg.observability.settings.managedAlarms, false);
      assert.equal(cfg.observability.settings.prometheusReplicas, 2);
    });
  });

  describe("rejects", () => {
    for (const key of ["pagerdutyKey", "pagerdutyCloudwatchKey", "emailPassword"]) {
      it(`${key} stored as plain text, naming the key and never showing it`, () => {
        const found = problems({ ...prod, observability: { alerting: { [key]: pagerdutyKey } } });
        assert.equal(found.length, 1);
        assert.match(found[0]!, new RegExp(`^platform:observability\\.alerting\\.${key}: `));
        assert.match(found[0]!, /stored as plain text; set it with `pulumi config set --secret/);
        assert.ok(!found[0]!.includes(pagerdutyKey), found[0]);
      });
    }

    it("a Slack webhook stored as plain text", () => {
      const url = "https://hooks.slack.com/services/T0/B0/abc";
      const found = problems({ ...prod, observability: { alerting: { slackWebhookUrl: url } } });
      assert.deepEqual(found.length, 1);
      assert.match(found[0]!, /^platform:observability\.alerting\.slackWebhookUrl: .*plain text/);
      assert.ok(!found[0]!.includes(url));
    });

    it("an empty receiver key, without echoing the secret value", () => {
      const found = problems({ ...prod, observability: { alerting: { pagerdutyKey: "" } } }, [
        "observability",
      ]);
      assert.deepEqual(found, [
        "platform:observability.alerting.pagerdutyKey: [secret] is empty; expected the key or URL",
      ]);
    });

    it("a log retention CloudWatch does not offer, naming platform:observability.logRetentionDays", () => {
      const found = problems({ ...prod, observability: { logRetentionDays: 45 } });
      assert.equal(found.length, 1);
      assert.match(
        found[0]!,
        /^platform:observability\.logRetentionDays: 45 is not a CloudWatch Logs retention; expected one of 1, 3, 5, 7, 14, 30, 60, 90/,
      );
    });

    it("in-cluster exporters on a cloud target, whose managed data services report to the cloud's metrics", () => {
      assert.deepEqual(problems({ ...prod, observability: { inClusterExporters: true } }), [
        'platform:observability.inClusterExporters: true is for target "local" only, whose PostgreSQL and Redis run in the cluster; on "aws" the managed database and cache publish their metrics to CloudWatch, which managedAlarms watches; remove the key',
      ]);
      const gcp = {
        tier: "staging",
        target: "gcp",
        gcp: { project: "platform-staging", region: "us-central1" },
        observability: { inClusterExporters: true },
      };
      assert.match(
        problems(gcp).join("\n"),
        /on "gcp" .* publish their metrics to Cloud Monitoring/,
      );
    });

    it("a metrics retention without a unit, naming platform:observability.metricsRetention", () => {
      const found = problems({ ...prod, observability: { metricsRetention: "15" } });
      assert.deepEqual(found, [
        'platform:observability.metricsRetention: "15" is not a Prometheus retention; expected e.g. "15d" or "48h"',
      ]);
    });

    it("a misspelt receiver key, listing the allowed ones", () => {
      const found = problems({ ...prod, observability: { alerting: { pagerDutyKey: "x" } } }, [
        "observability",
      ]);
      assert.equal(found.length, 1);
      assert.match(
        found[0]!,
        /^platform:observability\.alerting\.pagerDutyKey: unknown key \(did you mean "pagerdutyKey"\?\); .*allowed here: pagerdutyKey, /,
      );
    });

    it("an email address that is not one, naming platform:observability.alerting.emailTo", () => {
      const found = problems({ ...prod, observability: { alerting: { emailTo: "team" } } });
      assert.deepEqual(found, [
        'platform:observability.alerting.emailTo: "team" is not an email address',
      ]);
    });
  });
});
