import { expect } from "chai";
import { ROTATION_BY_THE_DRIVER } from "../../../automation/compliance/control";
import {
  secretEncryptedWithCustomerKey,
  secretInUse,
  secretRotationConfigured,
  secretValueRenewed,
} from "../../../automation/compliance/controls/credentialsSecret";
import type { SecretEvidence } from "../../../automation/compliance/evidence";
import { compliantEvidence, daysAgo, inputOf, PROD_SECRET } from "./evidenceFixtures";

const prodWith = (secret: Partial<SecretEvidence> = {}) =>
  inputOf(compliantEvidence({ stack: "prod", environment: "prod", keyMaxAgeDays: 60, credentialsSecret: { ...PROD_SECRET, ...secret } }));
const SECRET_CONTROLS = [secretRotationConfigured, secretValueRenewed, secretInUse, secretEncryptedWithCustomerKey];

describe("compliance: the credentials secret", () => {
  it("does not assess any secret control on a stack that keeps no secret, and says why", async () => {
    const input = await inputOf(compliantEvidence());
    for (const control of SECRET_CONTROLS) {
      const verdict = control.assess(input);
      expect(verdict.status, control.id).to.equal("NOT_ASSESSED");
      expect(verdict.reason, control.id).to.include("talentbase-iam:credentialsSecret is off");
    }
  });

  it("secretsmanager-1 accepts the driver's rotation in place of Secrets Manager's, and passes a configured one", async () => {
    const verdict = secretRotationConfigured.assess(await prodWith());
    expect(verdict.status).to.equal("ACCEPTED");
    expect(verdict.acceptance).to.deep.equal(ROTATION_BY_THE_DRIVER);
    expect(secretRotationConfigured.assess(await prodWith({ rotationEnabled: true })).status).to.equal("PASS");
  });

  describe("secretsmanager-4, the value renewed within 90 days", () => {
    it("accepts a value the key's rotation renewed 30 days ago, which the tools would count as never rotated", async () => {
      const verdict = secretValueRenewed.assess(await prodWith());
      expect(verdict.status).to.equal("ACCEPTED");
      expect(verdict.reason).to.include("renewed 30 days ago by the key's rotation");
    });

    it("fails a value older than 90 days, naming rotate start", async () => {
      const verdict = secretValueRenewed.assess(await prodWith({ lastChangedAt: daysAgo(91) }));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.equal("the value is 91 days old: `npm run rotate -- prod start` writes a new key pair");
    });
  });

  it("secretsmanager-3 passes a secret read yesterday and fails one nobody read for 100 days", async () => {
    expect(secretInUse.assess(await prodWith()).status).to.equal("PASS");
    const verdict = secretInUse.assess(await prodWith({ lastAccessedAt: daysAgo(100) }));
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("for 100 days");
  });

  it("ckv-aws-149 fails AWS's managed key, naming the setting, and passes a customer managed one", async () => {
    const verdict = secretEncryptedWithCustomerKey.assess(await prodWith());
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("talentbase-iam:credentialsSecretKmsKeyId").and.include("`npm run provision -- prod`");
    expect(secretEncryptedWithCustomerKey.assess(await prodWith({ kmsKeyId: "alias/talentbase-secrets" })).status).to.equal("PASS");
  });
});
