/** The AWS error name (`NoSuchEntity`, `AccessDenied`, ...) of anything thrown; branch on this, never on message text. */
export function awsErrorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return "UnknownError";
}

/** HTTP status an AWS SDK error carried, when it came from a response. */
export function httpStatusOf(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  return metadata?.httpStatusCode;
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  return names.includes(awsErrorName(error));
}

/** A short, secret-free label for an error: its AWS name, plus the HTTP status when there was one. */
export function describeAwsError(error: unknown): string {
  const status = httpStatusOf(error);
  return status === undefined ? awsErrorName(error) : `${awsErrorName(error)}, HTTP ${status}`;
}
