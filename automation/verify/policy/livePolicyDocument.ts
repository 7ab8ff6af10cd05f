/** A statement as IAM may return it: single values or lists, any element the grammar allows. */
export interface LivePolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, unknown>>;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
}

export interface LivePolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: LivePolicyStatement | readonly LivePolicyStatement[];
}

/** IAM returns policy documents URL-encoded (RFC 3986); some endpoints return plain JSON. */
export function parsePolicyDocument(raw: string): LivePolicyDocument {
  const json = raw.trimStart().startsWith("{") ? raw : decodeURIComponent(raw);
  return JSON.parse(json) as LivePolicyDocument;
}
