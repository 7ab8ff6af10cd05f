import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { djangoSecretReadPolicy } from "../../consumers/django/readGrant";

const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/talentbase-django`;
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:talentbase/prod/aws-credentials-AbCdEf`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** KMS's default key policy: it lets IAM policies of the account decide, as a key made for this would. */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** How IAM decides `action` on `resource` for a role holding only the read grant (iam-simulate). */
async function decision(policy: unknown, action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
  const response = await runSimulation(
    {
      request: { principal: ROLE, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
      identityPolicies: [{ name: "talentbase-credentials-read", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith("kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

/** The JSON document docs/django.md shows Django's deploy, parsed. */
function documentedGrant(): unknown {
  const doc = readFileSync(path.join(REPO_ROOT, "docs", "django.md"), "utf8");
  const block = /\*\*Django needs its own read permission\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/django.md no longer shows the read grant after 'Django needs its own read permission'");
  return JSON.parse(block);
}

describe("the read grant Django's own role needs (docs/django.md)", () => {
  const policy = djangoSecretReadPolicy({ secretArn: SECRET_ARN });

  it("is the document docs/django.md shows, for the secret and key ARNs it names", () => {
    expect(documentedGrant()).to.deep.equal(djangoSecretReadPolicy({ secretArn: SECRET_ARN, kmsKeyArn: KEY_ARN }));
  });

  it("is GetSecretValue on the one secret ARN, nothing else", () => {
    expect(policy).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Sid: "ReadTalentbaseCredentialsSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN }],
    });
  });

  it("lets the role read that secret, and no other secret, and write or delete none", async () => {
    expect(await decision(policy, "secretsmanager:GetSecretValue", SECRET_ARN)).to.equal("Allowed");
    const otherSecret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:talentbase/prod/database-XyZ123`;
    expect(await decision(policy, "secretsmanager:GetSecretValue", otherSecret)).to.equal("ImplicitlyDenied");
    expect(await decision(policy, "secretsmanager:PutSecretValue", SECRET_ARN)).to.equal("ImplicitlyDenied");
    expect(await decision(policy, "secretsmanager:DeleteSecret", SECRET_ARN)).to.equal("ImplicitlyDenied");
  });

  it("adds kms:Decrypt of the customer key, only through Secrets Manager in the secret's region", async () => {
    const withKey = djangoSecretReadPolicy({ secretArn: SECRET_ARN, kmsKeyArn: KEY_ARN });
    expect(withKey.Statement[1]).to.deep.equal({
      Sid: "DecryptTalentbaseCredentialsSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: KEY_ARN,
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    });
    expect(await decision(withKey, "kms:Decrypt", KEY_ARN, { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" })).to.equal("Allowed");
    expect(await decision(withKey, "kms:Decrypt", KEY_ARN, { "kms:ViaService": "s3.us-east-1.amazonaws.com" })).to.equal("ImplicitlyDenied");
    expect(await decision(policy, "kms:Decrypt", KEY_ARN, { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" })).to.equal("ImplicitlyDenied");
  });
});
