import { expect } from "chai";
import type { RotationPhase } from "../../../infra/config";
import type { UserKey } from "../../../automation/keys/userKeys";
import { decideAutoRotation, type AutoFacts } from "../../../automation/rotation/autoRotation";

const NOW = new Date("2026-12-04T12:00:00Z");
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const daysAgo = (days: number) => hoursAgo(days * 24);
const key = (id: string, created: Date, lastUsed?: Date): UserKey => ({
  id,
  status: "Active",
  createdAt: created,
  ...(lastUsed ? { lastUsed: { at: lastUsed, service: "s3", region: "us-east-1" } } : {}),
});

function facts(phase: RotationPhase, current: UserKey, old?: UserKey, extra: Partial<AutoFacts> = {}): AutoFacts {
  return { stack: "dev", phase, now: NOW, keyMaxAgeDays: 90, graceHours: 24, current, old, handsOffThroughSecret: false, ...extra };
}

describe("rotate auto: the nightly decision", () => {
  describe("idle", () => {
    it("does nothing before the key is due, saying when it is (50%)", () => {
      expect(decideAutoRotation(facts("idle", key("AKIAOLD", daysAgo(45))))).to.deep.equal({
        action: "none",
        reason: "key AKIAOLD is 45 days old (limit 90): the schedule starts its rotation on 2027-01-09; nothing to do",
      });
    });

    it("starts at 90% of the limit (92%), or rotateAheadDays before it", () => {
      expect(decideAutoRotation(facts("idle", key("AKIAOLD", daysAgo(82.8)))).action).to.equal("start");
      expect(decideAutoRotation(facts("idle", key("AKIAOLD", daysAgo(80)))).action).to.equal("none");
      expect(decideAutoRotation(facts("idle", key("AKIAOLD", daysAgo(80)), undefined, { rotateAheadDays: 14 })).action, "due at 76 days").to.equal("start");
    });

    it("starts an overdue key too", () => {
      const decision = decideAutoRotation(facts("idle", key("AKIAOLD", daysAgo(65.5)), undefined, { keyMaxAgeDays: 60, stack: "prod" }));
      expect(decision.action).to.equal("start");
      expect(decision.reason).to.equal("key AKIAOLD is 65 days old (limit 60), and the schedule rotates it from 2026-11-23 on: starting its rotation");
    });
  });

  describe("started", () => {
    const old = (lastUsed?: Date) => key("AKIAOLD", daysAgo(83), lastUsed);

    it("waits while the old key is still used within the grace of the new key, naming how the new key reaches Django", () => {
      const viaEnv = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(10)), old(hoursAgo(1))));
      expect(viaEnv).to.include({ action: "wait", notBefore: "2026-12-05T02:00:00Z" });
      expect(viaEnv.reason).to.include("the old key AKIAOLD is still in use").and.include("npm run outputs -- dev --format env --show-secrets");
      const viaSecret = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(10)), old(hoursAgo(1)), { handsOffThroughSecret: true }));
      expect(viaSecret.reason).to.include("AWSCURRENT when its processes restart");
    });

    it("refuses once the grace is over and the old key is still used: which key, and since when", () => {
      const decision = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(30), hoursAgo(20)), old(hoursAgo(1))));
      expect(decision.action).to.equal("refuse");
      expect(decision.reason).to.equal(
        "the old key AKIAOLD is still in use more than 24 hours after AKIANEW went live (2026-12-03T06:00:00Z): it was last used 2026-12-04T11:00:00Z (s3, us-east-1); " +
          "switch whatever still runs on it to AKIANEW, then this job finishes the rotation (`npm run rotate -- dev finish --force` retires it anyway)",
      );
    });

    it("is not fooled by the new key's record: the verification's own use of it says nothing of Django", () => {
      const decision = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(30), hoursAgo(0.1)), old(hoursAgo(1))));
      expect(decision.action, "the old key used an hour ago, whatever the new key's record says").to.equal("refuse");
    });

    it("waits a grace after the old key's last use before finishing, for IAM's lagging records", () => {
      const decision = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(30), hoursAgo(1)), old(hoursAgo(25))));
      expect(decision).to.include({ action: "finish" });
      const recent = decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(10), hoursAgo(1)), old(daysAgo(3))));
      expect(recent, "unused since the new key, but the new key is younger than the grace").to.include({ action: "wait", notBefore: "2026-12-05T02:00:00Z" });
    });

    it("finishes once the old key has been quiet for the grace", () => {
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(60)), old(hoursAgo(30)))).action).to.equal("finish");
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(25)), old())).action, "the old key never used").to.equal("finish");
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(25)), old(daysAgo(3)))).action, "last used before the new key existed").to.equal(
        "finish",
      );
    });

    it("honours the stack's grace", () => {
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(5)), old(), { graceHours: 0 })).action).to.equal("finish");
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(30)), old(), { graceHours: 48 })).action).to.equal("wait");
    });

    it("finishes when IAM no longer holds the old key", () => {
      expect(decideAutoRotation(facts("started", key("AKIANEW", hoursAgo(1))))).to.include({ action: "finish" });
    });
  });

  it("leaves a rotation a person paused to them, and completes one that stopped while finishing", () => {
    const paused = decideAutoRotation(facts("old-key-inactive", key("AKIANEW", hoursAgo(30), hoursAgo(1))));
    expect(paused.action).to.equal("none");
    expect(paused.reason).to.include("`npm run rotate -- dev finish`").and.include("`npm run rotate -- dev reactivate`");
    expect(decideAutoRotation(facts("finishing", key("AKIANEW", hoursAgo(30)))).action).to.equal("finish");
  });

  it("leaves a key an emergency contained to the person investigating it, however long ago", () => {
    const contained = decideAutoRotation(facts("contained", key("AKIANEW", hoursAgo(24 * 40)), key("AKIAOLD", hoursAgo(24 * 100))));
    expect(contained.action).to.equal("none");
    expect(contained.reason).to.include("an emergency contained the old key").and.include("`npm run rotate -- dev finish`");
  });
});
