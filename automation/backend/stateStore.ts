import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The files of a self-managed Pulumi backend (a directory or a bucket), addressed by their slash
 * keys (`.pulumi/locks/...`), so locks and checkpoint files can be inspected and repaired alike.
 */
export interface StateStore {
  /** Where the store is, for messages. */
  readonly location: string;
  /** Keys directly under `prefix` (not recursive). */
  list(prefix: string): Promise<string[]>;
  /** The object's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Buffer | undefined>;
  write(key: string, content: Buffer): Promise<void>;
  remove(key: string): Promise<void>;
  /** Releases the store's connections (a bucket's client); the store is not used afterwards. */
  close(): void;
}

/** A `file://` backend: the directory PULUMI_BACKEND_URL names. */
export function fileStateStore(backendUrl: string): StateStore {
  const root = fileURLToPath(backendUrl);
  const full = (key: string) => path.join(root, ...key.split("/"));
  return {
    location: root,
    async list(prefix) {
      const entries = await readdir(full(prefix), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      return entries.filter((entry) => entry.isFile()).map((entry) => `${prefix}/${entry.name}`);
    },
    async read(key) {
      return readFile(full(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
    },
    async write(key, content) {
      const mode = (await stat(full(key)).catch(() => undefined))?.mode ?? 0o600;
      await writeFile(full(key), content, { mode });
    },
    async remove(key) {
      await rm(full(key), { force: true });
    },
    close() {},
  };
}
