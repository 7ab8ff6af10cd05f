import { CIS_BENCHMARK, notAssessed, securityHubLink, type Control, type ControlIds } from "../control";

/** A control nothing the stack manages can decide; `reason` says what it is about instead, `needs` what would decide it. */
function outOfScope(id: string, ids: ControlIds, title: string, link: string, reason: string, needs: string): Control {
  return { id, ids, title, link, assess: () => notAssessed(reason, needs) };
}

const ACCOUNT = "an account-wide setting, not the stack's identity";
const ROOT = "the account's root user, which the stack never uses or manages";

/** Controls of the account or organization: listed so an audit sees them, decided elsewhere. */
export const ACCOUNT_CONTROLS: readonly Control[] = [
  outOfScope(
    "cis-1.1",
    { cis: "1.1", prowler: ["account_maintain_current_contact_details"], checkov: [], securityHub: [] },
    "The account's contact details are current",
    CIS_BENCHMARK,
    ACCOUNT,
    "the account's contact information (Account Management)",
  ),
  outOfScope(
    "cis-1.2",
    { cis: "1.2", prowler: ["account_security_contact_information_is_registered"], checkov: [], securityHub: ["Account.1"] },
    "The account has a security contact",
    securityHubLink("account", "Account.1"),
    ACCOUNT,
    "the account's alternate security contact",
  ),
  outOfScope(
    "cis-1.3",
    { cis: "1.3", prowler: ["account_security_questions_are_registered_in_the_aws_account"], checkov: [], securityHub: [] },
    "The account has security questions",
    CIS_BENCHMARK,
    ACCOUNT,
    "the root user's account settings (console only)",
  ),
  outOfScope(
    "cis-1.4",
    { cis: "1.4", prowler: ["iam_no_root_access_key"], checkov: [], securityHub: ["IAM.4"] },
    "The root user has no access key",
    securityHubLink("iam", "IAM.4"),
    ROOT,
    "the credential report's <root_account> row",
  ),
  outOfScope(
    "cis-1.5",
    { cis: "1.5", prowler: ["iam_root_mfa_enabled"], checkov: [], securityHub: ["IAM.9"] },
    "The root user has MFA",
    securityHubLink("iam", "IAM.9"),
    ROOT,
    "GetAccountSummary (AccountMFAEnabled)",
  ),
  outOfScope(
    "cis-1.6",
    { cis: "1.6", prowler: ["iam_root_hardware_mfa_enabled"], checkov: [], securityHub: ["IAM.6"] },
    "The root user has hardware MFA",
    securityHubLink("iam", "IAM.6"),
    ROOT,
    "ListVirtualMFADevices and GetAccountSummary",
  ),
  outOfScope(
    "cis-1.7",
    { cis: "1.7", prowler: ["iam_avoid_root_usage"], checkov: [], securityHub: [] },
    "The root user is not used for daily work",
    CIS_BENCHMARK,
    ROOT,
    "the credential report's <root_account> last use",
  ),
  outOfScope(
    "cis-1.8",
    { cis: "1.8", prowler: ["iam_password_policy_minimum_length_14"], checkov: [], securityHub: ["IAM.15"] },
    "Passwords are at least 14 characters",
    securityHubLink("iam", "IAM.15"),
    `${ACCOUNT} (the password policy; the backend user has no password)`,
    "GetAccountPasswordPolicy",
  ),
  outOfScope(
    "cis-1.9",
    { cis: "1.9", prowler: ["iam_password_policy_reuse_24"], checkov: [], securityHub: ["IAM.16"] },
    "Passwords cannot be reused",
    securityHubLink("iam", "IAM.16"),
    `${ACCOUNT} (the password policy; the backend user has no password)`,
    "GetAccountPasswordPolicy",
  ),
  outOfScope(
    "iam-7",
    {
      prowler: [
        "iam_password_policy_lowercase",
        "iam_password_policy_uppercase",
        "iam_password_policy_number",
        "iam_password_policy_symbol",
        "iam_password_policy_expires_passwords_within_90_days_or_less",
      ],
      checkov: [],
      securityHub: ["IAM.7", "IAM.10", "IAM.11", "IAM.12", "IAM.13", "IAM.14", "IAM.17"],
    },
    "The password policy is strong",
    securityHubLink("iam", "IAM.7"),
    `${ACCOUNT} (the password policy; the backend user has no password)`,
    "GetAccountPasswordPolicy",
  ),
  outOfScope(
    "cis-1.17",
    { cis: "1.17", prowler: ["iam_support_role_created"], checkov: [], securityHub: ["IAM.18"] },
    "A role exists for AWS Support incidents",
    securityHubLink("iam", "IAM.18"),
    ACCOUNT,
    "ListEntitiesForPolicy on AWSSupportAccess",
  ),
  outOfScope(
    "cis-1.19",
    { cis: "1.19", prowler: ["iam_no_expired_server_certificates_stored"], checkov: [], securityHub: ["IAM.26"] },
    "No expired certificate is stored in IAM",
    securityHubLink("iam", "IAM.26"),
    ACCOUNT,
    "ListServerCertificates",
  ),
  outOfScope(
    "cis-1.20",
    { cis: "1.20", prowler: ["accessanalyzer_enabled"], checkov: [], securityHub: ["IAM.28"] },
    "IAM Access Analyzer runs in every region",
    securityHubLink("iam", "IAM.28"),
    ACCOUNT,
    "ListAnalyzers in every region",
  ),
  outOfScope(
    "cis-1.21",
    { cis: "1.21", prowler: ["iam_check_saml_providers_sts"], checkov: [], securityHub: [] },
    "People's IAM access is managed centrally",
    CIS_BENCHMARK,
    `${ACCOUNT}, about people: the backend user is a workload identity (see ckv-aws-273)`,
    "the organization's identity federation (manual in the benchmark)",
  ),
];

const MONITORING =
  "the stack does not manage it yet: the access monitoring (an SNS topic, EventBridge rules, a CloudWatch alarm) arrives with its own component";

/** Controls of what the stack is about to manage; decided once its evidence is gathered. */
export const PENDING_CONTROLS: readonly Control[] = [
  outOfScope(
    "sns-1",
    { prowler: ["sns_topics_kms_encryption_at_rest_enabled"], checkov: ["CKV_AWS_26"], securityHub: ["SNS.1"] },
    "The alert topic is encrypted with KMS",
    securityHubLink("sns", "SNS.1"),
    `${MONITORING}; its topic needs a customer managed key, since EventBridge cannot publish to one encrypted with alias/aws/sns`,
    "GetTopicAttributes (KmsMasterKeyId) of the monitoring topic",
  ),
  outOfScope(
    "cis-4.4",
    { cis: "4.4", prowler: ["cloudwatch_log_metric_filter_policy_changes"], checkov: [], securityHub: ["CloudWatch.4"] },
    "IAM policy changes raise an alarm",
    securityHubLink("cloudwatch", "CloudWatch.4"),
    `${MONITORING}; the benchmark asks for a CloudTrail metric filter account-wide, while the stack's monitoring watches its own identity through EventBridge, which these checks do not look at`,
    "the account's trail, its log group's metric filters and alarms",
  ),
  outOfScope(
    "secretsmanager-2",
    { prowler: [], checkov: [], securityHub: ["SecretsManager.2"] },
    "A configured Secrets Manager rotation succeeds",
    securityHubLink("secretsmanager", "SecretsManager.2"),
    "about Secrets Manager's own rotation, which the stack does not configure (see secretsmanager-1)",
    "DescribeSecret's last rotation outcome, were rotation configured",
  ),
];
