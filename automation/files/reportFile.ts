import { randomBytes } from "node:crypto";
import { lstat, open, rename, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { UsageError } from "../errors";
import { gitPathStatus } from "./gitPath";

/**
 * Every refusal of writeReportFile, for checking a report path (`verify --junit`) before any API
 * call. The directory must exist; the path must not be a symbolic link (writing through one changes
 * a file elsewhere), nor anything but a regular file (a device such as /dev/null would be replaced),
 * nor a file git tracks (README.md). Returns the absolute path.
 */
export async function checkReportFileTarget(file: string): Promise<string> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist (create it, or choose another path)`);
  if (!dirStat.isDirectory()) throw new UsageError(`cannot write ${file}: ${dir} is not a directory (choose another path)`);
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new UsageError(`refusing to write ${file}: it is a symbolic link, and writing through it would change another file (choose another path)`);
  }
  if (existing && !existing.isFile()) throw new UsageError(`refusing to write ${file}: it exists and is not a regular file (choose another path)`);
  if ((await gitPathStatus(target)) === "tracked") {
    throw new UsageError(`refusing to overwrite ${file}: git tracks it (write the report outside the repository, or to a path git ignores)`);
  }
  return target;
}

/**
 * Writes a report atomically: a new file beside the target, renamed over it, so a reader never sees
 * half a report and the rename replaces a link rather than following it. Checks the target again first.
 */
export async function writeReportFile(file: string, content: string): Promise<string> {
  const target = await checkReportFileTarget(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(content, "utf8");
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
  return target;
}
