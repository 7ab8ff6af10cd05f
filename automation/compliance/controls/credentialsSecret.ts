import { CONFIG_NAMESPACE } from "../../../infra/config";
import { ourCommand } from "../../stacks/printedCommands";
import { accepted, CHECKOV_INDEX, fail, notAssessed, pass, ROTATION_BY_THE_DRIVER, securityHubLink, type Control, type Verdict } from "../control";
import { dayCount, daysSince, type Evidence, type SecretEvidence } from "../evidence";

/** Security Hub's default for SecretsManager.3 and .4, and Prowler's for its two checks. */
const SECRET_WINDOW_DAYS = 90;

const NO_SECRET = `the stack keeps no credentials secret (${CONFIG_NAMESPACE}:credentialsSecret is off; prod's default is on)`;

/** The verdict of a secret control, or NOT_ASSESSED where the stack has no secret. */
function withSecret(evidence: Evidence, judge: (secret: SecretEvidence) => Verdict): Verdict {
  return evidence.credentialsSecret ? judge(evidence.credentialsSecret) : notAssessed(NO_SECRET, "a credentials secret");
}

const dayOf = (date: Date | undefined) => date?.toISOString().slice(0, 10) ?? "never";

export const secretRotationConfigured: Control = {
  id: "secretsmanager-1",
  ids: { prowler: ["secretsmanager_automatic_rotation_enabled"], checkov: ["CKV2_AWS_57"], securityHub: ["SecretsManager.1"] },
  title: "The secret is rotated automatically",
  link: securityHubLink("secretsmanager", "SecretsManager.1"),
  assess: ({ evidence }) =>
    withSecret(evidence, (secret) => {
      const line = `secret ${secret.name}: Secrets Manager rotation ${secret.rotationEnabled ? "on" : "off"}; value last changed ${dayOf(secret.lastChangedAt)}`;
      if (secret.rotationEnabled) return pass("Secrets Manager rotation is configured", line);
      return accepted(
        "no Secrets Manager rotation: the key pair in the secret changes with every rotation of the key, which the stack's own age limit schedules",
        line,
        ROTATION_BY_THE_DRIVER,
      );
    }),
};

export const secretValueRenewed: Control = {
  id: "secretsmanager-4",
  ids: { prowler: ["secretsmanager_secret_rotated_periodically"], checkov: [], securityHub: ["SecretsManager.4"] },
  title: "The secret's value is renewed within 90 days",
  link: securityHubLink("secretsmanager", "SecretsManager.4"),
  assess: ({ evidence }) =>
    withSecret(evidence, (secret) => {
      const changed = secret.lastChangedAt ?? secret.createdAt;
      const age = daysSince(changed, evidence.now);
      const line = `secret ${secret.name}: value last changed ${dayOf(changed)} (${dayCount(age)} ago); Secrets Manager rotation ${secret.rotationEnabled ? "on" : "off"}`;
      if (age > SECRET_WINDOW_DAYS) {
        return fail(`the value is ${dayCount(age)} old: \`${ourCommand("rotate", evidence.stack, "start")}\` writes a new key pair`, line);
      }
      if (secret.rotationEnabled) return pass(`renewed ${dayCount(age)} ago by Secrets Manager rotation`, line);
      // Both tools read the date of a Secrets Manager rotation, which a new version written by the driver does not set.
      return accepted(
        `renewed ${dayCount(age)} ago by the key's rotation; Security Hub and Prowler count only Secrets Manager rotations, so they report it as never rotated`,
        line,
        ROTATION_BY_THE_DRIVER,
      );
    }),
};

export const secretInUse: Control = {
  id: "secretsmanager-3",
  ids: { prowler: ["secretsmanager_secret_unused"], checkov: [], securityHub: ["SecretsManager.3"] },
  title: "The secret is read within 90 days",
  link: securityHubLink("secretsmanager", "SecretsManager.3"),
  assess: ({ evidence }) =>
    withSecret(evidence, (secret) => {
      const idle = daysSince(secret.lastAccessedAt ?? secret.createdAt, evidence.now);
      const line = `secret ${secret.name}: last read ${dayOf(secret.lastAccessedAt)}, created ${dayOf(secret.createdAt)}`;
      if (idle <= SECRET_WINDOW_DAYS) return pass(secret.lastAccessedAt ? `read ${dayCount(idle)} ago` : `created ${dayCount(idle)} ago, not read yet`, line);
      return fail(
        `nothing has read the secret for ${dayCount(idle)}: is the Django deploy reading it? If not, turn ${CONFIG_NAMESPACE}:credentialsSecret off`,
        line,
      );
    }),
};

export const secretEncryptedWithCustomerKey: Control = {
  id: "ckv-aws-149",
  ids: { prowler: [], checkov: ["CKV_AWS_149"], securityHub: [] },
  title: "The secret is encrypted with a customer managed KMS key",
  link: CHECKOV_INDEX,
  assess: ({ evidence }) =>
    withSecret(evidence, (secret) => {
      const line = `secret ${secret.name}: KMS key ${secret.kmsKeyId ?? "aws/secretsmanager (AWS managed)"}`;
      if (secret.kmsKeyId) return pass(`encrypted with ${secret.kmsKeyId}`, line);
      return fail(
        `encrypted with AWS's managed key: set ${CONFIG_NAMESPACE}:credentialsSecretKmsKeyId to a customer managed key, then \`${ourCommand("provision", evidence.stack)}\``,
        line,
      );
    }),
};
