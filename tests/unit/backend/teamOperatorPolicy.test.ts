import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { buildOperatorPolicy } from "../../../automation/operator/operatorPolicy";
import { REPO_ROOT } from "../../../automation/projectPaths";

const ACCOUNT = "123456789012";
const OPERATOR = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BUCKET = "arn:aws:s3:::talentbase-pulumi-state";
const DEV_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const PROD_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;

/** KMS's default key policy, as `aws kms create-key` gives it: IAM policies of the account decide. */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** The operator statement exactly as docs/team-backend.md prints it: the first JSON block of its section. */
async function documentedOperatorPolicy(): Promise<unknown> {
  const doc = await readFile(path.join(REPO_ROOT, "docs", "team-backend.md"), "utf8");
  const heading = doc.indexOf("\n## What each operator needs in IAM\n");
  if (heading < 0) throw new Error("docs/team-backend.md has no section 'What each operator needs in IAM'");
  const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(heading))?.[1];
  if (!block) throw new Error("docs/team-backend.md has no operator statement");
  return JSON.parse(block);
}

async function decision(policy: unknown, action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
  const response = await runSimulation(
    {
      request: { principal: OPERATOR, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
      identityPolicies: [{ name: "talentbase-iam-state", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith("kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe("the operator policy for the team's state (docs/team-backend.md, iam-simulate)", () => {
  let policy: unknown;
  before(async () => {
    policy = await documentedOperatorPolicy();
  });

  it("allows what the CLI does with the state: list folders under .pulumi/, read, write and delete checkpoints and locks", async () => {
    for (const prefix of [".pulumi/", ".pulumi/stacks/talentbase-iam/dev.json", ".pulumi/locks/organization/talentbase-iam/dev/"]) {
      expect(await decision(policy, "s3:ListBucket", BUCKET, { "s3:prefix": prefix }), prefix).to.equal("Allowed");
    }
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
      expect(await decision(policy, action, `${BUCKET}/.pulumi/locks/organization/talentbase-iam/dev/0a1b.json`), action).to.equal("Allowed");
      expect(await decision(policy, action, `${BUCKET}/.pulumi/stacks/talentbase-iam/dev.json`), action).to.equal("Allowed");
    }
  });

  it("allows Decrypt and Encrypt with dev's key, nothing else of KMS and no other key", async () => {
    expect(await decision(policy, "kms:Decrypt", DEV_KEY)).to.equal("Allowed");
    expect(await decision(policy, "kms:Encrypt", DEV_KEY)).to.equal("Allowed");
    expect(await decision(policy, "kms:Decrypt", PROD_KEY)).to.equal("ImplicitlyDenied");
    for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:GenerateDataKey"]) {
      expect(await decision(policy, action, DEV_KEY), action).to.equal("ImplicitlyDenied");
    }
  });

  it("is the policy `operator-policy` derives for dev on that bucket with dev's key", async () => {
    const derived = await buildOperatorPolicy({
      settings: {
        environment: "dev",
        region: "us-east-1",
        partition: "aws",
        userPath: "/",
        bucketName: "talentbase-dev-uploads",
        credentialsSecret: false,
        credentialsSecretName: "talentbase/dev/aws-credentials",
        monitoring: false,
      },
      account: ACCOUNT,
      backendUrl: "s3://talentbase-pulumi-state?region=us-east-1",
      secretsProvider: `awskms:///${DEV_KEY}?region=us-east-1`,
    });
    expect(policy).to.deep.equal(derived);
  });

  it("denies the rest of the bucket and its administration", async () => {
    expect(await decision(policy, "s3:ListBucket", BUCKET, { "s3:prefix": "" })).to.equal("ImplicitlyDenied");
    expect(await decision(policy, "s3:GetObject", `${BUCKET}/other-project/state.json`)).to.equal("ImplicitlyDenied");
    for (const action of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]) {
      expect(
        await decision(policy, action, action === "s3:DeleteObjectVersion" ? `${BUCKET}/.pulumi/stacks/talentbase-iam/dev.json` : BUCKET),
        action,
      ).to.equal("ImplicitlyDenied");
    }
  });
});
