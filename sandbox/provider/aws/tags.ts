import type { Tag } from "@aws-sdk/client-iam";

export type TagMap = Record<string, string>;

export function toIamTags(tags: unknown): Tag[] {
  return Object.entries((tags ?? {}) as TagMap).map(([Key, Value]) => ({ Key, Value }));
}

/** Also reads Secrets Manager's tags, whose Key is optional in the SDK's types. */
export function fromIamTags(tags: readonly { Key?: string; Value?: string }[] | undefined): TagMap {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}

/** The tag calls that turn `current` into `desired`: keys to (re)set and keys to remove. */
export function tagChanges(current: unknown, desired: unknown): { toSet: Tag[]; toRemove: string[] } {
  const before = (current ?? {}) as TagMap;
  const after = (desired ?? {}) as TagMap;
  return {
    toSet: toIamTags(Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value))),
    toRemove: Object.keys(before).filter((key) => !(key in after)),
  };
}

/** KMS spells its tags `TagKey`/`TagValue`; this converts the Key/Value lists the other helpers make. */
export function toKmsTags(tags: readonly { Key?: string; Value?: string }[]): { TagKey: string; TagValue: string }[] {
  return tags.map(({ Key, Value }) => ({ TagKey: Key ?? "", TagValue: Value ?? "" }));
}

export function fromKmsTags(tags: readonly { TagKey?: string; TagValue?: string }[] | undefined): TagMap {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.TagKey ?? "", tag.TagValue ?? ""]));
}
