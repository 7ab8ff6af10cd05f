import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { CommandContext } from "../context";
import { withStateStore } from "../backend/stackBackend";
import { readStackLocks } from "../backend/stackLocks";
import { concurrentUpdateFailure } from "../engine/engineFailures";

/**
 * Refuses a stack another run holds the lock of, before anything is read or decided: a second
 * operator starting while the first one's update runs would otherwise judge a half-written state
 * (IAM already holding the user the first run is creating looks like something to adopt). Call it
 * after waitForOrphanedEngines, so a killed run's finishing engine is waited for instead. The engine
 * takes the lock itself; this only says so earlier, with who holds it.
 */
export async function refuseLockedStack(stack: Environment, context: CommandContext): Promise<void> {
  await withStateStore(stack, context.paths, context.env, async (store) => {
    const [lock] = await readStackLocks(store, CONFIG_NAMESPACE, stack);
    if (lock) throw concurrentUpdateFailure(stack, undefined, `${lock.username}@${lock.hostname}, pid ${lock.pid}, since ${lock.timestamp}`);
  });
}
