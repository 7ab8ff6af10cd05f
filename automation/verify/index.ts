export { ALL_CHECKS, type Check } from "./checks";
export { renderHumanReport, type HumanReportOptions } from "./report/human";
export { toJsonReport, type JsonReport } from "./report/json";
export { buildJunitXml } from "./report/junit";
export { verdictOf } from "./report/summary";
export { DEFAULT_CHECK_TIMEOUT_MS, runVerification, type VerificationOptions } from "./runVerification";
export type { CheckResult, CheckStatus, VerificationInput, VerificationReport } from "./types";
