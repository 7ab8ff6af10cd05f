/**
 * The environment a sandboxed command sees: this process's minus anything that points at real AWS
 * or a Pulumi backend, with no shared AWS config files and no instance metadata lookups, so a
 * developer's own AWS profile can never leak into a test or a bench run.
 */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(AWS_|PULUMI_|TALENTBASE_IAM_)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}
