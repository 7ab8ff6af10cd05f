import { otherSlot, type AccessKeySlot, type RotationPhase } from "../config/stackConfig";

/** One access key the program declares: in which slot, with which status, and why it exists. */
export interface PlannedAccessKey {
  readonly slot: AccessKeySlot;
  /** current: the key the outputs name; retiring: the old key of an open rotation. */
  readonly role: "current" | "retiring";
  readonly status: "Active" | "Inactive";
  /** Protected against deletion: never the retiring key once Inactive, so finishing can delete it. */
  readonly protect: boolean;
}

/**
 * The keys one phase of the rotation needs. Idle: the current slot only. Started: the current (new)
 * key and the old one in the other slot, both Active, so running consumers keep working. Old key
 * inactive, and contained after an emergency: the old key stays, Inactive. Finishing: the old key is
 * deleted, as in idle.
 */
export function planAccessKeys(options: { slot: AccessKeySlot; rotation: RotationPhase; protect: boolean }): PlannedAccessKey[] {
  const { slot, rotation, protect } = options;
  const current: PlannedAccessKey = { slot, role: "current", status: "Active", protect };
  if (rotation === "idle" || rotation === "finishing") return [current];
  const retiringActive = rotation === "started";
  return [current, { slot: otherSlot(slot), role: "retiring", status: retiringActive ? "Active" : "Inactive", protect: protect && retiringActive }];
}

/** What slot b's key name adds to slot a's. */
const SLOT_B_SUFFIX = "-b";

/**
 * The logical name of a slot's key. Slot a keeps the name stacks had before rotation existed, so
 * their key is neither replaced nor aliased.
 */
export function accessKeyResourceName(componentName: string, slot: AccessKeySlot): string {
  return slot === "a" ? `${componentName}-access-key` : `${componentName}-access-key${SLOT_B_SUFFIX}`;
}

/** The slot of an access key resource, from its logical name (the inverse of accessKeyResourceName). */
export function slotOfAccessKeyResource(logicalName: string): AccessKeySlot {
  return logicalName.endsWith(`-access-key${SLOT_B_SUFFIX}`) ? "b" : "a";
}
