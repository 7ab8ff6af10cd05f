import { createAwsClients, type AwsClients, type AwsCredentials } from "../aws/clients";
import { describeAwsError } from "../aws/errors";
import { redactSecrets } from "../secret";
import { ALL_CHECKS, type Check } from "./checks";
import { VerificationContext } from "./context";
import { countStatuses } from "./report/summary";
import type { CheckOutcome, CheckResult, EvaluatorNote, VerificationInput, VerificationReport } from "./types";

export interface VerificationOptions {
  /** Overrides AWS_ENDPOINT_URL for every client (admin and user); moto for `local`. */
  readonly endpoint?: string;
  /** Operator credentials; omitted, the standard credential chain. */
  readonly adminCredentials?: AwsCredentials;
  /** Each check's budget; past it the check FAILs and the others carry on. */
  readonly checkTimeoutMs?: number;
  /** Run only these check ids (all when omitted). */
  readonly only?: readonly string[];
  /** The clock for key-age decisions. */
  readonly now?: Date;
  readonly maxAttempts?: number;
  /** The checks to run; defaults to ALL_CHECKS. */
  readonly checks?: readonly Check[];
  /** Values besides the input's secret access key that no report may carry (the stack's other secrets). */
  readonly secretValues?: readonly string[] | Promise<readonly string[]>;
  /** Aborts every check still running (an interrupted command). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

/**
 * Runs every check concurrently against the deployed stack. A check that throws or overruns becomes
 * that check's FAIL; it never stops the others. Every detail is redacted of the stack's secrets
 * before the report exists, so no report format can carry one.
 */
export async function runVerification(input: VerificationInput, options: VerificationOptions = {}): Promise<VerificationReport> {
  const started = new Date();
  const secretAccessKey = Promise.resolve(input.secretAccessKey);
  const secretValues = Promise.resolve(options.secretValues ?? []);
  // A failed read of the secrets is thrown below, once the checks are done (the user-key checks fail on it).
  for (const pending of [secretAccessKey, secretValues]) pending.catch(() => undefined);
  const { context, close } = openVerificationContext(input, { ...options, now: options.now ?? started }, async () => ({
    accessKeyId: input.accessKeyId,
    secretAccessKey: (await secretAccessKey).reveal(),
  }));
  const selected = (options.checks ?? ALL_CHECKS).filter((check) => !options.only || options.only.includes(check.id));
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  try {
    const results = await Promise.all(selected.map((check) => runCheck(check, context, timeoutMs, options.signal)));
    // Redacted once every check is done, so what a check read (a secret's content) is covered too.
    const secrets = [(await secretAccessKey).reveal(), ...(await secretValues), ...context.secretsSeen];
    const checks = results.map((check) => ({ ...check, detail: redactSecrets(check.detail, secrets) }));
    const policyEvaluation = context.evaluatorNote;
    return {
      stack: input.stack,
      environment: input.environment,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks,
      summary: countStatuses(checks),
      ...(policyEvaluation ? { policyEvaluation: redactNote(policyEvaluation, secrets) } : {}),
    };
  } finally {
    close();
  }
}

/**
 * The clients and the shared lookups of one run against one stack: the operator's clients, the user's
 * own (signed with `userCredentials`, a provider: the SDK asks for the secret when the first user-key
 * call is signed), and clients for other key pairs. Close it when done.
 */
export function openVerificationContext(
  input: VerificationInput,
  options: Pick<VerificationOptions, "endpoint" | "adminCredentials" | "maxAttempts" | "now">,
  userCredentials: AwsCredentials,
): { context: VerificationContext; close(): void } {
  const clientOptions = { region: input.region, endpoint: options.endpoint, maxAttempts: options.maxAttempts };
  const admin = createAwsClients({ ...clientOptions, credentials: options.adminCredentials });
  // IAM's last-use record of the keys is read before this run signs anything with them, so the record
  // the idle and rotation checks judge is not the run's own use.
  const afterKeysRead =
    (credentials: AwsCredentials): AwsCredentials =>
    async () => {
      await context.userKeys().catch(() => undefined);
      return typeof credentials === "function" ? credentials() : credentials;
    };
  const userKey = createAwsClients({ ...clientOptions, credentials: afterKeysRead(userCredentials) });
  const regionalAdmins = new Map<string, AwsClients>([[input.region, admin]]);
  const adminIn = (region: string): AwsClients => {
    let clients = regionalAdmins.get(region);
    if (!clients) {
      clients = createAwsClients({ ...clientOptions, region, credentials: options.adminCredentials });
      regionalAdmins.set(region, clients);
    }
    return clients;
  };
  const context: VerificationContext = new VerificationContext(
    input,
    admin,
    userKey,
    options.now ?? new Date(),
    (credentials) => createAwsClients({ ...clientOptions, credentials: afterKeysRead(credentials) }),
    adminIn,
  );
  return {
    context,
    close() {
      for (const clients of regionalAdmins.values()) clients.destroy();
      userKey.destroy();
    },
  };
}

async function runCheck(check: Check, context: VerificationContext, timeoutMs: number, interrupt?: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timedOut: CheckOutcome = { status: "FAIL", detail: `timed out after ${timeoutMs} ms` };
  const interrupted: CheckOutcome = { status: "SKIP", detail: "interrupted" };
  let timer: NodeJS.Timeout | undefined;
  let stopWaiting: (outcome: CheckOutcome) => void = () => undefined;
  const cutShort = new Promise<CheckOutcome>((resolve) => {
    stopWaiting = (outcome) => {
      resolve(outcome);
      controller.abort();
    };
    timer = setTimeout(() => stopWaiting(timedOut), timeoutMs);
  });
  const onInterrupt = () => stopWaiting(interrupted);
  if (interrupt?.aborted) onInterrupt();
  interrupt?.addEventListener("abort", onInterrupt, { once: true });
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([check.run(context, controller.signal), cutShort]);
  } catch (error) {
    // A check whose work was cut short reports why (timeout or interrupt), not the abort error.
    outcome = controller.signal.aborted ? await cutShort : { status: "FAIL", detail: unexpectedErrorDetail(error) };
  } finally {
    clearTimeout(timer);
    interrupt?.removeEventListener("abort", onInterrupt);
  }
  return { id: check.id, title: check.title, ...outcome, durationMs: Math.round(performance.now() - started) };
}

function redactNote(note: EvaluatorNote, secrets: readonly string[]): EvaluatorNote {
  return note.fallbackReason ? { ...note, fallbackReason: redactSecrets(note.fallbackReason, secrets) } : note;
}

/** One line naming the error; the caller redacts it, since a message may quote anything. */
function unexpectedErrorDetail(error: unknown): string {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return `unexpected error (${describeAwsError(error)}): ${message}`;
}
