import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/configError";
import type { StackOutputValues } from "./outputs";
import { PolicyLintError } from "./policy/policyGuard";
import { talentbaseIamProgram } from "./program";

/**
 * Pulumi entry point: the engine calls the exported function and takes its result as stack outputs.
 * Known failures become RunErrors so `pulumi up` shows their message without a stack trace.
 */
export = async (): Promise<StackOutputValues> => {
  try {
    return await talentbaseIamProgram();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicyLintError) throw new pulumi.RunError(error.message);
    throw error;
  }
};
