import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  DetachGroupPolicyCommand,
  EnableMFADeviceCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UntagPolicyCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { buildUploadsPolicy } from "../../../infra/policy";
import { awsCliCommand } from "../../../automation/stacks/printedCommands";
import type { VerificationInput } from "../../../automation/verify";
import { PROBE_PREFIX } from "../../../automation/verify/policy/accessRequests";
import { startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { adminClients, provisionStack, type AdminClients } from "./fixture";
import { checkOf, verifyOnMoto } from "./helpers";
import { Secret } from "../../../automation/secret";

const ALLOW_EVERYTHING_ON_S3 = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Wildcard", Effect: "Allow", Action: "s3:*", Resource: "*" }],
});

describe("verification checks against moto", () => {
  let moto: MotoServer;
  let admin: AdminClients;
  let input: VerificationInput;

  before(async () => {
    moto = await startMoto();
    admin = adminClients(moto);
  });
  after(async () => {
    admin?.destroy();
    await moto?.stop();
  });
  beforeEach(async () => {
    input = await provisionStack(admin);
  });
  afterEach(() => moto.reset());

  const verify = (stackInput: VerificationInput = input) => verifyOnMoto(moto, stackInput);

  /** Makes a new default version of the stack policy, as someone editing it in the console would. */
  const replacePolicyDocument = (document: unknown) =>
    admin.iam.send(new CreatePolicyVersionCommand({ PolicyArn: input.policyArn, PolicyDocument: JSON.stringify(document), SetAsDefault: true }));
  const expectedPolicy = () => buildUploadsPolicy({ bucketName: input.bucketName, partition: "aws" });

  describe("a correctly provisioned stack", () => {
    it("passes every check except the advisory MFA warning, the secret check and the access monitoring (neither here), and the summary agrees", async () => {
      const report = await verify();
      const notPassing = report.checks.filter((check) => check.status !== "PASS").map((check) => `${check.id}=${check.status}`);
      expect(notPassing).to.deep.equal(["mfa=WARN", "credentials-secret=SKIP", "access-monitoring=SKIP"]);
      expect(report.summary).to.deep.equal({ PASS: report.checks.length - 3, WARN: 1, FAIL: 0, SKIP: 2, total: report.checks.length });
    });

    it("names the evaluator that ran: the local one, because moto has no SimulatePrincipalPolicy, and why only in the report's note", async () => {
      const report = await verify();
      expect(checkOf(report, "least-privilege").detail).to.match(/\(evaluated locally by iam-simulate\)$/);
      expect(checkOf(report, "least-privilege").detail).not.to.include("SimulatePrincipalPolicy");
      expect(report.policyEvaluation?.evaluator).to.equal("locally by iam-simulate");
      expect(report.policyEvaluation?.fallbackReason).to.match(/^SimulatePrincipalPolicy failed: .*HTTP 500$/);
    });
  });

  describe("1 user-exists", () => {
    it("fails for a user that does not exist", async () => {
      const report = await verify({ ...input, userName: "talentbase-backend-missing" });
      expect(checkOf(report, "user-exists")).to.include({ status: "FAIL" });
      expect(checkOf(report, "user-exists").detail).to.match(/does not exist/);
    });
  });

  describe("2 policy-attached: the policy only through the stack's group", () => {
    const groupName = () => `${input.userName}-s3`;

    it("passes the program's layout, naming the group", async () => {
      expect(checkOf(await verify(), "policy-attached").detail).to.equal(`${input.policyArn} reaches ${input.userName} only through group ${groupName()}`);
    });

    it("fails when the policy is detached from the group out-of-band, and the user then may not list the bucket", async () => {
      await admin.iam.send(new DetachGroupPolicyCommand({ GroupName: groupName(), PolicyArn: input.policyArn }));
      const report = await verify();
      expect(checkOf(report, "policy-attached").status).to.equal("FAIL");
      expect(checkOf(report, "policy-attached").detail).to.equal(
        `${input.policyArn} is not attached to group ${groupName()}: \`npm run provision -- local --refresh\` puts the group back`,
      );
      expect(checkOf(report, "policy-allows-list-bucket").status).to.equal("FAIL");
    });

    it("fails when the user leaves the group", async () => {
      await admin.iam.send(new RemoveUserFromGroupCommand({ GroupName: groupName(), UserName: input.userName }));
      const report = await verify();
      expect(checkOf(report, "policy-attached").detail).to.match(new RegExp(`^${input.userName} is not a member of group ${groupName()}: `));
      expect(checkOf(report, "least-privilege").status).to.equal("FAIL");
    });

    it("fails the policy attached to the user directly as well, with the command that detaches it (the group grants it)", async () => {
      await admin.iam.send(new AttachUserPolicyCommand({ UserName: input.userName, PolicyArn: input.policyArn }));
      const report = await verify();
      expect(checkOf(report, "policy-attached").detail).to.equal(
        `${input.policyArn} is attached to the user directly: the group grants the policy, so \`${awsCliCommand("local", "iam", "detach-user-policy", "--user-name", input.userName, "--policy-arn", input.policyArn)}\``,
      );
      expect(checkOf(report, "policy-drift")).to.deep.include({ status: "WARN" });
      expect(checkOf(report, "least-privilege").status, "the same grants twice").to.equal("PASS");
    });

    it("fails an inline policy of the user's own", async () => {
      await admin.iam.send(new PutUserPolicyCommand({ UserName: input.userName, PolicyName: "sneaky", PolicyDocument: ALLOW_EVERYTHING_ON_S3 }));
      expect(checkOf(await verify(), "policy-attached").detail).to.equal(
        "the user has policies of its own: inline sneaky: attach those to a group instead, or remove them",
      );
    });
  });

  describe("3 access-keys", () => {
    it("fails when the stack key is deactivated", async () => {
      await admin.iam.send(new UpdateAccessKeyCommand({ UserName: input.userName, AccessKeyId: input.accessKeyId, Status: "Inactive" }));
      const check = checkOf(await verify(), "access-keys");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(new RegExp(`^stack key ${input.accessKeyId} is Inactive`));
    });

    it("fails when the stack key is deleted even though another key is Active", async () => {
      await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
      await admin.iam.send(new DeleteAccessKeyCommand({ UserName: input.userName, AccessKeyId: input.accessKeyId }));
      const check = checkOf(await verify(), "access-keys");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(new RegExp(`stack key ${input.accessKeyId} does not exist`));
    });

    it("fails a second Active key the stack does not know, with its last use and the command that removes it", async () => {
      const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
      const check = checkOf(await verify(), "access-keys");
      expect(check.status).to.equal("FAIL");
      expect(check.detail)
        .to.include(`an Active key the stack does not know: ${AccessKey!.AccessKeyId} (Active, 0 days old, never used)`)
        .and.include(`\`npm run retire-key -- ${input.stack} ${AccessKey!.AccessKeyId}\``);
    });

    it("warns about a key adopted from setup-iam.sh, with its age, until it is retired", async () => {
      const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
      await moto.ageAccessKey(input.userName, AccessKey!.AccessKeyId!, 40.5);
      const check = checkOf(await verify({ ...input, unmanagedAccessKeyIds: [AccessKey!.AccessKeyId!] }), "access-keys");
      expect(check.status).to.equal("WARN");
      expect(check.detail).to.include(`unmanaged key ${AccessKey!.AccessKeyId} (Active, 40 days old`);
    });

    it("reports the old key of an open rotation and its age; past the limit a warning naming the finish, never a FAIL", async () => {
      const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
      const rotating = {
        ...input,
        accessKeyId: AccessKey!.AccessKeyId!,
        secretAccessKey: new Secret(AccessKey!.SecretAccessKey!),
        retiringAccessKeyId: input.accessKeyId,
      };
      await moto.ageAccessKey(input.userName, input.accessKeyId, 80.5);
      const report = await verify(rotating);
      expect(checkOf(report, "access-keys")).to.deep.include({ status: "PASS" });
      expect(checkOf(report, "access-keys").detail).to.match(/^rotation open/);
      expect(checkOf(report, "access-key-age").status).to.equal("PASS");
      expect(checkOf(report, "access-key-age").detail).to.include(`old key ${input.accessKeyId} of the open rotation is 80 days old (limit 90)`);
      await moto.ageAccessKey(input.userName, input.accessKeyId, 95.5);
      const overAge = checkOf(await verify(rotating), "access-key-age");
      expect(overAge.status, "the rotation removes an old key past the limit: a warning, not a failure").to.equal("WARN");
      expect(overAge.detail).to.include(
        `old key ${input.accessKeyId} of the open rotation is 95 days old (limit 90), past the limit: \`npm run rotate -- ${input.stack} finish\` retires it`,
      );
    });
  });

  describe("4 and 5: required actions, evaluated", () => {
    it("fails ListBucket when a new default version drops it", async () => {
      const [objects, bucket] = expectedPolicy().Statement;
      await replacePolicyDocument({ ...expectedPolicy(), Statement: [objects, { ...bucket, Action: ["s3:GetBucketLocation"] }] });
      const report = await verify();
      expect(checkOf(report, "policy-allows-list-bucket").status).to.equal("FAIL");
      expect(checkOf(report, "policy-allows-put-object").status).to.equal("PASS");
    });

    it("reports each object action: only the dropped DeleteObject fails", async () => {
      const [objects, bucket] = expectedPolicy().Statement;
      await replacePolicyDocument({
        ...expectedPolicy(),
        Statement: [{ ...objects, Action: ["s3:PutObject", "s3:GetObject", "s3:PutObjectAcl"] }, bucket],
      });
      const report = await verify();
      expect(checkOf(report, "policy-allows-put-object").status).to.equal("PASS");
      expect(checkOf(report, "policy-allows-get-object").status).to.equal("PASS");
      expect(checkOf(report, "policy-allows-delete-object").status).to.equal("FAIL");
      expect(checkOf(report, "policy-allows-delete-object").detail).to.match(/s3:DeleteObject .*implicitly denied/);
    });
  });

  describe("6 bucket-reachable", () => {
    it("fails when the bucket is missing", async () => {
      await moto.reset();
      input = await provisionStack(admin, { createBucket: false });
      const check = checkOf(await verify(), "bucket-reachable");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/NoSuchBucket/);
    });
  });

  describe("7 access-key-age", () => {
    it("warns in the last 10% before the limit and says when rotation is due", async () => {
      // Half a day of margin: the SDK parses moto's microsecond timestamps to the nearest millisecond.
      await moto.ageAccessKey(input.userName, input.accessKeyId, 85.5);
      const check = checkOf(await verify(), "access-key-age");
      expect(check.status).to.equal("WARN");
      expect(check.detail).to.match(/85 days old \(limit 90\): rotate by \d{4}-\d{2}-\d{2}/);
    });

    it("fails past the limit", async () => {
      await moto.ageAccessKey(input.userName, input.accessKeyId, 95.5);
      const check = checkOf(await verify(), "access-key-age");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/rotation overdue/);
    });

    it("uses the stack's limit: 70 days passes in dev but fails in prod", async () => {
      await moto.ageAccessKey(input.userName, input.accessKeyId, 70);
      expect(checkOf(await verify(), "access-key-age").status).to.equal("PASS");
      expect(checkOf(await verify({ ...input, keyMaxAgeDays: 60 }), "access-key-age").status).to.equal("FAIL");
    });
  });

  describe("access-key-idle (CIS 1.12)", () => {
    it("judges IAM's record as it stood before this verification used the key: idle stays idle, a warning on dev and a failure on prod", async () => {
      await verify();
      await moto.ageAccessKeyLastUse(input.userName, input.accessKeyId, 50.5);
      const dev = checkOf(await verify(), "access-key-idle");
      expect(dev.status, "the run's own calls with the key came after the read").to.equal("WARN");
      expect(dev.detail).to.include(`key ${input.accessKeyId} unused for 50 days (limit 45)`);
      expect(checkOf(await verify(), "access-key-idle").status, "the previous run's own use counts, as it does for CIS").to.equal("PASS");
      await moto.ageAccessKeyLastUse(input.userName, input.accessKeyId, 50.5);
      expect(checkOf(await verify({ ...input, environment: "prod", stack: "prod" }), "access-key-idle").status).to.equal("FAIL");
    });

    it("counts a key never used from its creation", async () => {
      await moto.ageAccessKey(input.userName, input.accessKeyId, 46.5);
      const check = checkOf(await verify({ ...input, keyMaxIdleDays: 90 }), "access-key-idle");
      expect(check.status).to.equal("PASS");
      expect(check.detail).to.equal(`used within 90 days: key ${input.accessKeyId} never used, made 46 days ago`);
    });
  });

  describe("8 console access and MFA", () => {
    it("fails when a login profile is added", async () => {
      await admin.iam.send(new CreateLoginProfileCommand({ UserName: input.userName, Password: "Correct-Horse-9-Battery" }));
      expect(checkOf(await verify(), "no-console-access").status).to.equal("FAIL");
    });

    it("fails a missing MFA device when the stack requires MFA", async () => {
      const check = checkOf(await verify({ ...input, requireMfa: true }), "mfa");
      expect(check.status).to.equal("FAIL");
    });

    it("passes with an MFA device even when required", async () => {
      const { VirtualMFADevice } = await admin.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "backend" }));
      await admin.iam.send(
        new EnableMFADeviceCommand({
          UserName: input.userName,
          SerialNumber: VirtualMFADevice!.SerialNumber!,
          AuthenticationCode1: "123456",
          AuthenticationCode2: "654321",
        }),
      );
      expect(checkOf(await verify({ ...input, requireMfa: true }), "mfa").status).to.equal("PASS");
    });
  });

  describe("9 least-privilege", () => {
    it("fails when a wildcard statement is made the default version", async () => {
      await replacePolicyDocument({ ...expectedPolicy(), Statement: [...expectedPolicy().Statement, JSON.parse(ALLOW_EVERYTHING_ON_S3).Statement[0]] });
      const check = checkOf(await verify(), "least-privilege");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/s3:CreateBucket on arn:aws:s3:::talentbase-local-uploads allowed/);
    });

    it("fails when the Deny statements are dropped, naming the public ACL the user could then set", async () => {
      const allowOnly = expectedPolicy().Statement.filter((statement) => statement.Effect === "Allow");
      await replacePolicyDocument({ ...expectedPolicy(), Statement: allowOnly });
      const check = checkOf(await verify(), "least-privilege");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(
        /^s3:PutObjectAcl on arn:aws:s3:::talentbase-local-uploads\/_talentbase-verify\/probe.txt with s3:x-amz-acl=public-read allowed; /,
      );
      expect(check.detail).to.include("and 2 more");
    });

    it("passes the program's policy: a private ACL allowed, every public one denied", async () => {
      const check = checkOf(await verify(), "least-privilege");
      expect(check.status).to.equal("PASS");
      expect(check.detail).to.match(/^5 required requests allowed, \d+ forbidden denied/);
    });

    it("fails when an extra policy granting IAM actions is attached", async () => {
      const { Policy } = await admin.iam.send(
        new CreatePolicyCommand({
          PolicyName: "escalation",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] }),
        }),
      );
      await admin.iam.send(new AttachUserPolicyCommand({ UserName: input.userName, PolicyArn: Policy!.Arn! }));
      const check = checkOf(await verify(), "least-privilege");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/iam:\w+ on \* allowed/);
    });
  });

  describe("least privilege and drift through other groups", () => {
    it("evaluates what another group of the user grants (attached and inline), and drift names the group", async () => {
      await admin.iam.send(new CreateGroupCommand({ GroupName: "developers" }));
      await admin.iam.send(new AddUserToGroupCommand({ GroupName: "developers", UserName: input.userName }));
      await admin.iam.send(new PutGroupPolicyCommand({ GroupName: "developers", PolicyName: "buckets", PolicyDocument: ALLOW_EVERYTHING_ON_S3 }));
      const report = await verify();
      expect(checkOf(report, "least-privilege").status).to.equal("FAIL");
      expect(checkOf(report, "least-privilege").detail).to.match(/s3:CreateBucket on arn:aws:s3:::talentbase-local-uploads allowed/);
      expect(checkOf(report, "policy-drift")).to.deep.include({ status: "WARN" });
      expect(checkOf(report, "policy-drift").detail).to.match(/also has: group developers \(inline buckets\)$/);
      expect(checkOf(report, "policy-attached").status, "the stack's own path is intact").to.equal("PASS");
    });

    it("names another policy attached to the stack's group", async () => {
      const { Policy } = await admin.iam.send(new CreatePolicyCommand({ PolicyName: "group-extra", PolicyDocument: ALLOW_EVERYTHING_ON_S3 }));
      await admin.iam.send(new AttachGroupPolicyCommand({ GroupName: `${input.userName}-s3`, PolicyArn: Policy!.Arn! }));
      const report = await verify();
      expect(checkOf(report, "policy-drift").detail).to.match(/also has: attached group-extra \(group talentbase-backend-local-s3\)$/);
      expect(checkOf(report, "least-privilege").status).to.equal("FAIL");
    });
  });

  describe("10 policy-drift", () => {
    it("fails when the default version differs and names the unexpected statement", async () => {
      await replacePolicyDocument({ ...expectedPolicy(), Statement: [...expectedPolicy().Statement, JSON.parse(ALLOW_EVERYTHING_ON_S3).Statement[0]] });
      const check = checkOf(await verify(), "policy-drift");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/default version v2 .*unexpected: Wildcard/);
    });

    it("treats a reordered, single-valued but equivalent document as no drift", async () => {
      const [objects, bucket, publicAcls, aclsWithoutCanned] = expectedPolicy().Statement;
      const reorderedCondition = { StringEquals: { "s3:x-amz-acl": [...(publicAcls!.Condition!["StringEquals"]!["s3:x-amz-acl"] as string[])].reverse() } };
      await replacePolicyDocument({
        Version: "2012-10-17",
        Statement: [
          aclsWithoutCanned,
          bucket,
          { ...publicAcls, Action: "s3:PutObjectAcl", Condition: reorderedCondition },
          { ...objects, Action: [...objects!.Action].reverse(), Resource: objects!.Resource[0] },
        ],
      });
      expect(checkOf(await verify(), "policy-drift").status).to.equal("PASS");
    });

    it("fails when a Deny statement's condition is changed, naming the statement", async () => {
      const [objects, bucket, publicAcls, aclsWithoutCanned] = expectedPolicy().Statement;
      const weakened = { ...publicAcls, Condition: { StringEquals: { "s3:x-amz-acl": ["public-read-write"] } } };
      await replacePolicyDocument({ ...expectedPolicy(), Statement: [objects, bucket, weakened, aclsWithoutCanned] });
      const check = checkOf(await verify(), "policy-drift");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/missing or changed: DenyPublicObjectAcls; unexpected: DenyPublicObjectAcls/);
    });

    it("reports an extra attached policy and an inline policy", async () => {
      const { Policy } = await admin.iam.send(new CreatePolicyCommand({ PolicyName: "extra-reads", PolicyDocument: ALLOW_EVERYTHING_ON_S3 }));
      await admin.iam.send(new AttachUserPolicyCommand({ UserName: input.userName, PolicyArn: Policy!.Arn! }));
      await admin.iam.send(new PutUserPolicyCommand({ UserName: input.userName, PolicyName: "sneaky", PolicyDocument: ALLOW_EVERYTHING_ON_S3 }));
      const check = checkOf(await verify(), "policy-drift");
      expect(check.status).to.equal("WARN");
      expect(check.detail).to.match(/attached extra-reads, inline sneaky/);
    });
  });

  describe("11 caller-identity", () => {
    it("fails when the stack's key belongs to another user", async () => {
      await admin.iam.send(new CreateUserCommand({ UserName: "someone-else" }));
      const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "someone-else" }));
      const check = checkOf(
        await verify({ ...input, accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: new Secret(AccessKey!.SecretAccessKey!) }),
        "caller-identity",
      );
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/user\/someone-else, expected .*user\/talentbase-backend-local/);
    });
  });

  describe("12 round-trip", () => {
    it("leaves no probe object behind", async () => {
      expect(checkOf(await verify(), "round-trip").status).to.equal("PASS");
      const listing = await admin.s3.send(new ListObjectsV2Command({ Bucket: input.bucketName, Prefix: PROBE_PREFIX }));
      expect(listing.KeyCount ?? 0).to.equal(0);
    });

    it("is skipped when the stack does not opt in", async () => {
      const check = checkOf(await verify({ ...input, roundTripCheck: false }), "round-trip");
      expect(check.status).to.equal("SKIP");
      expect(check.detail).to.match(/roundTripCheck/);
    });

    it("fails at the first step when the bucket is missing", async () => {
      await moto.reset();
      input = await provisionStack(admin, { createBucket: false });
      const check = checkOf(await verify(), "round-trip");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(/^PutObject failed: NoSuchBucket/);
    });
  });

  describe("13 tags", () => {
    it("fails when tags are removed from the user and names them", async () => {
      await admin.iam.send(new UntagUserCommand({ UserName: input.userName, TagKeys: ["ManagedBy", "Purpose"] }));
      const check = checkOf(await verify(), "tags");
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.equal("user: Purpose missing; user: ManagedBy missing");
    });

    it("fails when the policy loses a tag", async () => {
      await admin.iam.send(new UntagPolicyCommand({ PolicyArn: input.policyArn, TagKeys: ["Environment"] }));
      expect(checkOf(await verify(), "tags").detail).to.equal("policy: Environment missing");
    });
  });
});
