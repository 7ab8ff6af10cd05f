import { ConfigError } from "./config/configError";
import type { StackOutputValues } from "./outputs";
import { PolicyLintError } from "./policy/policyGuard";
import { talentbaseIamProgram } from "./program";
import { failWithReportedError } from "./reportedFailure";

/**
 * Pulumi entry point: the engine calls the exported function and takes its result as stack outputs.
 * Known failures are shown as their message alone, without a stack trace.
 */
export = async (): Promise<StackOutputValues> => {
  try {
    return await talentbaseIamProgram();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicyLintError) return failWithReportedError(error.message);
    throw error;
  }
};
