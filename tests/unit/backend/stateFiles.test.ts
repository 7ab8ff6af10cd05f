import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { hostname, tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { readCheckpointFile, repairCheckpointFiles } from "../../../automation/backend/checkpointFiles";
import { holderOf, lockDirectory, readStackLocks } from "../../../automation/backend/stackLocks";
import { fileStateStore, type StateStore } from "../../../automation/backend/stateStore";

const CHECKPOINT = ".pulumi/stacks/talentbase-iam/local.json";

describe("state files of a file backend", () => {
  let root: string;
  let store: StateStore;
  const put = async (key: string, content: string) => {
    await mkdir(path.dirname(path.join(root, key)), { recursive: true });
    await writeFile(path.join(root, key), content);
  };
  const exists = (key: string) =>
    stat(path.join(root, key)).then(
      () => true,
      () => false,
    );

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "state-files-"));
    store = fileStateStore(pathToFileURL(root).href);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe("locks", () => {
    it("reads each lock of the stack with who took it", async () => {
      await put(
        `${lockDirectory("talentbase-iam", "local")}/a.json`,
        JSON.stringify({ pid: 4242, username: "ops", hostname: "elsewhere", timestamp: "2026-11-28T10:00:00Z" }),
      );
      const [lock] = await readStackLocks(store, "talentbase-iam", "local");
      expect(lock).to.deep.include({ pid: 4242, username: "ops", hostname: "elsewhere" });
      expect(holderOf(lock!)).to.equal("foreign");
    });

    it("tells a lock of a running process of this machine from one whose process is gone", async () => {
      const sleeper = spawn("sleep", ["30"]);
      const gone = spawn("true");
      await new Promise((resolve) => gone.once("exit", resolve));
      try {
        const lock = (pid: number) => ({ key: "k", pid, username: "me", hostname: hostname(), timestamp: "now" });
        expect(holderOf(lock(sleeper.pid!))).to.equal("held");
        expect(holderOf(lock(gone.pid!))).to.equal("stale");
      } finally {
        sleeper.kill();
      }
    });
  });

  describe("a checkpoint a killed write tore", () => {
    it("drops an empty .attrs sidecar, which makes every command fail with `failed to load checkpoint: EOF`", async () => {
      await put(CHECKPOINT, JSON.stringify({ version: 3, checkpoint: {} }));
      await put(`${CHECKPOINT}.attrs`, "");
      const repairs = await repairCheckpointFiles(store, "talentbase-iam", "local");
      expect(repairs).to.deep.equal([`removed the empty metadata file ${CHECKPOINT}.attrs a killed write left`]);
      expect(await exists(`${CHECKPOINT}.attrs`)).to.equal(false);
      expect(await exists(CHECKPOINT)).to.equal(true);
    });

    it("restores a torn checkpoint from the CLI's own .bak copy", async () => {
      const previous = JSON.stringify({ version: 3, checkpoint: { latest: { resources: [] } } });
      await put(CHECKPOINT, '{"version": 3, "checkp');
      await put(`${CHECKPOINT}.bak`, previous);
      expect(await repairCheckpointFiles(store, "talentbase-iam", "local")).to.have.length(1);
      expect(await readFile(path.join(root, CHECKPOINT), "utf8")).to.equal(previous);
    });

    it("changes nothing in a healthy backend", async () => {
      await put(CHECKPOINT, JSON.stringify({ version: 3 }));
      await put(`${CHECKPOINT}.attrs`, JSON.stringify({ "user.cache_control": "" }));
      expect(await repairCheckpointFiles(store, "talentbase-iam", "local")).to.deep.equal([]);
      expect(await exists(`${CHECKPOINT}.attrs`)).to.equal(true);
    });
  });

  describe("the checkpoint read without the CLI", () => {
    const latest = { resources: [{ urn: "urn:stack", type: "pulumi:pulumi:Stack" }] };
    const read = () => readCheckpointFile(store, "talentbase-iam", "local");

    it("is the latest deployment, from the plain or the gzipped file", async () => {
      await put(CHECKPOINT, JSON.stringify({ version: 3, checkpoint: { latest } }));
      expect(await read()).to.deep.equal({ kind: "found", deployment: latest });
      await rm(path.join(root, CHECKPOINT));
      await mkdir(path.dirname(path.join(root, CHECKPOINT)), { recursive: true });
      await writeFile(path.join(root, `${CHECKPOINT}.gz`), gzipSync(JSON.stringify({ version: 3, checkpoint: { latest } })));
      expect(await read()).to.deep.equal({ kind: "found", deployment: latest });
    });

    it("is an empty deployment for a stack that was created but never deployed", async () => {
      await put(CHECKPOINT, JSON.stringify({ version: 3, checkpoint: { stack: "organization/talentbase-iam/local" } }));
      expect(await read()).to.deep.equal({ kind: "found", deployment: {} });
    });

    it("is absent in the project layout, or in an empty backend", async () => {
      expect(await read()).to.deep.equal({ kind: "absent" });
      await put(".pulumi/meta.yaml", "version: 1\n");
      expect(await read()).to.deep.equal({ kind: "absent" });
    });

    it("leaves a torn file, or a stack of the older layout, to the CLI", async () => {
      await put(CHECKPOINT, '{"version": 3, "checkp');
      expect(await read()).to.deep.equal({ kind: "unreadable" });
      await rm(path.join(root, CHECKPOINT));
      await put(".pulumi/stacks/local.json", JSON.stringify({ version: 3, checkpoint: { latest } }));
      expect(await read()).to.deep.equal({ kind: "unreadable" });
    });
  });
});
