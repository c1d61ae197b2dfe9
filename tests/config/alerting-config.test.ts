import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig } from "../../config";
import { rawSource } from "../support/config";

const prodOnAws = {
  tier: "prod",
  target: "aws",
  aws: { region: "us-east-1", replicaRegion: "us-west-2" },
};
const stagingOnGcp = {
  tier: "staging",
  target: "gcp",
  gcp: { project: "platform-staging", region: "europe-west1" },
  cache: { nodes: 1 },
};
const mail = {
  emailTo: "oncall@example.com",
  emailFrom: "alerts@example.com",
  emailSmarthost: "smtp.example.com:587",
};
const key = "pd-events-v2-key-0123456789abcdef";

/** The problems of a config given exactly as written, its alerting keys stored as secrets. */
function refused(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig(rawSource(values, ["observability"]));
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail("the config was accepted");
}

function accepted(values: Record<string, unknown>): void {
  assert.doesNotThrow(() => parseStackConfig(rawSource(values, ["observability"])));
}

const withAlerting = (base: object, alerting: object) => ({ ...base, observability: { alerting } });

describe("Stack config: who alerts reach (platform:observability.alerting)", () => {
  describe("refuses", () => {
    it("a prod stack with no receiver at all, naming the key, what is missing and what is allowed", () => {
      assert.deepEqual(refused(prodOnAws), [
        "platform:observability.alerting: (missing) a prod stack needs a receiver for critical alerts, or they reach nobody; set pagerdutyKey (a secret: a PagerDuty Events v2 integration key) or emailTo with emailFrom and emailSmarthost",
        "platform:observability.alerting: (missing) the CloudWatch alarms of a prod stack on aws notify an SNS topic with no subscriber; set pagerdutyCloudwatchKey (a secret: a PagerDuty Amazon CloudWatch integration key) or emailTo (an e-mail subscription), or platform:observability.managedAlarms false",
      ]);
    });

    it("a prod stack whose only receiver is Slack, which critical alerts do not go to", () => {
      const found = refused(
        withAlerting(prodOnAws, { slackWebhookUrl: "https://hooks.slack.com/services/T/B/x" }),
      );
      assert.match(found[0]!, /a prod stack needs a receiver for critical alerts/);
    });

    it("a prod stack on aws paging through Events v2 only: the CloudWatch alarm topic has no subscriber", () => {
      assert.deepEqual(refused(withAlerting(prodOnAws, { pagerdutyKey: key })), [
        "platform:observability.alerting: (missing) the CloudWatch alarms of a prod stack on aws notify an SNS topic with no subscriber; set pagerdutyCloudwatchKey (a secret: a PagerDuty Amazon CloudWatch integration key) or emailTo (an e-mail subscription), or platform:observability.managedAlarms false",
      ]);
    });

    it("an e-mail receiver with no sender or relay, which Alertmanager would not load", () => {
      assert.deepEqual(
        refused({
          tier: "staging",
          target: "local",
          observability: { alerting: { emailTo: "t@example.com" } },
        }),
        [
          "platform:observability.alerting.emailFrom: (missing) is required with emailTo; Alertmanager refuses an e-mail receiver without a sender and an SMTP relay, expected e.g. alerts@example.com",
          "platform:observability.alerting.emailSmarthost: (missing) is required with emailTo; Alertmanager refuses an e-mail receiver without a sender and an SMTP relay, expected e.g. smtp.example.com:587",
        ],
      );
    });

    it("alert policies on gcp with no notification channel", () => {
      assert.deepEqual(refused(stagingOnGcp), [
        "platform:observability.alerting: (missing) the Cloud Monitoring alert policies on gcp have no notification channel; set pagerdutyKey (a secret) or emailTo, or platform:observability.managedAlarms false",
      ]);
    });
  });

  describe("accepts", () => {
    it("a prod stack on aws that mails the team: critical alerts and the alarm topic reach it", () => {
      accepted(withAlerting(prodOnAws, mail));
    });

    it("a prod stack on aws paging through PagerDuty's Events v2 and CloudWatch integrations", () => {
      accepted(withAlerting(prodOnAws, { pagerdutyKey: key, pagerdutyCloudwatchKey: key }));
    });

    it("a prod stack on aws with PagerDuty and no managed alarms", () => {
      accepted({
        ...prodOnAws,
        observability: { managedAlarms: false, alerting: { pagerdutyKey: key } },
      });
    });

    it("staging and dev stacks with no receiver", () => {
      accepted({ tier: "staging", target: "aws", aws: { region: "us-east-1" } });
      accepted({ tier: "dev", target: "local" });
    });

    it("alert policies on gcp that mail the team, with no PagerDuty key", () => {
      accepted(withAlerting(stagingOnGcp, mail));
    });
  });
});
