/** A leaf matcher of the EventBridge pattern grammar subset these rules use. */
export type Matcher = string | { readonly "anything-but": string | readonly string[] } | { readonly exists: boolean };

/**
 * An EventBridge event pattern: the event's field names, nested as in the event, each with the list of
 * matchers one of which its value must meet; `$or` holds alternative patterns of the same level.
 */
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly Matcher[] | readonly EventPattern[];
}

/** The detail-type of every API call CloudTrail hands to EventBridge. */
export const CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";

/** The detail-type of console sign-ins (source aws.signin). */
export const CLOUDTRAIL_CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";

/**
 * Fields matching any one of `alternatives`, to spread into a pattern. EventBridge reads `$or` as an
 * operator only with two alternatives or more (a single one would be a field named "$or"), so one
 * alternative is returned as it is.
 */
export function anyOf(...alternatives: EventPattern[]): EventPattern {
  if (alternatives.length === 0) throw new Error("anyOf needs at least one alternative");
  return alternatives.length === 1 ? alternatives[0]! : { $or: alternatives };
}
