import { CHECKOV_INDEX, fail, pass, type AssessmentInput, type Control, type Verdict } from "../control";
import { unconstrained, type Grant } from "../policyGrants";

/**
 * Actions whose response carries credentials (an access key, a session, a password, a token), after
 * the list cloudsplaining keeps for CKV_AWS_287; the ones this account's services could plausibly use.
 */
export const CREDENTIAL_RETURNING_ACTIONS: readonly string[] = [
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "sts:GetFederationToken",
  "sts:GetSessionToken",
  "ec2:GetPasswordData",
  "codeartifact:GetAuthorizationToken",
  "ecr-public:GetAuthorizationToken",
  "rds-db:Connect",
  "redshift:GetClusterCredentials",
  "redshift-serverless:GetCredentials",
  "cognito-identity:GetCredentialsForIdentity",
  "lightsail:GetInstanceAccessDetails",
  "lightsail:GetRelationalDatabaseMasterUserPassword",
  "lightsail:CreateBucketAccessKey",
  "appsync:CreateApiKey",
];

/** Read actions that hand out stored data or secrets (cloudsplaining's data exfiltration list). */
export const DATA_READING_ACTIONS: readonly string[] = [
  "s3:GetObject",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "secretsmanager:GetSecretValue",
];

/** Single actions outside IAM that run code with another identity's permissions (cloudsplaining's escalation methods). */
const ESCALATING_ACTIONS_OUTSIDE_IAM: readonly string[] = [
  "lambda:UpdateFunctionCode",
  "glue:UpdateDevEndpoint",
  "sagemaker:CreatePresignedNotebookInstanceUrl",
];

const sameAction = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const inList = (list: readonly string[]) => (grant: Grant) => list.some((action) => sameAction(action, grant.action));

const NAMED = 5;
/** "s3:GetObject (policy X), ...", at most NAMED of them and a count of the rest. */
function describeGrants(grants: readonly Grant[]): string {
  const unique = [...new Map(grants.map((grant) => [`${grant.action} ${grant.policy}`, grant])).values()];
  const named = unique
    .slice(0, NAMED)
    .map((grant) => `${grant.action} (${grant.policy})`)
    .join(", ");
  return unique.length > NAMED ? `${named} and ${unique.length - NAMED} more` : named;
}

function judgeGrants(input: AssessmentInput, offending: (grant: Grant) => boolean, passing: string, failing: string): Verdict {
  const { policies, grants } = input.grants;
  const line = `${grants.length} grants from ${policies.length} policies: ${policies.map((policy) => policy.label).join("; ") || "none"}`;
  const found = grants.filter(offending);
  if (found.length === 0) return pass(passing, line);
  return fail(`${failing}: ${describeGrants(found)}`, line);
}

export const noPrivilegeEscalation: Control = {
  id: "ckv-aws-286",
  ids: {
    prowler: ["iam_policy_allows_privilege_escalation", "iam_inline_policy_allows_privilege_escalation"],
    checkov: ["CKV_AWS_286", "CKV_AWS_110"],
    securityHub: [],
  },
  title: "The user's policies give it no way to raise its own permissions",
  link: CHECKOV_INDEX,
  // Stricter than cloudsplaining's combinations: any IAM or STS write, on any resource, could be one.
  assess: (input) =>
    judgeGrants(
      input,
      (grant) =>
        (/^(iam|sts):/i.test(grant.action) && (grant.accessLevel === "Write" || grant.accessLevel === "Permissions management")) ||
        inList(ESCALATING_ACTIONS_OUTSIDE_IAM)(grant),
      "no IAM or STS write or permissions-management action, and no code-swapping action, on any resource",
      "granted, each a way to act with more permissions",
    ),
};

export const noCredentialsExposure: Control = {
  id: "ckv-aws-287",
  ids: { prowler: [], checkov: ["CKV_AWS_287", "CKV_AWS_107"], securityHub: [] },
  title: "The user's policies grant no action that hands out credentials",
  link: CHECKOV_INDEX,
  // Stricter than checkov, which looks only at grants without constraints: the backend needs none of these anywhere.
  assess: (input) => judgeGrants(input, inList(CREDENTIAL_RETURNING_ACTIONS), "no credential-returning action is granted, on any resource", "granted"),
};

export const noDataExfiltration: Control = {
  id: "ckv-aws-288",
  ids: { prowler: [], checkov: ["CKV_AWS_288", "CKV_AWS_108"], securityHub: [] },
  title: "The user's policies grant no data read on every resource",
  link: CHECKOV_INDEX,
  assess: (input) =>
    judgeGrants(
      input,
      (grant) => unconstrained(grant) && inList(DATA_READING_ACTIONS)(grant),
      "data reads (s3:GetObject and the like) are granted only on named resources",
      "granted without resource constraints",
    ),
};

export const noUnconstrainedPermissionsManagement: Control = {
  id: "ckv-aws-289",
  ids: { prowler: [], checkov: ["CKV_AWS_289", "CKV_AWS_109"], securityHub: [] },
  title: "The user's policies grant no permissions-management action on every resource",
  link: CHECKOV_INDEX,
  assess: (input) =>
    judgeGrants(
      input,
      (grant) => unconstrained(grant) && grant.accessLevel === "Permissions management",
      "permissions-management actions are granted only on named resources",
      "granted without resource constraints",
    ),
};

export const noUnconstrainedWrite: Control = {
  id: "ckv-aws-290",
  ids: { prowler: [], checkov: ["CKV_AWS_290", "CKV_AWS_111"], securityHub: [] },
  title: "The user's policies grant no write action on every resource",
  link: CHECKOV_INDEX,
  assess: (input) =>
    judgeGrants(
      input,
      (grant) => unconstrained(grant) && grant.accessLevel === "Write",
      "write actions are granted only on named resources",
      "granted without resource constraints",
    ),
};

export const noStarResource: Control = {
  id: "ckv-aws-355",
  ids: { prowler: [], checkov: ["CKV_AWS_355"], securityHub: [] },
  title: 'No action that can be limited to resources is granted on "*"',
  link: CHECKOV_INDEX,
  assess: (input) =>
    judgeGrants(
      input,
      (grant) => grant.restrictable && grant.onEveryResource && !grant.conditional,
      "every action that takes a resource ARN is granted on named resources",
      'granted on Resource "*" without a condition',
    ),
};
