import { paginateListUserTags, type Tag } from "@aws-sdk/client-iam";
import { fail, pass, type Check } from "./check";

/** The tags the Pulumi program puts on the user. */
export function expectedUserTags(environment: string): Readonly<Record<string, string>> {
  return { Environment: environment, Project: "talentbase", Purpose: "backend-s3-access", ManagedBy: "pulumi" };
}

/** Expected tags that are absent or carry another value; extra tags are the owner's business. */
export function tagMismatches(expected: Readonly<Record<string, string>>, actual: readonly Tag[]): string[] {
  const actualValues = new Map(actual.map((tag) => [tag.Key, tag.Value]));
  return Object.entries(expected).flatMap(([key, value]) => {
    const found = actualValues.get(key);
    if (found === undefined) return [`${key} missing`];
    return found === value ? [] : [`${key}=${found}, expected ${value}`];
  });
}

export const tags: Check = {
  id: "tags",
  title: "User tags as the program sets them",
  async run(context) {
    const actual: Tag[] = [];
    for await (const page of paginateListUserTags({ client: context.admin.iam }, { UserName: context.input.userName })) {
      actual.push(...(page.Tags ?? []));
    }
    const expected = expectedUserTags(context.input.environment);
    const mismatches = tagMismatches(expected, actual);
    if (mismatches.length > 0) return fail(mismatches.join("; "));
    return pass(Object.entries(expected).map(([key, value]) => `${key}=${value}`).join(", "));
  },
};
