/** Exit codes of every command: the contract CI and the deploy scripts rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

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

/** Verification found a FAIL; the report itself says which checks. */
export class VerificationFailedError extends DriverError {
  override readonly name = "VerificationFailedError";
  readonly exitCode = EXIT.failed;
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
