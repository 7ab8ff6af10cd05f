import { paginateListPolicyTags, paginateListUserTags, type Tag } from "@aws-sdk/client-iam";
import { backendTags } from "../../../infra/components/backendIdentity";
import { fail, pass, type Check } from "./check";

/** Expected tags that are absent or carry another value; extra tags are the owner's business. */
export function tagMismatches(expected: Readonly<Record<string, string>>, actual: readonly Tag[]): string[] {
  const actualValues = new Map(actual.map((tag) => [tag.Key, tag.Value]));
  return Object.entries(expected).flatMap(([key, value]) => {
    const found = actualValues.get(key);
    if (found === undefined) return [`${key} missing`];
    return found === value ? [] : [`${key}=${found}, expected ${value}`];
  });
}

/** The program tags the user and its policy alike (backendTags), so audits can tell what they are for. */
export const tags: Check = {
  id: "tags",
  title: "User and policy tagged as the program sets them",
  async run(context) {
    const { userName, policyArn, environment } = context.input;
    const userTags: Tag[] = [];
    for await (const page of paginateListUserTags({ client: context.admin.iam }, { UserName: userName })) {
      userTags.push(...(page.Tags ?? []));
    }
    const policyTags: Tag[] = [];
    for await (const page of paginateListPolicyTags({ client: context.admin.iam }, { PolicyArn: policyArn })) {
      policyTags.push(...(page.Tags ?? []));
    }
    const expected = backendTags(environment);
    const mismatches = [
      ...tagMismatches(expected, userTags).map((problem) => `user: ${problem}`),
      ...tagMismatches(expected, policyTags).map((problem) => `policy: ${problem}`),
    ];
    if (mismatches.length > 0) return fail(mismatches.join("; "));
    return pass(
      `user and policy: ${Object.entries(expected)
        .map(([key, value]) => `${key}=${value}`)
        .join(", ")}`,
    );
  },
};
