import { expect } from "chai";
import { consoleSignInPattern } from "../../../../infra/monitoring/consoleSignInPattern";
import { matchesPattern } from "../../../support/eventPatternMatcher";
import { consoleSignInFailure, listUsersWithStackKey, USER_NAME, withDetail, withoutDetail } from "./cloudTrailEvents";

describe("rule 3: console sign-in attempts as the backend user", () => {
  const pattern = consoleSignInPattern(USER_NAME);
  const identity = (consoleSignInFailure["detail"] as { userIdentity: Record<string, string> }).userIdentity;

  it("catches a failed sign-in as the user, and a successful one", () => {
    expect(matchesPattern(consoleSignInFailure, pattern)).to.equal(true);
    expect(
      matchesPattern(withDetail(withoutDetail(consoleSignInFailure, "errorMessage"), { responseElements: { ConsoleLogin: "Success" } }), pattern),
    ).to.equal(true);
  });

  it("ignores sign-ins as other users, and those CloudTrail masks because the name is no user", () => {
    expect(
      matchesPattern(
        withDetail(consoleSignInFailure, { userIdentity: { ...identity, userName: "alice", arn: "arn:aws:iam::123456789012:user/alice" } }),
        pattern,
      ),
    ).to.equal(false);
    expect(
      matchesPattern(
        withDetail(consoleSignInFailure, {
          userIdentity: { type: "IAMUser", accountId: "123456789012", accessKeyId: "", userName: "HIDDEN_DUE_TO_SECURITY_REASONS" },
        }),
        pattern,
      ),
    ).to.equal(false);
  });

  it("ignores the user's API calls, which are no sign-in", () => {
    expect(matchesPattern(listUsersWithStackKey, pattern)).to.equal(false);
  });
});
