import { gunzipSync } from "node:zlib";
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

const checkpointKey = (project: string, stack: string) => `.pulumi/stacks/${project}/${stack}.json`;

/** What a stack's checkpoint file says: its latest deployment, no such stack, or nothing we can read. */
export type CheckpointRead =
  | { readonly kind: "found"; readonly deployment: Record<string, unknown> }
  | { readonly kind: "absent" }
  | { readonly kind: "unreadable" };

/**
 * The stack's latest deployment (what `pulumi stack export` prints as `deployment`, secrets still
 * ciphertext) read straight from the backend's files: the one read most commands need, without a
 * Pulumi CLI process. A missing file means a missing stack in the CLI's project layout (meta.yaml
 * version 1) or when the older layout has no file for it either; anything else (a stack in the older
 * layout, a torn file) is "unreadable", and the caller asks the CLI, which reads or reports it as it
 * always does.
 */
export async function readCheckpointFile(store: StateStore, project: string, stack: string): Promise<CheckpointRead> {
  const key = checkpointKey(project, stack);
  const legacyKey = `.pulumi/stacks/${stack}.json`;
  const [plain, zipped, meta, legacy, legacyZipped] = await Promise.all(
    [key, `${key}.gz`, ".pulumi/meta.yaml", legacyKey, `${legacyKey}.gz`].map((name) => store.read(name)),
  );
  if (!plain && !zipped) {
    const projectLayout = /^version:\s*1\s*$/m.test(meta?.toString("utf8") ?? "");
    return projectLayout || (!legacy && !legacyZipped) ? { kind: "absent" } : { kind: "unreadable" };
  }
  try {
    const file = JSON.parse((plain ?? gunzipSync(zipped!)).toString("utf8")) as { checkpoint?: { latest?: Record<string, unknown> } };
    return { kind: "found", deployment: file.checkpoint?.latest ?? {} };
  } catch {
    return { kind: "unreadable" };
  }
}

/**
 * A killed write can leave the file backend unreadable ("failed to load checkpoint: EOF"): an empty
 * or torn `.attrs` sidecar (blob metadata, safe to drop: the backend reads the checkpoint without
 * it), or a torn checkpoint, which the CLI's own `.bak` copy of the previous one replaces.
 */
export async function repairCheckpointFiles(store: StateStore, project: string, stack: string): Promise<CheckpointRepair[]> {
  const checkpoint = checkpointKey(project, stack);
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
