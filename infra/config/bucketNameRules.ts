const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Which S3 general-purpose bucket naming rules `name` breaks (empty when it is a valid name). */
export function bucketNameViolations(name: string): string[] {
  const violations: string[] = [];
  if (name.length < 3 || name.length > 63) violations.push("it must be 3 to 63 characters long");
  if (!/^[a-z0-9.-]*$/.test(name)) violations.push("it may contain only lowercase letters, digits, '.' and '-'");
  if (!/^[a-z0-9](.*[a-z0-9])?$/.test(name)) violations.push("it must begin and end with a letter or digit");
  if (name.includes("..")) violations.push("it must not contain two adjacent periods");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) violations.push("it must not look like an IP address");
  for (const prefix of RESERVED_PREFIXES.filter((p) => name.startsWith(p))) violations.push(`the prefix "${prefix}" is reserved`);
  for (const suffix of RESERVED_SUFFIXES.filter((s) => name.endsWith(s))) violations.push(`the suffix "${suffix}" is reserved`);
  return violations;
}
