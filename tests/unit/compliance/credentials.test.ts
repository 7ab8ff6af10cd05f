import { expect } from "chai";
import {
  credentialsUnused45Days,
  credentialsUnused90Days,
  keyNotMadeAtConsoleUserSetup,
  keysRotatedWithin90Days,
  oneActiveKey,
} from "../../../automation/compliance/controls/credentials";
import { compliantEvidence, CURRENT_KEY, daysAgo, inputOf, key, OTHER_KEY } from "./evidenceFixtures";

describe("compliance: credential controls", () => {
  describe("cis-1.11, no unused key for a console user", () => {
    it("passes a user without a console password, whose key is its only credential", async () => {
      const verdict = keyNotMadeAtConsoleUserSetup.assess(await inputOf(compliantEvidence({ keys: [key(CURRENT_KEY, "current", 2)] })));
      expect(verdict.status).to.equal("PASS");
      expect(verdict.reason).to.include("no console password");
    });

    it("fails a console user with an Active key never used, naming the key", async () => {
      const evidence = compliantEvidence({ loginProfileCreatedAt: daysAgo(3), keys: [key(CURRENT_KEY, "current", 3)] });
      const verdict = keyNotMadeAtConsoleUserSetup.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.include(CURRENT_KEY);
    });

    it("passes a console user whose keys have all been used", async () => {
      const evidence = compliantEvidence({ loginProfileCreatedAt: daysAgo(3), keys: [key(CURRENT_KEY, "current", 3, 1)] });
      expect(keyNotMadeAtConsoleUserSetup.assess(await inputOf(evidence)).status).to.equal("PASS");
    });
  });

  describe("cis-1.12 and iam-8, unused credentials", () => {
    it("passes keys used recently, and a new key never used yet", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 60, 2), key(OTHER_KEY, "retiring", 10)], rotation: "started" });
      expect(credentialsUnused45Days.assess(await inputOf(evidence)).status).to.equal("PASS");
    });

    it("fails an Active key unused for 45 days at 45 but not at 90, naming the command that removes it", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 30, 1), key(OTHER_KEY, "unmanaged", 400, 50)] });
      const at45 = credentialsUnused45Days.assess(await inputOf(evidence));
      expect(at45.status).to.equal("FAIL");
      expect(at45.reason).to.equal(`Active key ${OTHER_KEY} unused for 50 days: \`npm run retire-key -- dev ${OTHER_KEY}\` removes it`);
      expect(credentialsUnused90Days.assess(await inputOf(evidence)).status).to.equal("PASS");
    });

    it("counts a never-used key from its creation, and ignores an Inactive one", async () => {
      const neverUsed = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 46)] });
      expect(credentialsUnused45Days.assess(await inputOf(neverUsed)).reason).to.include(`${CURRENT_KEY} unused for 46 days`);
      const inactive = compliantEvidence({
        keys: [key(CURRENT_KEY, "current", 10, 1), key(OTHER_KEY, "retiring", 200, 100, "Inactive")],
        rotation: "old-key-inactive",
      });
      expect(credentialsUnused90Days.assess(await inputOf(inactive)).status).to.equal("PASS");
    });

    it("fails a console password unused for 90 days", async () => {
      const evidence = compliantEvidence({ loginProfileCreatedAt: daysAgo(200), user: { ...compliantEvidence().user, passwordLastUsedAt: daysAgo(95) } });
      const verdict = credentialsUnused90Days.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.include("console password is unused for 95 days");
    });
  });

  describe("cis-1.13, one Active key", () => {
    it("passes one Active key beside an Inactive one", async () => {
      const evidence = compliantEvidence({
        keys: [key(CURRENT_KEY, "current", 5, 1), key(OTHER_KEY, "retiring", 95, 20, "Inactive")],
        rotation: "old-key-inactive",
      });
      expect(oneActiveKey.assess(await inputOf(evidence)).status).to.equal("PASS");
    });

    it("accepts two Active keys while a rotation is open, as transient, naming rotate finish and the rotation design", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 1), key(OTHER_KEY, "retiring", 85, 0)], rotation: "started" });
      const verdict = oneActiveKey.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("ACCEPTED");
      expect(verdict.reason).to.include("transient").and.include("`npm run rotate -- dev finish`");
      expect(verdict.acceptance?.source).to.equal("docs/rotation.md");
    });

    it("fails two Active keys outside a rotation, such as an adopted key not yet retired", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 5, 1), key(OTHER_KEY, "unmanaged", 300, 1)] });
      const verdict = oneActiveKey.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.include(`${OTHER_KEY} (unmanaged): \`npm run retire-key -- dev ${OTHER_KEY}\` removes it`);
    });

    it("fails two Active keys once the rotation is no longer in its started phase", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 1), key(OTHER_KEY, "retiring", 85, 0)], rotation: "old-key-inactive" });
      expect(oneActiveKey.assess(await inputOf(evidence)).status).to.equal("FAIL");
    });
  });

  describe("cis-1.14, keys rotated within 90 days", () => {
    it("passes a key of 90 days on a stack rotating at 60, saying the stack's limit is within CIS's", async () => {
      const verdict = keysRotatedWithin90Days.assess(await inputOf(compliantEvidence({ keys: [key(CURRENT_KEY, "current", 90, 1)], keyMaxAgeDays: 60 })));
      expect(verdict.status).to.equal("PASS");
      expect(verdict.reason).to.include("the stack rotates at 60 days, within it");
    });

    it("fails an Active key past 90 days, and the old key of an open rotation too, naming rotate finish", async () => {
      const evidence = compliantEvidence({ keys: [key(CURRENT_KEY, "current", 1), key(OTHER_KEY, "retiring", 95, 0)], rotation: "started" });
      const verdict = keysRotatedWithin90Days.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.equal(`Active key ${OTHER_KEY} is 95 days old: \`npm run rotate -- dev finish\` retires it`);
    });

    it("ignores an old key once it is Inactive", async () => {
      const evidence = compliantEvidence({
        keys: [key(CURRENT_KEY, "current", 1), key(OTHER_KEY, "retiring", 95, 3, "Inactive")],
        rotation: "old-key-inactive",
      });
      expect(keysRotatedWithin90Days.assess(await inputOf(evidence)).status).to.equal("PASS");
    });

    it("says so when the stack's own limit lets keys pass 90 days", async () => {
      const verdict = keysRotatedWithin90Days.assess(await inputOf(compliantEvidence({ keyMaxAgeDays: 120 })));
      expect(verdict.reason).to.include("keyMaxAgeDays 120 lets keys pass it");
    });
  });
});
