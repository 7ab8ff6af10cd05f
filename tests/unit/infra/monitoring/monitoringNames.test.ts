import { expect } from "chai";
import { ENVIRONMENTS, KNOWN_REGIONS } from "../../../../infra/config";
import { ALERT_KINDS } from "../../../../infra/monitoring/alertRules";
import { backendGroupName, monitoringNames, monitoringTags } from "../../../../infra/monitoring/monitoringNames";

describe("the monitoring's names and tags", () => {
  it("name the topic, rules, role and alarm after the user and bucket they watch", () => {
    const names = monitoringNames("prod", "talentbase-prod-uploads");
    expect({
      topic: names.topic,
      rules: ALERT_KINDS.map(names.rule),
      forwarding: names.forwardingRule("key-use", "eu-west-1"),
      role: names.forwardingRole,
      alarm: names.objectCountAlarm,
    }).to.deep.equal({
      topic: "talentbase-backend-prod-alerts",
      rules: ["talentbase-backend-prod-iam-changes", "talentbase-backend-prod-key-use", "talentbase-backend-prod-console-sign-in"],
      forwarding: "talentbase-backend-prod-key-use-to-eu-west-1",
      role: "talentbase-backend-prod-alert-forwarding",
      alarm: "talentbase-prod-uploads-object-count",
    });
  });

  it("stay within EventBridge's and IAM's 64 characters for every environment, kind and region", () => {
    const longestRegion = KNOWN_REGIONS.reduce((a, b) => (b.length > a.length ? b : a));
    for (const environment of ENVIRONMENTS) {
      const names = monitoringNames(environment, "b".repeat(63));
      for (const kind of ALERT_KINDS) expect(names.forwardingRule(kind, longestRegion).length, kind).to.be.at.most(64);
      expect(names.forwardingRole.length).to.be.at.most(64);
      expect(names.objectCountAlarm.length).to.be.at.most(255);
    }
  });

  it("watch the group the backend's policy is being moved to, by its name", () => {
    expect(backendGroupName("staging")).to.equal("talentbase-backend-staging-s3");
  });

  it("tag the monitoring with the identity's tags and its own purpose", () => {
    expect(monitoringTags("dev")).to.deep.equal({ Environment: "dev", Project: "talentbase", Purpose: "backend-access-monitoring", ManagedBy: "pulumi" });
  });
});
