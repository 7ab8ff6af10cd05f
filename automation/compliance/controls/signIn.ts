import { ourCommand } from "../../stacks/printedCommands";
import { accepted, CHECKOV_INDEX, CIS_BENCHMARK, fail, pass, PROGRAMMATIC_USER_PER_ENVIRONMENT, prowlerLink, securityHubLink, type Control } from "../control";
import type { Evidence } from "../evidence";

const consoleLine = (evidence: Evidence) => `console password: ${evidence.loginProfileCreatedAt ? "yes" : "none"}; MFA devices: ${evidence.mfaDeviceCount}`;

export const consoleUsersHaveMfa: Control = {
  id: "cis-1.10",
  ids: { cis: "1.10", prowler: ["iam_user_mfa_enabled_console_access"], checkov: [], securityHub: ["IAM.5"] },
  title: "A user who can sign in to the console has MFA",
  link: securityHubLink("iam", "IAM.5"),
  assess({ evidence }) {
    const line = consoleLine(evidence);
    // The control is about console sign-in; a user without a password is outside it, as the tools report.
    if (!evidence.loginProfileCreatedAt) return pass("the user has no console password, so there is no sign-in for MFA to protect", line);
    if (evidence.mfaDeviceCount > 0) return pass("the user has a console password and an MFA device", line);
    return fail("the user has a console password and no MFA device: delete the login profile (the backend user is programmatic-only)", line);
  },
};

export const everyUserHasMfa: Control = {
  id: "iam-19",
  ids: { prowler: [], checkov: [], securityHub: ["IAM.19"] },
  title: "Every IAM user has MFA, console or not",
  link: securityHubLink("iam", "IAM.19"),
  assess({ evidence }) {
    const line = consoleLine(evidence);
    if (evidence.mfaDeviceCount > 0) return pass(`the user has ${evidence.mfaDeviceCount} MFA device(s)`, line);
    if (evidence.loginProfileCreatedAt) return fail("the user has a console password and no MFA device: delete the login profile", line);
    // An access key signs requests without MFA; a server process cannot answer an MFA prompt.
    return accepted(
      "no MFA device on a user that has no console password: MFA would protect no sign-in, and access-key requests never carry it",
      line,
      PROGRAMMATIC_USER_PER_ENVIRONMENT,
    );
  },
};

export const noIamUsers: Control = {
  id: "ckv-aws-273",
  ids: { prowler: [], checkov: ["CKV_AWS_273"], securityHub: [] },
  title: "Access goes through SSO rather than IAM users",
  link: CHECKOV_INDEX,
  assess: ({ evidence }) =>
    accepted(`the backend's identity is the IAM user ${evidence.user.name} by design`, `user ${evidence.user.arn}`, PROGRAMMATIC_USER_PER_ENVIRONMENT),
};

export const temporaryCredentials: Control = {
  id: "iam-user-temporary-credentials",
  ids: { prowler: ["iam_user_with_temporary_credentials"], checkov: [], securityHub: [] },
  title: "Users reach services with temporary credentials, not long-lived keys",
  link: prowlerLink("iam_user_with_temporary_credentials"),
  assess({ evidence }) {
    const used = evidence.keys.filter((key) => key.lastUsedAt).map((key) => key.id);
    const line = `keys used: ${used.join(", ") || "none yet"}`;
    return accepted("the user reaches S3 with its long-lived access key by design; rotation bounds the key's life", line, PROGRAMMATIC_USER_PER_ENVIRONMENT);
  },
};

export const instanceRoles: Control = {
  id: "cis-1.18",
  ids: { cis: "1.18", prowler: ["ec2_instance_profile_attached"], checkov: [], securityHub: [] },
  title: "Workloads on instances use instance roles",
  link: CIS_BENCHMARK,
  assess: ({ evidence }) =>
    accepted(
      "the Django backend authenticates with its IAM user's access key wherever it runs; the stack manages no instance (Prowler's check looks at the account's EC2 instances)",
      `user ${evidence.user.arn}`,
      PROGRAMMATIC_USER_PER_ENVIRONMENT,
    ),
};

export const userTagged: Control = {
  id: "iam-25",
  ids: { prowler: [], checkov: [], securityHub: ["IAM.25"] },
  title: "The user carries tags",
  link: securityHubLink("iam", "IAM.25"),
  assess({ evidence }) {
    // Keys starting with aws: are AWS's own; Security Hub does not count them.
    const own = Object.entries(evidence.user.tags).filter(([key]) => !key.toLowerCase().startsWith("aws:"));
    const line = `tags: ${own.map(([key, value]) => `${key}=${value}`).join(", ") || "none"}`;
    if (own.length > 0) return pass(`the user has ${own.length} tag(s)`, line);
    return fail(`the user has no tags: \`${ourCommand("provision", evidence.stack)}\` restores the program's`, line);
  },
};
