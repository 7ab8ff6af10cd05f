/**
 * Which Secrets Manager naming rules `name` breaks (empty when it is a valid name). The last rule is
 * AWS's advice made a rule: the ARN appends `-` and six random characters, so a name that already
 * ends that way is ambiguous wherever a partial ARN is accepted.
 */
export function secretNameViolations(name: string): string[] {
  const violations: string[] = [];
  if (name.length < 1 || name.length > 512) violations.push("it must be 1 to 512 characters long");
  if (!/^[A-Za-z0-9/_+=.@-]*$/.test(name)) violations.push("it may contain only letters, digits and /_+=.@-");
  if (/-[A-Za-z0-9]{6}$/.test(name)) violations.push("it must not end with a hyphen and six characters (the ARN's own suffix)");
  return violations;
}
