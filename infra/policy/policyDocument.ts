/** Condition values by key, by operator: `{ StringEquals: { "s3:x-amz-acl": ["public-read"] } }`. */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** The IAM policy grammar subset this project emits: identity policies with Allow and Deny statements. */
export interface PolicyStatement {
  /** Stable statement id; the guard's findings and the drift check refer to it. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  /** When the statement applies; a Deny with a condition narrows what its Allow grants. */
  readonly Condition?: PolicyCondition;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}
