import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { CommandContext } from "../context";
import { ConfirmationDeclinedError, RefusedError } from "../errors";
import { addChanges } from "../engine/changeSummary";
import type { Deployed } from "../engine/deploy";
import type { DeployedOutputs } from "../engine/deployedOutputs";
import type { DeploymentState } from "../engine/deploymentState";
import { removeStackConfig, setStackConfig } from "../engine/stackState";
import { ourCommand } from "../stacks/printedCommands";
import type { SessionDeployOptions, StackSession } from "../session/stackSession";
import type { ImportIds } from "../../infra/imports";
import { planAdoption, type AdoptionPlan } from "./adoptionPlan";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";
import { findExistingIdentity, notInState } from "./existingIdentity";

/**
 * A stack that does not hold the user yet may still find it (or the policy) in IAM: made by the old
 * setup-iam.sh. Creating over it would fail halfway, so without --adopt this stops before any
 * change; with it, the takeover is planned (and refused when the user has no room for a key). What
 * the stack's own state holds (an interrupted first provision's policy) is the stack's, not foreign.
 */
export async function planTakeover(
  session: StackSession,
  state: DeploymentState | undefined,
  adopt: boolean,
  signal: AbortSignal,
): Promise<AdoptionPlan | undefined> {
  const { stack } = session;
  if (state?.resources.some((resource) => resource.type === RESOURCE_TYPES.user)) return undefined;
  const existing = notInState(await findExistingIdentity(session.admin(), session.settings, signal), state);
  if (!existing.user && !existing.policy) return undefined;
  if (!adopt) {
    const what = [
      existing.user ? `user ${existing.user.name} (${existing.user.keys.length} access key${existing.user.keys.length === 1 ? "" : "s"})` : "",
      existing.policy ? `policy ${existing.policy.arn}` : "",
    ].filter(Boolean);
    throw new RefusedError(
      `IAM already has ${what.join(" and ")}, which stack ${stack} does not manage (made by setup-iam.sh?): \`${ourCommand("provision", stack, "--adopt")}\` takes ${what.length > 1 ? "them" : "it"} over without deleting or recreating anything`,
    );
  }
  return planAdoption(stack, existing, session.settings, new Date());
}

/**
 * The takeover itself: findings first, the preview of exactly what the update does (imports and
 * in-place updates), prod's confirmation, then the update that imports and converges (and the one
 * after it that detaches a direct attachment). The adopted keys are recorded in the stack's config as
 * known but unmanaged, so verification names them.
 */
export async function adopt(session: StackSession, plan: AdoptionPlan, context: CommandContext): Promise<Deployed> {
  const { stack, settings, target } = session;
  context.io.report(`\nAdopting into stack ${stack}:\n${plan.findings.map((finding) => `  - ${finding}\n`).join("")}`);
  const key = `${CONFIG_NAMESPACE}:unmanagedAccessKeys`;
  const known = [...new Set([...settings.unmanagedAccessKeys, ...plan.unmanagedKeys.map((userKey) => userKey.id)])];
  if (known.length > settings.unmanagedAccessKeys.length) await setStackConfig(target, { [key]: known.join(",") });
  try {
    return await deployTakeover(session, plan.imports, { showPreview: true, question: "Take these IAM objects over into prod?" }, context);
  } catch (error) {
    if (error instanceof ConfirmationDeclinedError && known.length > settings.unmanagedAccessKeys.length) {
      // Declined: the stack's config goes back to what it was.
      if (settings.unmanagedAccessKeys.length > 0) await setStackConfig(target, { [key]: settings.unmanagedAccessKeys.join(",") });
      else await removeStackConfig(target, [key]);
    }
    throw error;
  }
}

/**
 * An update that takes `imports` over, and, when setup-iam.sh's direct attachment of the policy is
 * among them, one more plain update: the program declares that attachment only while importing it, so
 * the second update detaches it, after the first left the group granting the policy and the user in
 * it. The user is never without the policy. The second update is part of what the operator confirmed.
 */
export async function deployTakeover(session: StackSession, imports: ImportIds, options: SessionDeployOptions, context: CommandContext): Promise<Deployed> {
  const first = await session.deploy({ ...options, importIds: imports });
  if (!imports.attachment) return first;
  context.io.report(`The group grants the policy now: detaching the direct attachment setup-iam.sh made...\n`);
  const second = await session.deploy({ confirmed: true });
  return { changes: addChanges(first.changes, second.changes), outputs: second.outputs };
}

/** What `--json` reports of a takeover. */
export function adoptionSummary(plan: AdoptionPlan) {
  return {
    imported: Object.entries(plan.imports).map(([kind, id]) => `${kind} ${id}`),
    unmanagedKeys: plan.unmanagedKeys.map((key) => key.id),
    findings: plan.findings,
  };
}

/** After a takeover: how to move Django to the stack's key and retire the old ones. */
export function renderWayForward(stack: Environment, plan: AdoptionPlan, outputs: DeployedOutputs): string {
  const adopted = `Adopted: the stack now manages the user, its policy, the group that grants it, and its own key ${outputs.accessKeyId}.`;
  if (plan.unmanagedKeys.length === 0) return `\n${adopted}\n`;
  return [
    "",
    adopted,
    `The old key(s) ${plan.unmanagedKeys.map((key) => key.id).join(", ")} keep working until you retire them:`,
    `  1. Switch Django to the stack's key: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\``,
    ...plan.unmanagedKeys.map(
      (key, index) =>
        `  ${index + 2}. Once nothing uses ${key.id}: \`${ourCommand("retire-key", stack, key.id)}\` (it checks the key is unused, deactivates it, then deletes it)`,
    ),
    "",
  ].join("\n");
}
