import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { backendIdentityNames } from "../../infra/components/backendIdentity";
import { ACCESS_KEY_ID_PATTERN, CONFIG_NAMESPACE } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";
import { confirmOrAbort } from "../confirm";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError, UsageError } from "../errors";
import { bookKeys, describeKey, knownKeysOf } from "../keys/keyBook";
import { judgeRetirement, retirableRole } from "../keys/retirementGuard";
import { listUserKeys } from "../keys/userKeys";
import { toDeployedOutputs } from "../engine/deployedOutputs";
import { classifyEngineError } from "../engine/engineFailures";
import { removeStackConfig, setStackConfig } from "../engine/stackState";
import { openStackSession, type StackSession } from "../session/stackSession";
import { parseStackName } from "../stacks/stackSelection";

export interface RetireKeyOptions {
  readonly stack: string;
  readonly keyId: string;
  readonly yes: boolean;
  /** Retire it even though IAM shows it still in use. */
  readonly force: boolean;
  /** Stop once the key is Inactive (a safe pause). */
  readonly deactivateOnly: boolean;
  /** Undo a pause: make the Inactive key Active again. */
  readonly reactivate: boolean;
}

export interface RetireKeyResult {
  readonly keyId: string;
  readonly outcome: "deleted" | "deactivated" | "reactivated";
  readonly nextSteps: readonly string[];
}

/**
 * Retires a key of the stack's user that the stack does not manage: one adopted from setup-iam.sh,
 * or one nobody accounts for. The rotation's guard first (refused while IAM shows the key used after
 * its replacement existed, and more recently than it), then Inactive, then deleted; the stack's
 * config stops tracking it. The stack's own keys go through `rotate` instead.
 */
export async function retireKey(options: RetireKeyOptions, context: CommandContext): Promise<RetireKeyResult> {
  parseStackName(options.stack);
  const keyId = options.keyId.trim();
  if (!ACCESS_KEY_ID_PATTERN.test(keyId)) throw new UsageError(`"${options.keyId}" is not an access key id (AKIA followed by letters and digits)`);
  if (options.reactivate && (options.deactivateOnly || options.force))
    throw new UsageError("--reactivate undoes a pause; it takes neither --deactivate-only nor --force");
  const session = await openStackSession(options.stack, context, { operation: "retire-key", yes: options.yes });
  try {
    return await retire(session, keyId, options, context);
  } finally {
    session.close();
  }
}

async function retire(session: StackSession, keyId: string, options: RetireKeyOptions, context: CommandContext): Promise<RetireKeyResult> {
  const { stack } = session;
  const state = await session.stateIfExists().catch((error: unknown) => {
    throw classifyEngineError(stack, "reading the outputs", error, context.signal);
  });
  const stackExists = state !== undefined;
  const outputs = state ? toDeployedOutputs(stack, state.outputs) : undefined;
  const userName = outputs?.userName ?? backendIdentityNames(stack).userName;
  const admin = session.admin();
  const keys = bookKeys(await listUserKeys(admin.iam, userName, context.signal), knownKeysOf(outputs, session.settings.unmanagedAccessKeys));
  const now = new Date();
  const target = keys.find((key) => key.id === keyId);
  if (!target) {
    throw new UsageError(`${keyId} is not a key of ${userName} (its keys: ${keys.map((key) => describeKey(key, now)).join("; ") || "none"})`);
  }
  if (!retirableRole(target.role)) {
    throw new UsageError(
      `${keyId} is the stack's own ${target.role} key: keys the stack manages change through \`${ourCommand("rotate", stack, "status")}\` and its start/finish`,
    );
  }
  const update = (status: "Active" | "Inactive") =>
    admin.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status }), { abortSignal: context.signal });

  if (options.reactivate) {
    if (target.status === "Active") throw new RefusedError(`${keyId} is already Active`);
    await confirmOrAbort(`Make key ${keyId} of ${userName} Active again?`, !session.asks, context.prompter);
    await update("Active");
    return { keyId, outcome: "reactivated", nextSteps: [`${keyId} is Active again; retire it later with \`${ourCommand("retire-key", stack, keyId)}\`.`] };
  }

  if (target.status === "Active" && !options.force) {
    // The key that keeps working once this one is gone: the stack's own, else the user's other Active key.
    const replacement = keys.find((key) => key.role === "current") ?? keys.find((key) => key.id !== keyId && key.status === "Active");
    if (!replacement) {
      throw new RefusedError(
        `${keyId} is the only Active key of ${userName}: retiring it leaves the backend without credentials; provision the stack first, or pass --force`,
      );
    }
    const verdict = judgeRetirement(target, replacement);
    if (verdict.stillInUse) {
      throw new RefusedError(
        `${verdict.reason}; retiring it now would break whatever still runs on it: switch that to ${replacement.id} first (IAM's last-use records lag on real AWS), or pass --force`,
      );
    }
  }
  await confirmOrAbort(
    `Deactivate${options.deactivateOnly ? "" : " and delete"} key ${describeKey(target, now)} of prod's user?`,
    !session.asks,
    context.prompter,
  );
  throwIfInterrupted(context, `before changing key ${keyId}`);
  if (target.status === "Active") await update("Inactive");
  if (options.deactivateOnly) {
    return {
      keyId,
      outcome: "deactivated",
      nextSteps: [
        `${keyId} is Inactive; anything still using it now fails.`,
        `If something broke: \`${ourCommand("retire-key", stack, keyId, "--reactivate")}\`. Otherwise \`${ourCommand("retire-key", stack, keyId)}\` deletes it.`,
      ],
    };
  }
  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId }), { abortSignal: context.signal });
  const remaining = session.settings.unmanagedAccessKeys.filter((id) => id !== keyId);
  if (stackExists && remaining.length !== session.settings.unmanagedAccessKeys.length) {
    const configKey = `${CONFIG_NAMESPACE}:unmanagedAccessKeys`;
    if (remaining.length > 0) await setStackConfig(session.target, { [configKey]: remaining.join(",") });
    else await removeStackConfig(session.target, [configKey]);
  }
  return {
    keyId,
    outcome: "deleted",
    nextSteps: [`${keyId} is deleted${stackExists ? `; commit Pulumi.${stack}.yaml, which no longer lists it` : ""}.`],
  };
}
