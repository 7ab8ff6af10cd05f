import { CreatePolicyVersionCommand, DeleteAccessKeyCommand, DetachGroupPolicyCommand } from "@aws-sdk/client-iam";
import { PutObjectAclCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { buildUploadsPolicy } from "../../../infra/policy";
import { startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { adminClients, createOperatorKey, provisionStack, type AdminClients, type ProvisionedStack } from "./fixture";
import { checkOf, verifyOnMoto } from "./helpers";

/** With moto's IAM enforcement on, the user's key only does what its policy allows: real proof. */
describe("user-key checks under IAM enforcement (moto)", () => {
  let moto: MotoServer;
  let admin: AdminClients;
  let input: ProvisionedStack;
  let operator: { accessKeyId: string; secretAccessKey: string };

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
    operator = await createOperatorKey(admin);
    await moto.setAuthEnforcement(true);
  });
  afterEach(async () => {
    await moto.setAuthEnforcement(false);
    await moto.reset();
  });

  const userKeyChecks = ["bucket-reachable", "caller-identity", "round-trip"];
  const verify = () => verifyOnMoto(moto, input, operator, userKeyChecks);

  /** The operator changes things out-of-band; under enforcement only its moto-made key is accepted. */
  const operatorClients = () => adminClients(moto, operator);

  it("proves the user's own key reaches the bucket and authenticates as the user", async () => {
    const report = await verify();
    expect(checkOf(report, "bucket-reachable").status).to.equal("PASS");
    expect(checkOf(report, "caller-identity").status).to.equal("PASS");
  });

  it("proves put, get and delete, and reports the presigned POST as unproven, not passed (moto answers 500)", async () => {
    const check = checkOf(await verify(), "round-trip");
    expect(check.status).to.equal("WARN");
    expect(check.detail).to.equal("put, get and delete work; presigned POST unproven: the endpoint answered HTTP 500");
  });

  it("fails the bucket and round-trip checks with AccessDenied once the policy is detached", async () => {
    const clients = operatorClients();
    try {
      await clients.iam.send(new DetachGroupPolicyCommand({ GroupName: `${input.userName}-s3`, PolicyArn: input.policyArn }));
    } finally {
      clients.destroy();
    }
    const report = await verify();
    expect(checkOf(report, "bucket-reachable").detail).to.match(/denied s3:ListBucket \(AccessDenied\)/);
    expect(checkOf(report, "bucket-reachable").status).to.equal("FAIL");
    expect(checkOf(report, "round-trip").detail).to.match(/^PutObject failed: AccessDenied/);
  });

  it("fails the bucket check when the user's key is deleted, though admin access still works", async () => {
    const clients = operatorClients();
    try {
      await clients.iam.send(new DeleteAccessKeyCommand({ UserName: input.userName, AccessKeyId: input.accessKeyId }));
    } finally {
      clients.destroy();
    }
    const check = checkOf(await verifyOnMoto(moto, input, operator, ["bucket-reachable"]), "bucket-reachable");
    expect(check.status).to.equal("FAIL");
    expect(check.detail).to.match(/InvalidAccessKeyId/);
  });

  describe("the Deny statements on s3:PutObjectAcl, as moto enforces them", () => {
    const key = "_talentbase-verify/acl-probe.txt";
    const userClients = () => adminClients(moto, { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey.reveal() });
    const nameOfError = (promise: Promise<unknown>) =>
      promise.then(
        () => "allowed",
        (error: Error) => error.name,
      );

    /**
     * moto does not honour their conditions: it passes no S3 condition values, a condition without
     * values verifies, so each Deny applies to every PutObjectAcl, a private ACL too. AWS evaluates
     * them (the least-privilege check proves it with iam-simulate: private allowed, public denied).
     */
    it("deny every PutObjectAcl, public-read and private alike, while plain uploads still work", async () => {
      const user = userClients();
      try {
        expect(await nameOfError(user.s3.send(new PutObjectCommand({ Bucket: input.bucketName, Key: key, Body: "x" })))).to.equal("allowed");
        for (const ACL of ["public-read", "authenticated-read", "private"] as const) {
          expect(await nameOfError(user.s3.send(new PutObjectAclCommand({ Bucket: input.bucketName, Key: key, ACL }))), ACL).to.equal("AccessDenied");
        }
      } finally {
        user.destroy();
      }
    });

    it("are what denies it: without them moto lets the user's key make an upload public-read", async () => {
      const expected = buildUploadsPolicy({ bucketName: input.bucketName, partition: "aws" });
      const clients = operatorClients();
      try {
        const allowOnly = expected.Statement.filter((statement) => statement.Effect === "Allow");
        await clients.iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: input.policyArn,
            SetAsDefault: true,
            PolicyDocument: JSON.stringify({ ...expected, Statement: allowOnly }),
          }),
        );
      } finally {
        clients.destroy();
      }
      const user = userClients();
      try {
        await user.s3.send(new PutObjectCommand({ Bucket: input.bucketName, Key: key, Body: "x" }));
        expect(await nameOfError(user.s3.send(new PutObjectAclCommand({ Bucket: input.bucketName, Key: key, ACL: "public-read" })))).to.equal("allowed");
      } finally {
        user.destroy();
      }
    });

    it("do not cover a public ACL sent with the upload itself: moto authorises that PutObject as s3:PutObject only", async () => {
      // AWS also requires s3:PutObjectAcl for a PutObject that sets an ACL, where the Deny applies.
      const user = userClients();
      try {
        const upload = user.s3.send(new PutObjectCommand({ Bucket: input.bucketName, Key: key, Body: "x", ACL: "public-read" }));
        expect(await nameOfError(upload)).to.equal("allowed");
      } finally {
        user.destroy();
      }
    });
  });

  it("says so when the probe object cannot be cleaned up (DeleteObject revoked)", async () => {
    const expected = buildUploadsPolicy({ bucketName: input.bucketName, partition: "aws" });
    const [objects, bucket] = expected.Statement;
    const clients = operatorClients();
    try {
      await clients.iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: input.policyArn,
          SetAsDefault: true,
          PolicyDocument: JSON.stringify({ ...expected, Statement: [{ ...objects, Action: ["s3:PutObject", "s3:GetObject"] }, bucket] }),
        }),
      );
    } finally {
      clients.destroy();
    }
    const check = checkOf(await verify(), "round-trip");
    expect(check.status).to.equal("FAIL");
    expect(check.detail).to.match(/^DeleteObject failed: AccessDenied; could not delete probe object\(s\) _talentbase-verify\//);
  });
});
