import { expect } from "chai";
import { Secret } from "../../../automation/secret";
import type { DeployedOutputs } from "../../../automation/engine/deployedOutputs";
import { verificationInputFromStack } from "../../../automation/session/verifyStack";

const MONITORING_OFF = { monitoring: false, trustedCallers: [], monitoringRegions: [] };

describe("verificationInputFromStack", () => {
  it("takes identity and limits from the outputs and the MFA and round-trip switches from the settings", () => {
    const secret = new Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    const outputs: DeployedOutputs = {
      environment: "prod",
      region: "eu-west-1",
      partition: "aws",
      bucketName: "talentbase-prod-uploads",
      bucketArn: "arn:aws:s3:::talentbase-prod-uploads",
      userName: "talentbase-backend-prod",
      userArn: "arn:aws:iam::123456789012:user/talentbase-backend-prod",
      policyName: "talentbase-backend-prod-s3-policy",
      policyArn: "arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: secret,
      keyMaxAgeDays: 60,
      accessKeyCreateDate: "2026-11-01T00:00:00Z",
    };
    expect(
      verificationInputFromStack("prod", outputs, {
        ...MONITORING_OFF,
        requireMfa: true,
        roundTripCheck: false,
        unmanagedAccessKeys: ["AKIAI44QH8DHBEXAMPLE"],
        keyMaxIdleDays: 30,
        rotateAheadDays: 7,
      }),
    ).to.deep.equal({
      stack: "prod",
      environment: "prod",
      region: "eu-west-1",
      partition: "aws",
      bucketName: "talentbase-prod-uploads",
      userName: "talentbase-backend-prod",
      userArn: "arn:aws:iam::123456789012:user/talentbase-backend-prod",
      policyArn: "arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy",
      accessKeyId: "AKIAEXAMPLE",
      unmanagedAccessKeyIds: ["AKIAI44QH8DHBEXAMPLE"],
      secretAccessKey: secret,
      keyMaxAgeDays: 60,
      rotateAheadDays: 7,
      keyMaxIdleDays: 30,
      requireMfa: true,
      roundTripCheck: false,
    });
  });

  it("names the credentials secret for the verification when the stack keeps one", () => {
    const outputs = {
      environment: "prod",
      region: "us-east-1",
      bucketName: "talentbase-prod-uploads",
      userName: "talentbase-backend-prod",
      policyArn: "arn:aws:iam::123456789012:policy/p",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: new Secret("s"),
      keyMaxAgeDays: 60,
      credentialsSecretName: "talentbase/prod/aws-credentials",
      credentialsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:talentbase/prod/aws-credentials-AbCdEf",
    } as DeployedOutputs;
    const settings = { ...MONITORING_OFF, requireMfa: false, roundTripCheck: false, unmanagedAccessKeys: [], keyMaxIdleDays: 45 };
    expect(verificationInputFromStack("prod", outputs, settings).credentialsSecretName).to.equal("talentbase/prod/aws-credentials");
    const { credentialsSecretName: _name, credentialsSecretArn: _arn, ...without } = outputs;
    expect(verificationInputFromStack("prod", without as DeployedOutputs, settings)).not.to.have.property("credentialsSecretName");
  });

  it("passes the access monitoring's topic, trusted callers and regions where the settings turn it on, and nothing where they do not", () => {
    const outputs = {
      environment: "prod",
      region: "eu-west-1",
      bucketName: "talentbase-prod-uploads",
      userName: "talentbase-backend-prod",
      policyArn: "arn:aws:iam::123456789012:policy/p",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: new Secret("s"),
      keyMaxAgeDays: 60,
      alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:talentbase-backend-prod-alerts",
    } as DeployedOutputs;
    const settings = { requireMfa: false, roundTripCheck: false, unmanagedAccessKeys: [], keyMaxIdleDays: 45 };
    const trustedCallers = ["arn:aws:iam::123456789012:role/deployer"];
    const on = { ...settings, monitoring: true, trustedCallers, monitoringRegions: ["eu-central-1"] };
    expect(verificationInputFromStack("prod", outputs, on).accessMonitoring).to.deep.equal({
      alertTopicArn: outputs.alertTopicArn,
      trustedCallers,
      monitoringRegions: ["eu-central-1"],
    });
    const { alertTopicArn: _topic, ...notDeployed } = outputs;
    expect(verificationInputFromStack("prod", notDeployed as DeployedOutputs, on).accessMonitoring).to.deep.equal({
      trustedCallers,
      monitoringRegions: ["eu-central-1"],
    });
    expect(verificationInputFromStack("prod", outputs, { ...on, monitoring: false })).not.to.have.property("accessMonitoring");
  });
});
