import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { CommandContext } from "../context";
import { InterruptedError, RERUN_CONTINUES } from "../errors";
import { withStateStore } from "./stackBackend";
import { holderOf, readStackLocks, type StackLock } from "./stackLocks";
import type { StateStore } from "./stateStore";

const POLL_MS = 500;
/** Longer than any update of this stack takes; past it the lock is reported instead. */
const MAX_WAIT_MS = 10 * 60_000;

/** The parent of a process; 1 (or gone) once its parent died and it was re-parented. */
async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const { stdout } = await promisify(execFile)("ps", ["-o", "ppid=", "-p", String(pid)]);
    return Number(stdout.trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** A lock held by a live engine of this machine whose driver is gone: a killed run's, finishing its update. */
async function orphanedHolders(locks: readonly StackLock[]): Promise<StackLock[]> {
  const orphaned: StackLock[] = [];
  for (const lock of locks) {
    if (holderOf(lock) === "held" && (await parentOf(lock.pid)) === 1) orphaned.push(lock);
  }
  return orphaned;
}

/**
 * When our process is killed outright, its engine outlives it and completes the update (see
 * engineProcesses.ts), holding the stack's lock meanwhile. The next command on the stack waits for
 * that engine instead of failing on its lock; a lock held by a live driver (a concurrent run) is not
 * waited for: it is reported as another update (stackLockGuard.ts, or the engine's own lock error).
 */
export async function waitForOrphanedEngines(stack: Environment, context: CommandContext): Promise<void> {
  await withStateStore(stack, context.paths, context.env, (store) => waitWhileOrphaned(stack, store, context));
}

async function waitWhileOrphaned(stack: Environment, store: StateStore, context: CommandContext): Promise<void> {
  const started = Date.now();
  let announced = false;
  for (;;) {
    const orphaned = await orphanedHolders(await readStackLocks(store, CONFIG_NAMESPACE, stack));
    if (orphaned.length === 0 || Date.now() - started > MAX_WAIT_MS) return;
    if (!announced) {
      const [lock] = orphaned;
      context.io.report(
        `Waiting for the engine of an earlier run that was killed (pid ${lock!.pid}, since ${lock!.timestamp}) to finish its update of stack ${stack}...\n`,
      );
      announced = true;
    }
    if (context.signal.aborted)
      throw new InterruptedError(`interrupted while waiting for the earlier run's engine on stack ${stack}; nothing was changed, and ${RERUN_CONTINUES}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
