import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../automation/projectPaths";

const run = promisify(execFile);

/** The commit before the program granted the policy through a group: the parent of the one that added the membership. */
async function commitBeforeTheGroup(): Promise<string> {
  const { stdout } = await run("git", [
    "-C",
    REPO_ROOT,
    "log",
    "--reverse",
    "--format=%H",
    "-S",
    "new iam.UserGroupMembership",
    "--",
    "infra/components/backendS3User.ts",
  ]);
  const introduced = stdout.trim().split("\n")[0];
  if (!introduced) throw new Error("no commit added the group membership: this test needs the repository's history");
  return (await run("git", ["-C", REPO_ROOT, "rev-parse", `${introduced}^`])).stdout.trim();
}

/**
 * The whole project as it was at that commit (`git archive`), sharing only node_modules: its own
 * Pulumi.yaml, program and loader, which runs that commit's infra/ through tsx (the copy has no build).
 */
export async function projectBeforeTheGroup(): Promise<{ dir: string; commit: string; remove(): Promise<void> }> {
  const commit = await commitBeforeTheGroup();
  const dir = await mkdtemp(path.join(tmpdir(), "talentbase-iam-pre-group-"));
  await run("bash", ["-c", `git -C "${REPO_ROOT}" archive "${commit}" | tar -x -C "${dir}"`]);
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return { dir, commit, remove: () => rm(dir, { recursive: true, force: true }) };
}
