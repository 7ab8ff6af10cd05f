import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Every scratch directory of ours starts with this, then its purpose and the pid of the run that made it. */
const PREFIX = "talentbase-iam-";
/** What the driver keeps in scratch directories: the engine's captured output, a checkpoint being imported. */
export type ScratchPurpose = "engine" | "checkpoint";
const OURS = /^talentbase-iam-(engine|checkpoint)-(\d+)-/;
/** Event-log directories of earlier versions: their file could hold a key's secret in plaintext. */
const LEGACY_EVENT_LOGS = /^talentbase-iam-events-/;

/**
 * A private (0700) scratch directory in the temporary directory, named after this process, so a
 * later run can tell it was left by a run that was killed before its `finally` removed it.
 */
export function makeRunScratch(purpose: ScratchPurpose): string {
  if (!swept) {
    swept = true;
    sweepScratchOfKilledRuns(tmpdir());
  }
  return mkdtempSync(path.join(tmpdir(), `${PREFIX}${purpose}-${process.pid}-`));
}

let swept = false;

/**
 * Removes the scratch directories of runs whose process is gone (killed, out of
 * memory, a closed laptop), and any event-log directory an earlier version left.
 */
export function sweepScratchOfKilledRuns(directory: string): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(directory)) {
    const ours = OURS.exec(entry);
    const leftover = ours ? !processAlive(Number(ours[2])) : LEGACY_EVENT_LOGS.test(entry);
    if (!leftover) continue;
    rmSync(path.join(directory, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
