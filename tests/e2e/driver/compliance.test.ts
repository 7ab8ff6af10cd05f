import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AttachUserPolicyCommand, CreatePolicyCommand, DetachUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect } from "chai";
import type { ComplianceJson } from "../../../automation/compliance";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { openSandboxAccount, LOCAL_USER, type SandboxAccount } from "../../../harness/sandboxAccount";

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/** The line of one control in the human report, by one of its ids. */
function lineOf(report: string, id: string): string {
  const line = report.split("\n").find((candidate) => candidate.startsWith("[") && candidate.includes(id));
  expect(line, `a line for ${id}`).to.not.equal(undefined);
  return line!;
}

describe("verify --compliance: the stack judged against the benchmarks' controls, against moto", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let scratch: string;

  const setLocalConfig = async (entries: Record<string, string>) => {
    const file = path.join(account.project.dir, "Pulumi.local.yaml");
    const lines = Object.entries(entries).map(([key, value]) => `  talentbase-iam:${key}: "${value}"`);
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n${lines.join("\n")}\n`);
  };

  before(async () => {
    account = await openSandboxAccount();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-compliance-"));
    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
  });
  after(async () => {
    await account?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("prints one line per control with its ids, status and evidence; exit 0 when none fails", async () => {
    const run = await runDriver("verify", ["local", "--compliance"], { env: account.env });
    expectSucceeded(run);
    expect(lineOf(run.stdout, "CIS 1.15")).to.match(
      /^\[PASS\] +Permissions reach the user only through groups \(CIS 1\.15, IAM\.2, CKV_AWS_40, iam_policy_attached_only_to_group_or_roles\): .*; evidence: attached to the user: none; inline: none; groups: talentbase-backend-local-s3$/,
    );
    expect(lineOf(run.stdout, "CKV_AWS_273")).to.match(
      /^\[ACCEPTED\] .*accepted by the architecture \(README\.md, first paragraph.*\): IAM users, not instance roles/,
    );
    expect(lineOf(run.stdout, "CIS 1.4,")).to.match(/^\[NOT_ASSESSED\] The root user has no access key .*evidence: not gathered: /);
    expect(lineOf(run.stdout, "SecretsManager.1")).to.include("the stack keeps no credentials secret");
    expect(run.stdout).to.match(/Passed: \d+ {2}Failed: 0 {2}Accepted: 4 {2}Not assessed: \d+ {2}Total: \d+\nNo control failed/);
  });

  it("--json carries the findings with every id and counts that match; --junit writes the same findings", async () => {
    const junit = path.join(scratch, "compliance.xml");
    const run = await runDriver("verify", ["local", "--compliance", "--json", "--junit", junit], { env: account.env });
    expectSucceeded(run);
    const json = JSON.parse(run.stdout) as ComplianceJson;
    expect(json.benchmark).to.equal("CIS AWS Foundations Benchmark v3.0.0");
    expect(json.findings.find((finding) => finding.id === "cis-1.15")).to.deep.include({ status: "PASS" });
    expect(json.summary.total).to.equal(json.findings.length);
    expect(json.summary.NOT_ASSESSED).to.equal(json.findings.filter((finding) => finding.status === "NOT_ASSESSED").length);
    const xml = await readFile(junit, "utf8");
    expect(xml).to.include(`<testsuites tests="${json.findings.length}" failures="0" errors="0" skipped="${json.summary.NOT_ASSESSED}">`);
    expect(xml).to.include('<property name="controls" value="CIS 1.15, IAM.2, CKV_AWS_40, iam_policy_attached_only_to_group_or_roles"/>');
  });

  it("exits 1 on a FAIL, with the control's fix on its line and one sentence on stderr", async () => {
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] };
    const { Policy } = await account.iam.send(new CreatePolicyCommand({ PolicyName: "extra-listing", PolicyDocument: JSON.stringify(document) }));
    const extra = Policy!.Arn!;
    await account.iam.send(new AttachUserPolicyCommand({ UserName: LOCAL_USER, PolicyArn: extra }));
    try {
      const run = await runDriver("verify", ["local", "--compliance"], { env: account.env });
      expect(run.code).to.equal(1);
      expect(lineOf(run.stdout, "CIS 1.15")).to.match(/^\[FAIL\] .*extra-listing is not the stack's: attach to a group instead, or remove/);
      expect(run.stderr.trim()).to.match(/^verify: stack local fails \d+ of \d+ controls: see the report above for each one's fix$/);
    } finally {
      await account.iam.send(new DetachUserPolicyCommand({ UserName: LOCAL_USER, PolicyArn: extra }));
    }
  });

  it("judges the credentials secret from DescribeSecret: its AWS managed key fails, a customer managed key passes", async () => {
    await setLocalConfig({ credentialsSecret: "true", credentialsSecretRecoveryDays: "0" });
    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
    const managed = await runDriver("verify", ["local", "--compliance"], { env: account.env });
    expect(managed.code).to.equal(1);
    expect(lineOf(managed.stdout, "CKV_AWS_149")).to.match(/^\[FAIL\] .*encrypted with AWS's managed key/);
    expect(lineOf(managed.stdout, "SecretsManager.4")).to.match(/^\[ACCEPTED\] .*renewed 0 days ago by the key's rotation/);
    expect(lineOf(managed.stdout, "SecretsManager.3")).to.match(/^\[PASS\] /);

    const kms = new KMSClient({ endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "talentbase local credentials" }));
    kms.destroy();
    await setLocalConfig({ credentialsSecretKmsKeyId: KeyMetadata!.Arn! });
    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
    const customer = await runDriver("verify", ["local", "--compliance"], { env: account.env });
    expectSucceeded(customer);
    expect(lineOf(customer.stdout, "CKV_AWS_149")).to.match(new RegExp(`^\\[PASS\\] .*encrypted with ${KeyMetadata!.Arn!}`));
  });
});
