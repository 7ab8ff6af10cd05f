import type { VerificationContext } from "../context";
import type { CheckOutcome } from "../types";

/** One verification. Ids are stable: reports, JSON consumers and JUnit history key on them. */
export interface Check {
  readonly id: string;
  readonly title: string;
  /** `signal` aborts when the check's time is up; pass it to SDK calls the check alone makes. */
  run(context: VerificationContext, signal: AbortSignal): Promise<CheckOutcome>;
}

export const pass = (detail: string): CheckOutcome => ({ status: "PASS", detail });
export const warn = (detail: string): CheckOutcome => ({ status: "WARN", detail });
export const fail = (detail: string): CheckOutcome => ({ status: "FAIL", detail });
export const skip = (detail: string): CheckOutcome => ({ status: "SKIP", detail });
