import { CommandError, ConcurrentUpdateError, StackNotFoundError } from "@pulumi/pulumi/automation/errors";
import { CONFIG_NAMESPACE, defaultCredentialsSecretName, type Environment } from "../../infra/config";
import { awsCliCommand, ourCommand, pulumiCommand } from "../stacks/printedCommands";
import { DeploymentError, InterruptedError, RERUN_CONTINUES, type DriverError } from "../errors";
import { profileOf } from "../stacks/stackProfile";
import type { PendingOperation } from "./deploymentState";

/**
 * The CLI's stable phrases for cases the Automation API has no error class for. This is the only
 * place that reads engine output text; everything else branches on error classes and state.
 */
const PROTECTED_PHRASES = [
  "because it is protected", // deleting a protected resource (resource/deploy/step.go)
  "marked for protection", // replacing a protected resource (resource/deploy/step_generator.go)
];

// CreateSecret's refusal while a deleted secret's recovery window holds the name (Secrets Manager's words).
const SECRET_NAME_HELD_PHRASE = "already scheduled for deletion";

/** The stack's credentials secret name is still held by the secret a destroy scheduled for deletion. */
export function secretNameHeldFailure(stack: Environment, cause?: unknown): DeploymentError {
  const name = defaultCredentialsSecretName(stack);
  return new DeploymentError(
    "secret-name-held",
    `the credentials secret's name (${name}, unless ${CONFIG_NAMESPACE}:credentialsSecretName says otherwise) is held by a secret a destroy scheduled for deletion: free it with \`${awsCliCommand(stack, "secretsmanager", "delete-secret", "--secret-id", name, "--force-delete-without-recovery")}\` (the stack writes its current key again), then provision again` +
      (profileOf(stack).freshStart ? ` (or ${profileOf(stack).freshStart})` : ""),
    { cause },
  );
}

/** One sentence for a stack that is locked by another (or a killed) update; `holder` names who took the lock, when known. */
export function concurrentUpdateFailure(stack: Environment, cause?: unknown, holder?: string): DeploymentError {
  return new DeploymentError(
    "concurrent-update",
    `another update is running on stack ${stack} (or a killed one left its lock${holder ? `; locked by ${holder}` : ""}): wait for it to finish, or if none is running, \`${ourCommand("repair", stack)}\` clears the lock and repairs the stack`,
    { cause },
  );
}

/** The checkpoint holds operations an interrupted update never finished; the engine would carry them on. */
export function pendingOperationsFailure(stack: Environment, operations: readonly PendingOperation[]): DeploymentError {
  const listed = operations.map((operation) => `${operation.type} ${operation.resource.name}`).join(", ");
  return new DeploymentError(
    "pending-operations",
    `stack ${stack} has ${operations.length} pending operation(s) from an interrupted update (${listed}): \`${ourCommand("repair", stack)}\` looks each one up in AWS, takes over what was created, and converges the stack`,
  );
}

/** Protection is a stack setting here, so the way out is config, not `pulumi state unprotect`. */
export function protectedResourceFailure(stack: Environment, cause?: unknown): DeploymentError {
  return new DeploymentError(
    "protected-resource",
    `stack ${stack} has protected resources in the way: run \`${pulumiCommand(stack, "config", "set", `${CONFIG_NAMESPACE}:protect`, "false")}\`, then \`${ourCommand("provision", stack)}\` to apply it, then destroy`,
    { cause },
  );
}

/**
 * Maps an Automation API failure to a known case with one sentence, or to a generic engine failure.
 * After an interrupt, whatever the engine reported, the operation was cancelled on purpose.
 */
export function classifyEngineError(stack: Environment, operation: string, error: unknown, signal?: AbortSignal): DriverError {
  if (signal?.aborted && !(error instanceof InterruptedError)) {
    return new InterruptedError(
      `interrupted: the ${operation} of stack ${stack} was cancelled; the engine saved the stack's state and released its lock, so ${RERUN_CONTINUES}`,
      { cause: error },
    );
  }
  if (error instanceof DeploymentError || error instanceof InterruptedError) return error;
  if (error instanceof ConcurrentUpdateError) return concurrentUpdateFailure(stack, error);
  if (error instanceof StackNotFoundError) {
    return new DeploymentError("stack-not-found", `stack ${stack} does not exist: run \`${ourCommand("provision", stack)}\` first`, { cause: error });
  }
  if (error instanceof CommandError) {
    const output = engineOutputOf(error);
    if (PROTECTED_PHRASES.some((phrase) => output.includes(phrase))) return protectedResourceFailure(stack, error);
    if (output.includes(SECRET_NAME_HELD_PHRASE)) return secretNameHeldFailure(stack, error);
    const reasons = engineErrorLines(output);
    const reason = reasons.length > 0 ? reasons.join("; ") : `pulumi exited with code ${exitCodeOf(error)}`;
    return new DeploymentError("engine-failed", `${operation} of stack ${stack} failed: ${reason} (rerun with --debug for the engine's full output)`, {
      cause: error,
    });
  }
  throw error;
}

function engineOutputOf(error: CommandError): string {
  const result = (error as unknown as { commandResult?: { stdout?: string; stderr?: string } }).commandResult;
  return `${result?.stdout ?? ""}\n${result?.stderr ?? ""}`;
}

function exitCodeOf(error: CommandError): string {
  const result = (error as unknown as { commandResult?: { code?: number } }).commandResult;
  return String(result?.code ?? "unknown");
}

/** The engine's `error:` diagnostics, without the generic "update failed" trailer, each once. */
export function engineErrorLines(output: string): string[] {
  const lines = output
    .split("\n")
    .map((line) => /^\s*error: (.+)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => !!line && !/^update failed$|^preview failed$|^destroy failed$/.test(line));
  return [...new Set(lines)].slice(0, 3);
}
