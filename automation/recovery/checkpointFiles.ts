import type { StateStore } from "./stateStore";

/** One repair made to the stack's checkpoint files, in a sentence. */
export type CheckpointRepair = string;

function parses(content: Buffer | undefined): boolean {
  if (!content || content.length === 0) return false;
  try {
    JSON.parse(content.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/**
 * A killed write can leave the file backend unreadable ("failed to load checkpoint: EOF"): an empty
 * or torn `.attrs` sidecar (blob metadata, safe to drop: the backend reads the checkpoint without
 * it), or a torn checkpoint, which the CLI's own `.bak` copy of the previous one replaces.
 */
export async function repairCheckpointFiles(store: StateStore, project: string, stack: string): Promise<CheckpointRepair[]> {
  const checkpoint = `.pulumi/stacks/${project}/${stack}.json`;
  const repairs: CheckpointRepair[] = [];
  const attrs = await store.read(`${checkpoint}.attrs`);
  if (attrs !== undefined && !parses(attrs)) {
    await store.remove(`${checkpoint}.attrs`);
    repairs.push(`removed the ${attrs.length === 0 ? "empty" : "unreadable"} metadata file ${checkpoint}.attrs a killed write left`);
  }
  const current = await store.read(checkpoint);
  if (current !== undefined && !parses(current)) {
    const backup = await store.read(`${checkpoint}.bak`);
    if (!parses(backup)) throw new Error(`${checkpoint} in ${store.location} is unreadable and has no readable backup (${checkpoint}.bak)`);
    await store.write(checkpoint, backup!);
    repairs.push(`restored ${checkpoint} from ${checkpoint}.bak (the checkpoint was torn by a killed write)`);
  }
  return repairs;
}
