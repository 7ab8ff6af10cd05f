/**
 * The lockfile pins AWS SDK releases that run on Node 20, so the SDK's notice that releases after
 * January 2027 need Node 22 only clutters output (the README says it instead). Clients read the
 * variable at construction; every process of ours (the CLI, the engine's children, tests) gets it.
 */
export const SILENCE_SDK_NODE_NOTICE = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } as const;

/** Sets the variable in this process unless the user set it. */
export function silenceSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(SILENCE_SDK_NODE_NOTICE)) env[name] ??= value;
}
