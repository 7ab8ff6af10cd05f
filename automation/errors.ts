/**
 * Exit codes of every command: the contract CI and the deploy scripts rely on (docs/reference.md's
 * table states it). 2: the invocation or the machine is wrong, found before anything started (flags,
 * stack name, config, credentials, endpoint, backend, no terminal to confirm on). 1: the stack needs a
 * person: an operation failed (deployment, verification), or a guard refused because of the stack's
 * state, changing nothing (IAM holds what the stack does not manage, a key still in use, no room for a
 * key, a lock another run holds, a rotation in another phase, a confirmation declined). 130: interrupted.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
/** An exit code: one of EXIT, or a passed-through child's own. */
export type ExitCode = number;

/**
 * A failure the driver understands: one sentence saying what happened and what to do. `exitCode`
 * 2 means nothing was attempted (usage, configuration, environment); 1 means an operation failed.
 */
export abstract class DriverError extends Error {
  abstract readonly exitCode: ExitCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad arguments or flags, or a run that would need an answer nobody can give (no terminal). */
export class UsageError extends DriverError {
  override readonly name = "UsageError";
  readonly exitCode = EXIT.usage;
}

/** The machine is not ready for the stack: no AWS credentials, an endpoint that does not answer. */
export class PreflightError extends DriverError {
  override readonly name: string = "PreflightError";
  readonly exitCode = EXIT.usage;
}

/**
 * A safety guard stopped the operation before it changed anything, because of the stack's state: a key
 * still in use, a user with no room for another key, IAM objects the stack does not manage, a rotation
 * in another phase. The message names what to do (or the flag that overrides the guard).
 */
export class RefusedError extends DriverError {
  override readonly name = "RefusedError";
  readonly exitCode = EXIT.failed;
}

/** Verification found a FAIL; the report itself says which checks. */
export class VerificationFailedError extends DriverError {
  override readonly name = "VerificationFailedError";
  readonly exitCode = EXIT.failed;
}

/** What every interrupted command says last: every moment of every command leaves a state its rerun continues from. */
export const RERUN_CONTINUES = "running the same command again continues";

/**
 * Ctrl-C or SIGTERM stopped the command. Any engine operation was cancelled through the engine, which
 * finishes its current step and releases the stack's lock, so running the command again continues.
 */
export class InterruptedError extends DriverError {
  override readonly name = "InterruptedError";
  readonly exitCode = EXIT.interrupted;
}

/** The Pulumi CLI run by the passthrough failed; it has said why on the terminal already. */
export class PassthroughExit extends DriverError {
  override readonly name = "PassthroughExit";

  constructor(readonly exitCode: number) {
    super(`the Pulumi CLI exited with code ${exitCode}`);
  }
}

/** The user answered no at a confirmation prompt; nothing was changed. */
export class ConfirmationDeclinedError extends DriverError {
  override readonly name = "ConfirmationDeclinedError";
  readonly exitCode = EXIT.failed;
}

/** Why a deployment could not go ahead or did not finish, when the driver recognises the case. */
export type DeploymentFailureKind =
  | "concurrent-update"
  | "pending-operations"
  | "protected-resource"
  | "secret-name-held"
  | "stack-not-found"
  | "not-deployed"
  | "engine-failed";

/** A Pulumi operation failed; `kind` names the known case, `cause` keeps the engine's error for --debug. */
export class DeploymentError extends DriverError {
  override readonly name = "DeploymentError";
  readonly exitCode = EXIT.failed;

  constructor(
    readonly kind: DeploymentFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
