/** The type token and logical name a URN (`urn:pulumi:stack::project::parent$type::name`) carries. */
export interface UrnParts {
  type: string;
  name: string;
}

export function parseUrn(urn: string): UrnParts {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) {
    throw new Error(`not a Pulumi URN: ${urn}`);
  }
  const qualifiedType = parts[2];
  return {
    type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
    // A logical name may itself contain "::".
    name: parts.slice(3).join("::"),
  };
}
