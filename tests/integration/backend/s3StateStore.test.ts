import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { hostname } from "node:os";
import { repairCheckpointFiles } from "../../../automation/backend/checkpointFiles";
import { stateStoreOf } from "../../../automation/backend/stackBackend";
import { holderOf, lockDirectory, readStackLocks } from "../../../automation/backend/stackLocks";
import type { StateStore } from "../../../automation/backend/stateStore";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";

const BUCKET = "talentbase-pulumi-state";
const CHECKPOINT = ".pulumi/stacks/talentbase-iam/dev.json";

/** The bucket of an s3:// backend, through the same StateStore the repairs use on a file backend (moto). */
describe("the state store of an s3:// backend (moto)", function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let s3: S3Client;
  let store: StateStore;
  const saved = { id: process.env["AWS_ACCESS_KEY_ID"], secret: process.env["AWS_SECRET_ACCESS_KEY"] };
  const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

  before(async () => {
    moto = await startMoto();
    s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // The store takes credentials from the standard chain, as the CLI does: moto's, for this test only.
    process.env["AWS_ACCESS_KEY_ID"] = MOTO_CREDENTIALS.accessKeyId;
    process.env["AWS_SECRET_ACCESS_KEY"] = MOTO_CREDENTIALS.secretAccessKey;
    store = stateStoreOf(`s3://${BUCKET}/team/iam?region=${MOTO_REGION}&endpoint=${moto.endpoint}&use_path_style=true`)!;
  });
  after(async () => {
    store?.close();
    s3?.destroy();
    await moto?.stop();
    for (const [name, value] of [
      ["AWS_ACCESS_KEY_ID", saved.id],
      ["AWS_SECRET_ACCESS_KEY", saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("lists one level under the URL's folder, reads, writes and removes by the backend's own keys", async () => {
    await put(`team/iam/${lockDirectory("talentbase-iam", "dev")}/a.json`, "{}");
    await put(`team/iam/${lockDirectory("talentbase-iam", "dev")}/nested/b.json`, "{}");
    await put(`${lockDirectory("talentbase-iam", "dev")}/outside-the-folder.json`, "{}");
    expect(await store.list(lockDirectory("talentbase-iam", "dev"))).to.deep.equal([`${lockDirectory("talentbase-iam", "dev")}/a.json`]);
    expect(await store.read(".pulumi/missing.json")).to.equal(undefined);

    await store.write(".pulumi/x.json", Buffer.from('{"x":1}'));
    const written = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "team/iam/.pulumi/x.json" }));
    expect(await written.Body!.transformToString()).to.equal('{"x":1}');
    expect((await store.read(".pulumi/x.json"))!.toString()).to.equal('{"x":1}');
    await store.remove(".pulumi/x.json");
    expect(await store.read(".pulumi/x.json")).to.equal(undefined);
    await store.remove(`${lockDirectory("talentbase-iam", "dev")}/a.json`);
  });

  it("reads the CLI's lock objects, and tells a dead process of this machine from another machine's", async () => {
    const lock = (pid: number, host: string) => JSON.stringify({ pid, username: "alice", hostname: host, timestamp: "2026-11-28T10:00:00Z" });
    await put(`team/iam/${lockDirectory("talentbase-iam", "staging")}/1.json`, lock(999_999_999, hostname()));
    await put(`team/iam/${lockDirectory("talentbase-iam", "staging")}/2.json`, lock(4242, "ci-runner-7"));
    const locks = await readStackLocks(store, "talentbase-iam", "staging");
    expect(locks.map((found) => [found.username, found.hostname, holderOf(found)])).to.deep.equal([
      ["alice", hostname(), "stale"],
      ["alice", "ci-runner-7", "foreign"],
    ]);
  });

  it("restores a torn checkpoint from its .bak and leaves a healthy one alone", async () => {
    await put(`team/iam/${CHECKPOINT}`, JSON.stringify({ version: 3 }));
    expect(await repairCheckpointFiles(store, "talentbase-iam", "dev")).to.deep.equal([]);
    const previous = JSON.stringify({ version: 3, checkpoint: { latest: { resources: [] } } });
    await put(`team/iam/${CHECKPOINT}`, '{"version": 3, "check');
    await put(`team/iam/${CHECKPOINT}.bak`, previous);
    expect(await repairCheckpointFiles(store, "talentbase-iam", "dev")).to.have.length(1);
    expect((await store.read(CHECKPOINT))!.toString()).to.equal(previous);
  });
});
