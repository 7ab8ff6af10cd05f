import { ourCommand } from "../../stacks/printedCommands";
import { accepted, fail, pass, prowlerLink, ROTATION_OVERLAP, securityHubLink, type Control, type Verdict } from "../control";
import { dayCount, daysSince, type Evidence, type KeyEvidence } from "../evidence";

/** CIS 1.14's limit (and Security Hub IAM.3's); the stacks' defaults (90, 60 on prod) are within it, a configured keyMaxAgeDays may not be. */
const CIS_KEY_ROTATION_DAYS = 90;

/** "AKIA... (Active, current, 12 days old, last used 2 days ago)". */
function describeKeyEvidence(key: KeyEvidence, now: Date): string {
  const used = key.lastUsedAt ? `last used ${dayCount(daysSince(key.lastUsedAt, now))} ago` : "never used";
  return `${key.id} (${key.status}, ${key.role}, ${dayCount(daysSince(key.createdAt, now))} old, ${used})`;
}

function keysLine(evidence: Evidence): string {
  const keys = evidence.keys.map((key) => describeKeyEvidence(key, evidence.now)).join("; ") || "no access keys";
  return `${keys}; rotation ${evidence.rotation}`;
}

const activeKeys = (evidence: Evidence) => evidence.keys.filter((key) => key.status === "Active");

/** The command that removes a key of the stack's user, by the role the stack gives it. */
function removalOf(evidence: Evidence, key: KeyEvidence): string {
  if (key.role === "current") return `\`${ourCommand("rotate", evidence.stack, "start")}\` replaces it`;
  if (key.role === "retiring") return `\`${ourCommand("rotate", evidence.stack, "finish")}\` retires it`;
  return `\`${ourCommand("retire-key", evidence.stack, key.id)}\` removes it`;
}

/** Days since a credential was last used, counted from its creation when it never was. */
const idleDays = (lastUsedAt: Date | undefined, createdAt: Date, now: Date) => daysSince(lastUsedAt ?? createdAt, now);

/** Active keys and a console password idle for `days` or more; the same rule at 45 (CIS, IAM.22) and 90 days (IAM.8). */
function judgeUnusedCredentials(evidence: Evidence, days: number): Verdict {
  const { now } = evidence;
  const stale = activeKeys(evidence)
    .filter((key) => idleDays(key.lastUsedAt, key.createdAt, now) >= days)
    .map((key) => `Active key ${key.id} unused for ${dayCount(idleDays(key.lastUsedAt, key.createdAt, now))}: ${removalOf(evidence, key)}`);
  const { loginProfileCreatedAt: profile } = evidence;
  if (profile && idleDays(evidence.user.passwordLastUsedAt, profile, now) >= days) {
    stale.push(`the console password is unused for ${dayCount(idleDays(evidence.user.passwordLastUsedAt, profile, now))}: delete the login profile`);
  }
  const line = `${keysLine(evidence)}; console password: ${profile ? "yes" : "none"}`;
  if (stale.length > 0) return fail(stale.join("; "), line);
  return pass(`every Active credential was used within the last ${days} days (a key never used counts from its creation)`, line);
}

export const keyNotMadeAtConsoleUserSetup: Control = {
  id: "cis-1.11",
  ids: { cis: "1.11", prowler: ["iam_user_no_setup_initial_access_key"], checkov: [], securityHub: [] },
  title: "A console user gets no access key it never uses",
  link: prowlerLink("iam_user_no_setup_initial_access_key"),
  assess({ evidence }) {
    const line = `console password: ${evidence.loginProfileCreatedAt ? "yes" : "none"}; ${keysLine(evidence)}`;
    if (!evidence.loginProfileCreatedAt) return pass("the user has no console password, so its access key is its only credential, made for use", line);
    const neverUsed = activeKeys(evidence).filter((key) => !key.lastUsedAt);
    if (neverUsed.length === 0) return pass("the user has a console password, and each of its Active keys has been used", line);
    return fail(
      `the user has a console password and Active key(s) never used: ${neverUsed.map((key) => `${key.id}: ${removalOf(evidence, key)}`).join("; ")}`,
      line,
    );
  },
};

export const credentialsUnused45Days: Control = {
  id: "cis-1.12",
  ids: { cis: "1.12", prowler: ["iam_user_accesskey_unused", "iam_user_console_access_unused"], checkov: [], securityHub: ["IAM.22"] },
  title: "No credential of the user sits unused for 45 days",
  link: securityHubLink("iam", "IAM.22"),
  assess: ({ evidence }) => judgeUnusedCredentials(evidence, 45),
};

export const credentialsUnused90Days: Control = {
  id: "iam-8",
  ids: { prowler: ["iam_user_accesskey_unused", "iam_user_console_access_unused"], checkov: [], securityHub: ["IAM.8"] },
  title: "No credential of the user sits unused for 90 days",
  link: securityHubLink("iam", "IAM.8"),
  assess: ({ evidence }) => judgeUnusedCredentials(evidence, 90),
};

export const oneActiveKey: Control = {
  id: "cis-1.13",
  ids: { cis: "1.13", prowler: ["iam_user_two_active_access_key"], checkov: [], securityHub: [] },
  title: "The user has at most one Active access key",
  link: prowlerLink("iam_user_two_active_access_key"),
  assess({ evidence }) {
    const active = activeKeys(evidence);
    const line = keysLine(evidence);
    if (active.length <= 1) return pass(active.length === 0 ? "no Active key" : `one Active key, ${active[0]!.id}`, line);
    const rotating = evidence.rotation === "started" && active.every((key) => key.role === "current" || key.role === "retiring");
    if (rotating) {
      // The second Active key is the rotation itself: consumers move to the new key before the old one goes.
      return accepted(
        `two Active keys while a rotation is open (the new key and the old one its consumers are leaving); transient: \`${ourCommand("rotate", evidence.stack, "finish")}\` ends it`,
        line,
        ROTATION_OVERLAP,
      );
    }
    const extra = active.filter((key) => key.role !== "current");
    return fail(
      `${active.length} Active keys outside an open rotation: ${extra.map((key) => `${key.id} (${key.role}): ${removalOf(evidence, key)}`).join("; ")}`,
      line,
    );
  },
};

export const keysRotatedWithin90Days: Control = {
  id: "cis-1.14",
  ids: { cis: "1.14", prowler: ["iam_rotate_access_key_90_days"], checkov: [], securityHub: ["IAM.3"] },
  title: "No Active access key is older than 90 days",
  link: securityHubLink("iam", "IAM.3"),
  assess({ evidence }) {
    const line = `${keysLine(evidence)}; the stack's own limit ${evidence.keyMaxAgeDays} days`;
    const overdue = activeKeys(evidence).filter((key) => daysSince(key.createdAt, evidence.now) > CIS_KEY_ROTATION_DAYS);
    if (overdue.length > 0) {
      return fail(
        overdue.map((key) => `Active key ${key.id} is ${dayCount(daysSince(key.createdAt, evidence.now))} old: ${removalOf(evidence, key)}`).join("; "),
        line,
      );
    }
    const ownLimit =
      evidence.keyMaxAgeDays <= CIS_KEY_ROTATION_DAYS
        ? `the stack rotates at ${evidence.keyMaxAgeDays} days, within it`
        : `but the stack's keyMaxAgeDays ${evidence.keyMaxAgeDays} lets keys pass it before verification asks for rotation`;
    return pass(`every Active key is at most ${CIS_KEY_ROTATION_DAYS} days old; ${ownLimit}`, line);
  },
};
