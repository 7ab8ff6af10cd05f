import { CLOUDTRAIL_CONSOLE_SIGN_IN, type EventPattern } from "./eventPattern";

/**
 * Rule 3: any console sign-in attempt as the backend user. It has no password, so every attempt is
 * someone guessing or probing; CloudTrail records the user's name on failures as on successes (only a
 * name that is no user of the account is masked). Sign-ins are recorded in the region of the sign-in
 * endpoint the console sent the browser to, us-east-1 for the global one.
 */
export function consoleSignInPattern(userName: string): EventPattern {
  return {
    source: ["aws.signin"],
    "detail-type": [CLOUDTRAIL_CONSOLE_SIGN_IN],
    detail: { userIdentity: { type: ["IAMUser"], userName: [userName] } },
  };
}
