import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../errors";

const run = promisify(execFile);

/** What git would do with a file: nothing (outside any work tree), or it tracks, ignores or would add it. */
export type GitPathStatus = "outside-work-tree" | "tracked" | "ignored" | "untracked";

/** Asks git about `target` (an absolute path whose directory exists); refuses to guess when git is missing. */
export async function gitPathStatus(target: string): Promise<GitPathStatus> {
  const dir = path.dirname(target);
  const git = (args: string[]) =>
    run("git", ["-C", dir, ...args]).then(
      () => 0,
      (error: { code?: unknown }) => error.code,
    );
  const inWorkTree = await git(["rev-parse", "--is-inside-work-tree"]);
  if (inWorkTree === "ENOENT") throw new UsageError(`cannot check whether git would commit ${target}: git is not installed`);
  if (inWorkTree !== 0) return "outside-work-tree";
  if ((await git(["ls-files", "--error-unmatch", "--", target])) === 0) return "tracked";
  return (await git(["check-ignore", "--quiet", "--", target])) === 0 ? "ignored" : "untracked";
}
