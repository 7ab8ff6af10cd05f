import { hostname } from "node:os";
import type { StateStore } from "./stateStore";

/** A lock file of the stack, as the Pulumi CLI writes it (backend/diy/lock.go). */
export interface StackLock {
  readonly key: string;
  readonly pid: number;
  readonly username: string;
  readonly hostname: string;
  readonly timestamp: string;
}

/** held: a process of this machine still runs; stale: its process is gone; foreign: another machine's, unknowable from here. */
export type LockHolder = "held" | "stale" | "foreign";

export function lockDirectory(project: string, stack: string): string {
  return `.pulumi/locks/organization/${project}/${stack}`;
}

export async function readStackLocks(store: StateStore, project: string, stack: string): Promise<StackLock[]> {
  const locks: StackLock[] = [];
  for (const key of await store.list(lockDirectory(project, stack))) {
    if (!key.endsWith(".json")) continue;
    const content = await store.read(key);
    let parsed: Partial<StackLock> = {};
    try {
      parsed = JSON.parse(content?.toString("utf8") ?? "{}") as Partial<StackLock>;
    } catch {
      // An unreadable lock file (a killed writer) holds nothing.
    }
    locks.push({
      key,
      pid: Number(parsed.pid ?? 0),
      username: parsed.username ?? "unknown",
      hostname: parsed.hostname ?? "unknown",
      timestamp: parsed.timestamp ?? "unknown",
    });
  }
  return locks;
}

/** Whether the process that took the lock still runs (checked only for locks of this machine). */
export function holderOf(lock: StackLock, thisHost = hostname()): LockHolder {
  if (lock.hostname !== thisHost) return "foreign";
  if (lock.pid <= 0) return "stale";
  try {
    process.kill(lock.pid, 0);
    return "held";
  } catch (error) {
    // EPERM: it exists but belongs to someone else; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "held" : "stale";
  }
}
