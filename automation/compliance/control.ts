import type { Evidence } from "./evidence";
import type { PolicyGrants } from "./policyGrants";

/**
 * PASS and FAIL: the control holds or not. ACCEPTED: it does not hold, or a tool would report it as
 * not holding, and the architecture accepts that in a written sentence. NOT_ASSESSED: this stack's
 * evidence cannot decide it (an account-wide setting, or something the stack does not manage yet).
 */
export type ComplianceStatus = "PASS" | "FAIL" | "ACCEPTED" | "NOT_ASSESSED";
export const COMPLIANCE_STATUSES: readonly ComplianceStatus[] = ["PASS", "FAIL", "ACCEPTED", "NOT_ASSESSED"];

/** The same control as each benchmark or tool names it; a list is empty where that one has none. */
export interface ControlIds {
  /** Recommendation number in the CIS AWS Foundations Benchmark v3.0.0. */
  readonly cis?: string;
  /** Prowler check ids (as its CIS 3.0 and AWS FSBP compliance mappings list them). */
  readonly prowler: readonly string[];
  /** checkov ids: the resource check first, then the `aws_iam_policy_document` data source's. */
  readonly checkov: readonly string[];
  /** AWS Security Hub control ids. */
  readonly securityHub: readonly string[];
}

/** The written decision an ACCEPTED verdict rests on, and where it is written. */
export interface Acceptance {
  readonly decision: string;
  readonly source: string;
}

export interface Verdict {
  readonly status: ComplianceStatus;
  /** Why this status, in one sentence; a FAIL says what to do. */
  readonly reason: string;
  /** What was looked at, in one line. */
  readonly evidence: string;
  /** Only on ACCEPTED. */
  readonly acceptance?: Acceptance;
}

/** What a verdict is taken over: the evidence, and what the policies that apply to the user grant. */
export interface AssessmentInput {
  readonly evidence: Evidence;
  readonly grants: PolicyGrants;
}

/** One control of the catalogue. Ids are stable: JSON consumers and JUnit history key on them. */
export interface Control {
  readonly id: string;
  readonly ids: ControlIds;
  /** Our own words, not the benchmark's. */
  readonly title: string;
  /** Public documentation of the control. */
  readonly link: string;
  /** Pure: no AWS call, no clock but `evidence.now`. */
  assess(input: AssessmentInput): Verdict;
}

export const pass = (reason: string, evidence: string): Verdict => ({ status: "PASS", reason, evidence });
export const fail = (reason: string, evidence: string): Verdict => ({ status: "FAIL", reason, evidence });
export const accepted = (reason: string, evidence: string, acceptance: Acceptance): Verdict => ({ status: "ACCEPTED", reason, evidence, acceptance });
/** `needs`: what would have to be looked at to decide it. */
export const notAssessed = (reason: string, needs: string): Verdict => ({ status: "NOT_ASSESSED", reason, evidence: `not gathered: ${needs}` });

/**
 * The architecture's decision: the backend authenticates as an IAM user of its own per environment,
 * with an access key, not through an instance role or SSO.
 */
export const PROGRAMMATIC_USER_PER_ENVIRONMENT: Acceptance = {
  decision:
    "IAM users, not instance roles: each environment has one dedicated, programmatic-only IAM user (talentbase-backend-<env>), whose access key the Django backend uses.",
  source: "the architecture (README.md, first paragraph: a programmatic-only IAM user per environment)",
};

/** Why two Active keys are expected while a rotation is open. */
export const ROTATION_OVERLAP: Acceptance = {
  decision:
    "A rotation replaces the key without downtime: `rotate start` adds a key beside the old one, the Django deploy moves to it, `rotate finish` retires the old one.",
  source: "docs/rotation.md",
};

/** How the key in the secret is renewed: by the driver's rotation, which writes each new pair as a new version. */
export const ROTATION_BY_THE_DRIVER: Acceptance = {
  decision:
    "Keys rotate with `rotate start` and `rotate finish` (a new key beside the old, then the old one retired), and each new key pair is written to the secret as its new AWSCURRENT version; Secrets Manager's own rotation (a Lambda) is not used.",
  source: "docs/rotation.md and docs/django.md (Secrets Manager hand-off)",
};

/** Security Hub's documentation of a control, e.g. ("iam", "IAM.2"). */
export function securityHubLink(page: string, controlId: string): string {
  return `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html#${controlId.toLowerCase().replace(".", "-")}`;
}

export function prowlerLink(checkId: string): string {
  return `https://hub.prowler.com/check/${checkId}`;
}

/** checkov's policy index for Terraform, where every id above is listed with the resources it checks. */
export const CHECKOV_INDEX = "https://www.checkov.io/5.Policy%20Index/terraform.html";

/** The benchmark's own page (the document needs a free CIS account). */
export const CIS_BENCHMARK = "https://www.cisecurity.org/benchmark/amazon_web_services";
