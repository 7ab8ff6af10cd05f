/** The IAM policy grammar subset this project emits: identity policies with Allow statements. */
export interface PolicyStatement {
  /** Stable statement id; the guard's findings and the drift check refer to it. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}
