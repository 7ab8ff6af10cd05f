import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { UsageError } from "../errors";
import { gitPathStatus } from "./gitPath";

/** 0600: the file holds an access key, readable by its owner only from the first byte on. */
const PRIVATE_MODE = 0o600;

export interface WritePrivateFileOptions {
  /** Replace an existing file (atomically, the old one stays until the new one is complete). */
  readonly force: boolean;
}

/**
 * Writes a credentials file created with mode 0600 (never chmod-ed afterwards). Refuses a path
 * that git tracks or does not ignore, so the key cannot be committed by accident; outside any git
 * repository is fine. Refuses to overwrite unless `force`.
 */
export async function writePrivateFile(file: string, content: string, options: WritePrivateFileOptions): Promise<string> {
  const target = await checkPrivateFileTarget(file, options);
  const dir = path.dirname(target);
  if (!options.force) {
    await createExclusive(target, content, file);
    return target;
  }
  const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await createExclusive(temporary, content, file);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
  return target;
}

/** Every refusal of writePrivateFile, for checking the target before any API call. Returns the absolute path. */
export async function checkPrivateFileTarget(file: string, options: WritePrivateFileOptions): Promise<string> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist`);
  await refuseCommittablePath(target);
  if (!options.force && (await stat(target).catch(() => undefined))) {
    throw new UsageError(`${file} already exists: pass --force to replace it`);
  }
  return target;
}

async function createExclusive(target: string, content: string, shownAs: string): Promise<void> {
  const handle = await open(target, "wx", PRIVATE_MODE).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new UsageError(`${shownAs} already exists: pass --force to replace it`);
    throw error;
  });
  try {
    await handle.writeFile(content, "utf8");
  } finally {
    await handle.close();
  }
}

/** Inside a git work tree the file must be ignored and untracked. */
export async function refuseCommittablePath(target: string): Promise<void> {
  const status = await gitPathStatus(target);
  if (status === "tracked")
    throw new UsageError(
      `refusing to write credentials to ${target}: git tracks this file (write outside the repository, or to a path git ignores such as *.env)`,
    );
  if (status === "untracked") {
    throw new UsageError(
      `refusing to write credentials to ${target}: git does not ignore it (add it to .gitignore, e.g. as *.env, or write outside the repository)`,
    );
  }
}
