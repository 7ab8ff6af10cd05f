/**
 * The calls the driver makes itself with the operator's credentials, beside the provider's, by what
 * makes them. Their resources follow from iam-data like the provider's (the checks that sign with the
 * user's own key are not here: the user's policy allows those).
 */
export const DRIVER_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // Whose credentials these are (always allowed by IAM; listed so the policy says what is called).
  preflight: ["sts:GetCallerIdentity"],
  verification: [
    "iam:GetUser",
    "iam:ListAttachedUserPolicies",
    "iam:ListUserPolicies",
    "iam:GetUserPolicy",
    "iam:ListGroupsForUser",
    "iam:ListAttachedGroupPolicies",
    "iam:ListGroupPolicies",
    "iam:GetGroupPolicy",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListAccessKeys",
    "iam:GetAccessKeyLastUsed",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:ListUserTags",
    "iam:ListPolicyTags",
    // IAM's own evaluation of the user, preferred to the local one.
    "iam:SimulatePrincipalPolicy",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
  ],
  compliance: ["secretsmanager:DescribeSecret"],
  // What IAM holds under the stack's names (adoption, repair), and the keys an interrupted create left.
  takeover: ["iam:GetUser", "iam:GetPolicy", "iam:GetGroup", "iam:GetLoginProfile", "iam:ListEntitiesForPolicy", "iam:ListAccessKeys", "iam:DeleteAccessKey"],
  "rotation and retire-key": ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey", "iam:DeleteAccessKey"],
};

/** Actions whose iam-data resource types are all optional: the one the driver calls them on. */
export const ONLY_ON: Readonly<Record<string, string>> = {
  // PolicySourceArn is the stack's user; simulating its group or a role is not needed.
  "iam:SimulatePrincipalPolicy": "iam:user",
};
