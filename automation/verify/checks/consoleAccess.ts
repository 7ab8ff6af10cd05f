import { fail, pass, type Check } from "./check";

/** The backend user is programmatic-only: a console password is an unused way in. */
export const consoleAccess: Check = {
  id: "no-console-access",
  title: "No console password (programmatic-only user)",
  async run(context) {
    const profile = await context.loginProfile();
    if (!profile) return pass("no login profile");
    return fail(`user has a console password (login profile since ${profile.CreateDate?.toISOString() ?? "an unknown date"}); delete it`);
  },
};
